package io.onsbridge.tracecollector;

/**
 * One trace record of one message, as the collector keeps it: what {@code TraceDataEncoder} decoded,
 * minus what the wire does not really carry, plus the host the record came from (the trace message's
 * born host, since the decoder fills {@code clientHost} with the reading JVM's address).
 *
 * <p>Fields that a kind does not carry are null or 0. Topic and group names are as the client wrote
 * them: without the instance namespace.
 *
 * @param requestHash {@code SubBefore}/{@code SubAfter}: hash of the request id that pairs them
 * @param code        {@code Pub}: the message type ordinal; {@code SubAfter}: the context code;
 *                    {@code EndTransaction}: the {@link TxState} ordinal
 */
public record TraceEvent(Kind kind, String msgId, long timestamp, String group, String topic, String tags, String keys,
                         String host, int costTime, boolean success, int retryTimes, int requestHash, int code) {

    public enum Kind { PUB, SUB_BEFORE, SUB_AFTER, END_TRANSACTION }

    /** The producer's decision on a transactional message (RocketMQ's LocalTransactionState). */
    public enum TxState { COMMIT, ROLLBACK, UNKNOWN }

    public static TraceEvent pub(String msgId, long timestamp, String group, String topic, String tags, String keys,
                                 String host, int costTime, boolean success, int msgType) {
        return new TraceEvent(Kind.PUB, msgId, timestamp, group, topic, tags, keys, host, costTime, success, 0, 0, msgType);
    }

    public static TraceEvent subBefore(String msgId, long timestamp, String group, String host, int retryTimes, int requestHash) {
        return new TraceEvent(Kind.SUB_BEFORE, msgId, timestamp, group, null, null, null, host, 0, false, retryTimes, requestHash, 0);
    }

    public static TraceEvent subAfter(String msgId, long timestamp, String group, String host, int costTime, boolean success,
                                      int requestHash, int contextCode) {
        return new TraceEvent(Kind.SUB_AFTER, msgId, timestamp, group, null, null, null, host, costTime, success, 0, requestHash, contextCode);
    }

    public static TraceEvent endTransaction(String msgId, long timestamp, String group, String host, TxState state) {
        return new TraceEvent(Kind.END_TRANSACTION, msgId, timestamp, group, null, null, null, host, 0, false, 0, 0, state.ordinal());
    }
}
