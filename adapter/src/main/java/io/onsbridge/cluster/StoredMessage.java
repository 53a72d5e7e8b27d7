package io.onsbridge.cluster;

import java.util.Map;

/**
 * A message as a broker stored it.
 *
 * @param uniqueId   the id ONS shows: the producer's UNIQ_KEY where it set one, else {@code offsetId}
 * @param offsetId   the broker's id: store host and commit log offset
 * @param bornHost   the sending client, {@code ip:port}
 * @param storeHost  the broker that stored it, {@code ip:port}
 * @param properties as stored: tags, keys, the client's and the broker's properties
 */
public record StoredMessage(String topic, String broker, int queueId, long queueOffset, long commitLogOffset,
                            String uniqueId, String offsetId, String bornHost, long bornTimestamp, String storeHost,
                            long storeTimestamp, int storeSize, int bodyCrc, int reconsumeTimes, int flag, byte[] body,
                            Map<String, String> properties) {
    public StoredMessage {
        properties = Map.copyOf(properties);
    }

    public String property(String name) {
        return properties.get(name);
    }

    public String tags() {
        return properties.get(MessageProperties.TAGS);
    }

    public String keys() {
        return properties.get(MessageProperties.KEYS);
    }

    /** The sending client's address without the port. */
    public String bornIp() {
        return bornHost == null || bornHost.lastIndexOf(':') < 0 ? bornHost : bornHost.substring(0, bornHost.lastIndexOf(':'));
    }

    public Queue queue() {
        return new Queue(topic, broker, queueId);
    }
}
