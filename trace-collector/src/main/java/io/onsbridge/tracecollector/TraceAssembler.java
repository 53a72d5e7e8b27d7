package io.onsbridge.tracecollector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the trace records of one message into a {@link MessageTrace}: the one place that knows how
 * records combine, used for what the collector holds and for what the broker's index returns.
 */
public final class TraceAssembler {
    /** RocketMQ's ConsumeReturnType.SUCCESS: any other context code on a SubAfter is a failure. */
    private static final int CONTEXT_SUCCESS = 0;

    private final Duration notReturnAfter;

    /** @param notReturnAfter how long a consumption may run before it counts as {@code CONSUME_NOT_RETURN} */
    public TraceAssembler(Duration notReturnAfter) {
        this.notReturnAfter = notReturnAfter;
    }

    public MessageTrace assemble(String msgId, List<TraceEvent> events, long now) {
        TraceEvent pub = null;
        TraceEvent lastTransaction = null;
        Map<Integer, TraceEvent> after = new HashMap<>();
        // Keyed by request: a trace message the client sent twice (its send is retried) counts once.
        Map<Integer, TraceEvent> before = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            switch (e.kind()) {
                case PUB -> pub = pub == null || e.success() ? e : pub; // a retried send that succeeded wins
                case END_TRANSACTION -> lastTransaction = lastTransaction == null || e.timestamp() >= lastTransaction.timestamp() ? e : lastTransaction;
                case SUB_BEFORE -> before.putIfAbsent(pairKey(e), e);
                case SUB_AFTER -> after.put(pairKey(e), e);
            }
        }
        List<TraceEvent> starts = new ArrayList<>(before.values());
        starts.sort(Comparator.comparingLong(TraceEvent::timestamp));
        Map<String, List<MessageTrace.Consumption>> byGroup = new LinkedHashMap<>();
        for (TraceEvent start : starts) {
            TraceEvent end = after.get(pairKey(start));
            MessageTrace.Status status;
            if (end != null) {
                status = end.success() && end.code() == CONTEXT_SUCCESS ? MessageTrace.Status.CONSUME_SUCCESS : MessageTrace.Status.CONSUME_FAILED;
            } else if (now - start.timestamp() >= notReturnAfter.toMillis()) {
                status = MessageTrace.Status.CONSUME_NOT_RETURN;
            } else {
                continue; // still running, or its SubAfter is on its way: not a result yet
            }
            byGroup.computeIfAbsent(start.group(), g -> new ArrayList<>()).add(new MessageTrace.Consumption(start.group(),
                    start.host(), start.timestamp(), end == null ? 0 : end.costTime(), status, start.retryTimes()));
        }
        List<MessageTrace.GroupConsumptions> groups = new ArrayList<>();
        byGroup.forEach((group, list) -> groups.add(new MessageTrace.GroupConsumptions(group, List.copyOf(list))));
        TraceEvent.TxState transaction = lastTransaction == null ? null : TraceEvent.TxState.values()[lastTransaction.code()];
        return new MessageTrace(msgId, pub, transaction, List.copyOf(groups));
    }

    /**
     * A SubAfter belongs to the SubBefore of the same request: the client draws a new request id for every
     * listener call, and older clients write SubAfter records without a group.
     */
    private static int pairKey(TraceEvent e) {
        return e.requestHash();
    }
}
