package io.onsbridge.cluster;

/**
 * What a master broker's own configuration says about ONS's conventions on it: whether it loads the bridge's
 * broker plugin (its {@code messageStorePlugIn} names it; a broker that cannot load a plugin it names does not
 * start), and the region and trace flag it reports in every send answer, which decide whether ons-client writes
 * traces (docs/broker-plugin.md, docs/tcp-clients.md).
 */
public record BrokerSettings(String address, boolean onsPlugin, String regionId, boolean traceOn) {
    /** The class an Apache broker is told to load ({@code messageStorePlugIn}). */
    public static final String ONS_PLUGIN_CLASS = "io.onsbridge.brokerplugin.OnsMessageStore";
}
