package io.onsbridge.tracecollector;

import java.util.List;

/**
 * Everything the trace records say about one message: its send (when a {@code Pub} record was seen)
 * and its consumptions, grouped by consumer group. What the broker knows (delivered yet or not) is the
 * caller's to add.
 *
 * @param pub           the send record, or null when none was found
 * @param transaction   the producer's last decision for a transactional message, or null
 * @param groups        consumer groups in the order of their first consumption
 */
public record MessageTrace(String msgId, TraceEvent pub, TraceEvent.TxState transaction, List<GroupConsumptions> groups) {

    /** One consumption: a {@code SubBefore} and, once the listener returned, its {@code SubAfter}. */
    public record Consumption(String group, String clientHost, long subTime, int costTime, Status status, int reconsumeTimes) {
    }

    public record GroupConsumptions(String group, List<Consumption> consumptions) {
        public long successCount() {
            long successes = 0; // a loop, not a stream: asked twice per group of every trace answered
            for (Consumption c : consumptions) {
                if (c.status() == Status.CONSUME_SUCCESS) {
                    successes++;
                }
            }
            return successes;
        }

        /** Failures and consumptions that never returned: neither is a success. */
        public long failCount() {
            return consumptions.size() - successCount();
        }
    }

    public enum Status { CONSUME_SUCCESS, CONSUME_FAILED, CONSUME_NOT_RETURN }

    public boolean hasPub() {
        return pub != null;
    }

    /** The send's message type as RocketMQ's trace records name it (MessageType ordinal). */
    public boolean isTransactional() {
        return pub != null && pub.code() == org.apache.rocketmq.common.message.MessageType.Trans_Msg_Half.ordinal();
    }

    public boolean isDelayed() {
        return pub != null && pub.code() == org.apache.rocketmq.common.message.MessageType.Delay_Msg.ordinal();
    }
}
