package io.onsbridge.domain.device;

import java.util.Map;

/**
 * An MQTT topic as ApsaraMQ for MQTT maps it onto RocketMQ: the first level is the RocketMQ topic (the
 * "parent topic"), the rest travels in the message's user property {@code mqttSecondTopic}. {@code Orders/eu/berlin}
 * is parent {@code Orders}, sub topic {@code /eu/berlin}; {@code Orders} alone has an empty sub topic.
 * {@code Orders/p2p/GID_a@@@dev1} is a point-to-point message for that one client.
 */
public record MqttTopic(String parent, String subTopic) {
    /** ApsaraMQ's user properties of a message an MQTT device published. */
    public static final String SECOND_TOPIC = "mqttSecondTopic";
    public static final String QOS_LEVEL = "qoslevel";
    public static final String CLEAN_SESSION = "cleansessionflag";
    public static final String CLIENT_ID = "clientId";
    public static final String REAL_TOPIC = "mqttRealTopic";

    private static final String P2P = "/p2p/";

    /** The topic of an MQTT PUBLISH; null when it has no parent level ({@code /a}, empty). */
    public static MqttTopic parse(String topic) {
        int slash = topic.indexOf('/');
        String parent = slash < 0 ? topic : topic.substring(0, slash);
        return parent.isEmpty() ? null : new MqttTopic(parent, slash < 0 ? "" : topic.substring(slash));
    }

    /** The MQTT topic of a message read from parent topic {@code parent}, with the properties it was stored with. */
    public static MqttTopic of(String parent, Map<String, String> properties) {
        String sub = properties.get(SECOND_TOPIC);
        return new MqttTopic(parent, sub == null ? "" : sub);
    }

    /** {@code parent + subTopic}: the topic name a device sees. */
    public String name() {
        return parent + subTopic;
    }

    /** The client a P2P topic ({@code parent/p2p/clientId}) is for; null for any other topic. */
    public String p2pTarget() {
        return subTopic.startsWith(P2P) && subTopic.length() > P2P.length() ? subTopic.substring(P2P.length()) : null;
    }
}
