package io.onsbridge.trace;

import io.onsbridge.backend.ClusterException;
import io.onsbridge.backend.MessageClient;
import io.onsbridge.tracecollector.MessageTrace;
import io.onsbridge.tracecollector.TraceAssembler;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceEvent;
import io.onsbridge.tracecollector.TraceEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.topic.TopicValidator;

/**
 * Runs a trace query: finds the messages on the broker (which also proves they belong to the instance's
 * topic, since trace records carry names without the namespace), then their trace records, from the
 * collector when it holds them complete, else from the broker's index of the trace topics.
 */
public final class TraceLookup {
    /** Where a message not yet delivered to its topic waits: delay levels, the 5.x timer, transaction halves. */
    private static final List<String> HOLDING_TOPICS = List.of(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, "rmq_sys_wheel_timer",
            TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC);
    private static final int MAX_MESSAGES = 32;
    /** Client clocks and the trace client's batching (up to ~5 s) make store and record times differ. */
    private static final long COVERAGE_MARGIN_MILLIS = 30_000;
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(2);

    /** A message found on the broker: in its topic, or still waiting in one of the holding topics. */
    public record Located(MessageExt message, String waitingIn) {
        public boolean delivered() {
            return waitingIn == null;
        }

        public boolean transactionHalf() {
            return TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC.equals(waitingIn);
        }
    }

    public record Found(Located located, MessageTrace trace) {
    }

    private final MessageClient messages;
    private final TraceCollector collector;
    private final List<String> traceTopics;
    private final TraceAssembler assembler;
    private final Clock clock;
    private final AtomicLong fromCollector = new AtomicLong();
    private final AtomicLong fromIndex = new AtomicLong();

    public TraceLookup(MessageClient messages, TraceCollector collector, List<String> traceTopics, TraceAssembler assembler, Clock clock) {
        this.messages = messages;
        this.collector = collector;
        this.traceTopics = traceTopics;
        this.assembler = assembler;
        this.clock = clock;
    }

    /** @param brokerTopic the topic with its namespace, {@code X%name} */
    public List<Found> run(TraceQuery query, String brokerTopic) throws InterruptedException {
        List<Located> located = query.byKey() ? byKey(brokerTopic, query.value()) : byId(brokerTopic, query.value());
        located = located.stream().filter(l -> inRange(l.message(), query)).limit(MAX_MESSAGES).toList();
        boolean caughtUp = !located.isEmpty() && collector.awaitCaughtUp(CATCH_UP_WAIT);
        List<Found> found = new ArrayList<>(located.size());
        for (Located l : located) {
            String id = MessageClient.uniqueId(l.message());
            found.add(new Found(l, assembler.assemble(id, records(id, caughtUp), clock.millis())));
        }
        return found;
    }

    /** Lookups answered by the collector's memory, and by the broker's index of the trace topics. */
    public long fromCollector() {
        return fromCollector.get();
    }

    public long fromIndex() {
        return fromIndex.get();
    }

    private List<TraceEvent> records(String msgId, boolean caughtUp) {
        Optional<List<TraceEvent>> held = caughtUp ? collector.store().events(msgId) : Optional.empty();
        long coveredFrom = collector.coveredSince() + COVERAGE_MARGIN_MILLIS;
        // Complete only if the send itself was read after the collector began reading everything: every
        // later record (consumptions, transaction end) was then read too, or is still in no one's hands.
        if (held.isPresent() && held.get().stream().anyMatch(e -> e.kind() == TraceEvent.Kind.PUB && e.timestamp() >= coveredFrom)) {
            fromCollector.incrementAndGet();
            return held.get();
        }
        fromIndex.incrementAndGet();
        List<TraceEvent> events = new ArrayList<>();
        for (String topic : traceTopics) {
            for (MessageExt traceMessage : quietly(() -> messages.byKey(topic, msgId))) {
                TraceEvents.of(traceMessage).stream().filter(e -> msgId.equalsIgnoreCase(e.msgId())).forEach(events::add);
            }
        }
        return events;
    }

    private List<Located> byId(String brokerTopic, String id) {
        Optional<MessageExt> delivered = messages.byId(brokerTopic, id);
        if (delivered.isPresent()) {
            return List.of(new Located(delivered.get(), null));
        }
        for (String holding : HOLDING_TOPICS) {
            Optional<MessageExt> waiting = quietly(() -> messages.byUniqueId(holding, id).stream().toList()).stream()
                    .filter(m -> brokerTopic.equals(m.getProperty(MessageConst.PROPERTY_REAL_TOPIC))).findFirst();
            if (waiting.isPresent()) {
                return List.of(new Located(waiting.get(), holding));
            }
        }
        return List.of();
    }

    private List<Located> byKey(String brokerTopic, String key) {
        Map<String, Located> unique = new LinkedHashMap<>();
        for (MessageExt m : messages.byKey(brokerTopic, key)) {
            unique.putIfAbsent(MessageClient.uniqueId(m), new Located(m, null));
        }
        for (String holding : HOLDING_TOPICS) {
            for (MessageExt m : quietly(() -> messages.byKey(holding, key))) {
                if (brokerTopic.equals(m.getProperty(MessageConst.PROPERTY_REAL_TOPIC))) {
                    unique.putIfAbsent(MessageClient.uniqueId(m), new Located(m, holding));
                }
            }
        }
        return new ArrayList<>(unique.values());
    }

    private static boolean inRange(MessageExt m, TraceQuery q) {
        return (m.getBornTimestamp() >= q.begin() && m.getBornTimestamp() <= q.end())
                || (m.getStoreTimestamp() >= q.begin() && m.getStoreTimestamp() <= q.end());
    }

    /**
     * A system topic that was never used has no route, which the client reports like an outage. The
     * query on the user's own topic ran first, so a real outage has already been reported by then.
     */
    private static List<MessageExt> quietly(java.util.function.Supplier<List<MessageExt>> query) {
        try {
            return query.get();
        } catch (ClusterException e) {
            return List.of();
        }
    }
}
