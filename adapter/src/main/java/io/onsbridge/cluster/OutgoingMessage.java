package io.onsbridge.cluster;

import java.util.Map;

/**
 * A message to send.
 *
 * @param properties user properties and the reserved ones the domain sets (e.g. RETRY_TOPIC); tags and
 *                   keys travel in their own fields
 */
public record OutgoingMessage(String topic, String tags, String keys, byte[] body, int flag, Map<String, String> properties) {
    public OutgoingMessage {
        properties = Map.copyOf(properties);
    }

    public static OutgoingMessage of(String topic, String tags, String keys, byte[] body) {
        return new OutgoingMessage(topic, tags, keys, body, 0, Map.of());
    }
}
