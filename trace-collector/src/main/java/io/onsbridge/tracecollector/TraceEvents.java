package io.onsbridge.tracecollector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceDataEncoder;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Trace messages into {@link TraceEvent}s, with RocketMQ's own {@link TraceDataEncoder}: the one
 * decoding path of both the collector and the broker-index lookup.
 */
public final class TraceEvents {
    private TraceEvents() {
    }

    /** Every record a trace message batches, each attributed to the client that sent the batch. */
    public static List<TraceEvent> of(MessageExt traceMessage) {
        return of(new String(traceMessage.getBody(), StandardCharsets.UTF_8), traceMessage.getBornHostString());
    }

    public static List<TraceEvent> of(String traceData, String senderHost) {
        List<TraceContext> contexts = TraceDataEncoder.decoderFromTraceDataString(traceData);
        List<TraceEvent> events = new ArrayList<>(contexts.size());
        for (TraceContext context : contexts) {
            if (context.getTraceType() == null || context.getTraceBeans() == null) {
                continue;
            }
            for (TraceBean bean : context.getTraceBeans()) {
                TraceEvent event = of(context, bean, senderHost);
                if (event != null && bean.getMsgId() != null && !bean.getMsgId().isEmpty()) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    private static TraceEvent of(TraceContext c, TraceBean b, String host) {
        return switch (c.getTraceType()) {
            case Pub -> TraceEvent.pub(b.getMsgId(), c.getTimeStamp(), c.getGroupName(), b.getTopic(), blankToNull(b.getTags()),
                    blankToNull(b.getKeys()), host, c.getCostTime(), c.isSuccess(), b.getMsgType() == null ? 0 : b.getMsgType().ordinal());
            case SubBefore -> TraceEvent.subBefore(b.getMsgId(), c.getTimeStamp(), c.getGroupName(), host, b.getRetryTimes(),
                    hash(c.getRequestId()));
            case SubAfter -> TraceEvent.subAfter(b.getMsgId(), c.getTimeStamp(), c.getGroupName(), host, c.getCostTime(), c.isSuccess(),
                    hash(c.getRequestId()), c.getContextCode());
            case EndTransaction -> TraceEvent.endTransaction(b.getMsgId(), c.getTimeStamp(), c.getGroupName(), host,
                    txState(b.getTransactionState()));
            default -> null; // Recall has no ONS counterpart
        };
    }

    private static TraceEvent.TxState txState(LocalTransactionState state) {
        if (state == LocalTransactionState.COMMIT_MESSAGE) {
            return TraceEvent.TxState.COMMIT;
        }
        return state == LocalTransactionState.ROLLBACK_MESSAGE ? TraceEvent.TxState.ROLLBACK : TraceEvent.TxState.UNKNOWN;
    }

    /** Request ids only pair the records of one consumption of one message: a 32-bit hash is enough. */
    static int hash(String requestId) {
        return requestId == null ? 0 : requestId.hashCode();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() || "null".equals(value) ? null : value;
    }
}
