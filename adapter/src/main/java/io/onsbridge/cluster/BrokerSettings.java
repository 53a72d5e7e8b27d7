package io.onsbridge.cluster;

/**
 * What a master broker's own configuration says about ONS's conventions on it: whether it loads the bridge's
 * broker plugin (its {@code messageStorePlugIn} names it; a broker that cannot load a plugin it names does not
 * start), and the region and trace flag it reports in every send answer, which decide whether ons-client writes
 * traces (docs/broker-plugin.md, docs/tcp-clients.md), and its timer's precision, which bounds how late a timed
 * message comes ({@code timerPrecisionMs} as the broker runs with it: with the plugin, the one its store was written
 * with; -1 when the broker does not say).
 */
public record BrokerSettings(String address, boolean onsPlugin, String regionId, boolean traceOn, long timerPrecisionMs) {
    /** The class an Apache broker is told to load ({@code messageStorePlugIn}). */
    public static final String ONS_PLUGIN_CLASS = "io.onsbridge.brokerplugin.OnsMessageStore";
}
