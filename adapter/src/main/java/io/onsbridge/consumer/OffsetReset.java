package io.onsbridge.consumer;

import io.onsbridge.backend.ClusterAdmin;

/**
 * Moves a group's consume offsets on a topic, with consumers online or not.
 *
 * <p>How it reaches online consumers (RocketMQ 5, {@code useServerSideResetOffset}, the default): the
 * broker records the new offset per queue and, from then on, ignores offset commits of the group for
 * those queues; the next pull of each queue is answered "offset moved" with the new offset, and the
 * client freezes that offset, persists it, drops the queue and rebalances, so it pulls from the new
 * offset. What delays it is the pull itself: on an idle queue the client's pull is held by the broker
 * (long polling, 15 s) and the broker re-checks held pulls every 5 s, so an idle consumer picks the
 * reset up within about 20 s (measured: 15.9-20.1 s over ten resets, OnlineResetIT), a busy one at
 * once. Older brokers take RocketMQ's earlier path: the broker tells each client directly, and with no
 * client online (RocketMQ 4 then refuses, "Consumer not online") the offsets are written per queue
 * (RocketMQ's resetOffsetNew, as mqadmin resetOffsetByTime does).
 */
final class OffsetReset {
    /**
     * "Skip the backlog": RocketMQ's own "to the end" (-1), which every reset path reads as the queue's max
     * offset. A time after every message is not the same everywhere: RocketMQ 4 answers it with the last
     * message's offset, one short of the end.
     */
    static long toEnd() {
        return -1;
    }

    private final ClusterAdmin cluster;

    OffsetReset(ClusterAdmin cluster) {
        this.cluster = cluster;
    }

    void reset(String brokerTopic, String brokerGroup, long timestamp) {
        cluster.call("reset the offsets of " + brokerGroup + " on " + brokerTopic,
                a -> {
                    a.resetOffsetNew(brokerGroup, brokerTopic, timestamp);
                    return null;
                });
    }
}
