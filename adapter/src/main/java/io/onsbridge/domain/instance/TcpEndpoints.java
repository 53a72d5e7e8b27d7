package io.onsbridge.domain.instance;

import java.util.regex.Pattern;

/**
 * The instance's {@code TcpEndpoint}: ONS's own form, {@code http://<instance>.<host>:<port>}, from which ons-client
 * (and Apache's RocketMQ client) take the namespace (the host's first label), followed by the plain name server
 * list. Both clients take everything after the last {@code /} as the name server list, split at {@code ;}.
 * ons-client tries the next name server when one cannot be reached, so where the instance's host name does not
 * resolve (no wildcard DNS record; {@code *.localhost} resolves only where the system's resolver does it) it falls
 * back to the plain address. Apache's client 5 tries one name server per call, so it is given the plain part and
 * the namespace instead (docs/tcp-clients.md).
 */
public final class TcpEndpoints {
    /** What ons-client's NameAddrUtils and Apache's NameServerAddressUtils take for an instance ID in an endpoint. */
    private static final Pattern CLIENT_INSTANCE_ID = Pattern.compile("MQ_INST_\\w+_\\w+");

    private final String nameServers;

    /** @param nameServers the name server list applications use, {@code host:port;host:port} */
    public TcpEndpoints(String nameServers) {
        this.nameServers = nameServers;
    }

    /**
     * The endpoint of one instance: the ONS form and the plain list when the clients can take the namespace from
     * it; the plain list for the default instance (no namespace) and for IDs the clients would not read as one.
     */
    public String of(String instanceId, boolean independentNaming) {
        if (!independentNaming || !CLIENT_INSTANCE_ID.matcher(instanceId).matches()) {
            return nameServers;
        }
        String first = nameServers.split(";", 2)[0].trim();
        return "http://" + instanceId + "." + first + ";" + nameServers;
    }
}
