package io.onsbridge.domain.topic;

import io.onsbridge.cluster.ClusterTopics.MessageType;
import io.onsbridge.cluster.ClusterTopics.TopicConfig;
import io.onsbridge.cluster.ClusterTopics;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One topic of an instance as it is on the cluster (its config on each master that has it, by master
 * address) together with its metadata record.
 */
public record TopicView(String brokerName, String name, Map<String, TopicConfig> configs, Supplier<TopicRecord> recordSource) {
    public static final int NORMAL = 0;
    public static final int PARTITION_ORDER = 1;
    public static final int GLOBAL_ORDER = 2;
    public static final int TRANSACTION = 4;
    public static final int DELAY = 5;

    /** The topic's metadata record (remark, tags, create time), read from the cluster when first asked for. */
    public TopicRecord record() {
        return recordSource.get();
    }

    /**
     * ONS MessageType from the broker's {@code message.type} attribute: FIFO with a single queue in the
     * whole cluster is global order, FIFO otherwise partition order. Without the attribute: the type the
     * bridge recorded at creation (RocketMQ 4 brokers keep no attributes), else normal.
     */
    public int messageType() {
        MessageType type = configs.values().iterator().next().messageType();
        if (type == null) {
            return record().messageType() != null ? record().messageType() : NORMAL;
        }
        return switch (type) {
            case FIFO -> totalQueues() == 1 ? GLOBAL_ORDER : PARTITION_ORDER;
            case TRANSACTION -> TRANSACTION;
            case DELAY -> DELAY;
            case NORMAL -> NORMAL;
        };
    }

    /** The broker's PermName (2 write, 4 read, 6 both); the most restrictive where masters differ. */
    public int perm() {
        int perm = ClusterTopics.PERM_READ | ClusterTopics.PERM_WRITE;
        for (TopicConfig config : configs.values()) {
            perm &= config.perm();
        }
        return perm & (ClusterTopics.PERM_READ | ClusterTopics.PERM_WRITE);
    }

    public int totalQueues() {
        return configs.values().stream().mapToInt(TopicConfig::writeQueues).sum();
    }

    /** The broker's {@code message.type} of an ONS MessageType. */
    static MessageType brokerType(int onsType) {
        return switch (onsType) {
            case PARTITION_ORDER, GLOBAL_ORDER -> MessageType.FIFO;
            case TRANSACTION -> MessageType.TRANSACTION;
            case DELAY -> MessageType.DELAY;
            default -> MessageType.NORMAL;
        };
    }
}
