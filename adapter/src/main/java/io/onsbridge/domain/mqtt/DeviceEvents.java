package io.onsbridge.domain.mqtt;

import java.util.List;

/**
 * What the MQTT gateway reports about its devices, and what the MQTT actions ({@code QueryMqttTraceDevice},
 * {@code OnsMqttQueryClientBy*}, {@code OnsMqttQueryHistoryOnline}, {@code OnsMqttQueryMsgTransTrend}) read back.
 * The implementation keeps it in the cluster, so that every bridge answers the same and a restart loses nothing.
 * Calls come from the gateway's channel threads: they must not block on the cluster (queue and write behind).
 */
public interface DeviceEvents {
    /** One device connection: the ONS instance, the MQTT client id ({@code GID_xxx@@@device}), a 32-hex channel id. */
    record Connection(String instanceId, String clientId, String channelId, String remoteAddress) {
    }

    /** One subscription of a device: MQTT filter {@code Orders/eu/+} is parent topic {@code Orders}, sub topic {@code /eu/+}. */
    record Subscription(String parentTopic, String subTopic, int qos) {
    }

    /** Values of ActionInfo in docs/mqtt-api.md, as the gateway reports them. */
    final class ActionInfo {
        public static final String ACCEPTED = "accepted";
        public static final String NOT_AUTHORIZED = "not authorized";
        public static final String CLIENT_ID_CONFLICT = "clientId conflict";
        public static final String RESOURCE_AUTH_FAILED = "resource auth failed";
        public static final String NO_HEART = "no heart";
        public static final String CLOSED_BY_CLIENT = "closed by client";
        public static final String DISCONNECTED_BY_CLIENT = "disconnected by client";
        public static final String INVALID_PARAM = "invalid param";
        public static final String SOCKET_IO_EXCEPTION = "Socket IOException";
        /** Not in Alibaba's table: the bridge itself closed the connection (shutdown). */
        public static final String SERVER_SHUTDOWN = "server shutdown";

        private ActionInfo() {
        }
    }

    /** A CONNECT answered: {@code actionInfo} is {@link ActionInfo#ACCEPTED} or the refusal's reason (history "connect"). */
    void connected(Connection connection, String actionInfo);

    /** The device sent DISCONNECT (history "disconnect", {@link ActionInfo#DISCONNECTED_BY_CLIENT}). */
    void disconnected(Connection connection);

    /** The TCP connection closed, for {@code actionInfo} (history "close"); the device is offline from now on. */
    void closed(Connection connection, String actionInfo);

    /** The device's subscriptions after a SUBSCRIBE or UNSUBSCRIBE (all of them, not the change). */
    void subscriptionsChanged(Connection connection, List<Subscription> subscriptions);

    /** The device was active (any packet); implementations may keep only the latest time per device. */
    void touched(Connection connection, long atMillis);

    /** A device published a message (TransType PUB); {@code p2p} for {@code parent/p2p/clientId}. */
    void published(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p);

    /** A message was delivered to a device (TransType SUB). */
    void delivered(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p);
}
