package io.onsbridge.domain.trace;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.tracecollector.MessageTrace;
import io.onsbridge.tracecollector.TraceAssembler;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceEvent;
import io.onsbridge.tracecollector.TraceEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a trace query: finds the messages on the broker (which also proves they belong to the instance's
 * topic, since trace records carry names without the namespace), then their trace records, from the
 * collector when it holds them complete, else from the broker's index of the trace topics.
 *
 * <p>A query whose traces the collector holds costs at most one round trip to the cluster, the messages' index
 * lookup (none when they were located lately, see {@link RecentlyLocated}), sent from the caller's thread and
 * answered in the cluster client's callback thread, with no thread waiting for it ({@link #start}); the rest is
 * the slow path ({@link #complete}), run on a pool.
 */
public final class TraceLookup {
    private static final int MAX_MESSAGES = 32;
    /** RocketMQ's TrackType of a group whose offset passed the message (and whose subscription takes it). */
    private static final String CONSUMED = "CONSUMED";
    /** Client clocks and the trace client's batching (up to ~5 s) make store and record times differ. */
    private static final long COVERAGE_MARGIN_MILLIS = 30_000;
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(2);
    /**
     * How old the trace topics' ends may be for the collector's answer (asked of the brokers at most this
     * often, whatever the number of queries): a record stored less than this before a query, that the
     * collector (a long poll behind the brokers, usually a few ms) has not read yet, is left out, as is one
     * its client has not sent yet (traced clients send their records in batches).
     */
    static final Duration ENDS_MAX_AGE = Duration.ofMillis(100);

    /** A message found on the broker: in its topic, or still waiting in one of the holding topics. */
    public record Located(StoredMessage message, String waitingIn) {
        public boolean delivered() {
            return waitingIn == null;
        }

        public boolean transactionHalf() {
            return ResourceNames.TRANSACTION_HALF_TOPIC.equals(waitingIn);
        }
    }

    /**
     * @param consumedByOffset groups (broker names, {@code X%GID}) whose offsets passed a delivered message that no
     *                         consumption record names: consumed, as far as the broker knows, by a client and at a
     *                         time it cannot tell. Asked only for a trace without any consumption.
     */
    public record Found(Located located, MessageTrace trace, List<String> consumedByOffset) {
        public Found(Located located, MessageTrace trace) {
            this(located, trace, List.of());
        }
    }

    private final ClusterMessages messages;
    private final ClusterConsumers consumers;
    private final TraceCollector collector;
    private final List<String> traceTopics;
    private final TraceAssembler assembler;
    private final Clock clock;
    private final AtomicLong fromCollector = new AtomicLong();
    private final AtomicLong fromIndex = new AtomicLong();
    private final RecentlyLocated recentlyLocated = new RecentlyLocated();

    public TraceLookup(Cluster cluster, TraceCollector collector, List<String> traceTopics, TraceAssembler assembler, Clock clock) {
        this.messages = cluster.messages();
        this.consumers = cluster.consumers();
        this.collector = collector;
        this.traceTopics = traceTopics;
        this.assembler = assembler;
        this.clock = clock;
    }

    /** The whole query, in the caller's thread: {@link #locate}, then the collector's answer or {@link #complete}. */
    public List<Found> run(TraceQuery query, String brokerTopic) {
        List<Located> located = locate(query, brokerTopic);
        return fromCollector(located).orElseGet(() -> complete(located));
    }

    /**
     * The whole query without a thread waiting for the cluster: the index request is sent from the caller's thread
     * and, when the collector holds the traces, its answer completes the query in the cluster client's callback
     * thread, in memory. Anything that may wait (a message not found by its unique id, so perhaps an offset id or
     * a message in a holding topic; trace topics' ends not asked lately; a wait for the collector; the broker's
     * index of the trace topics; a trace without consumptions) runs {@link #run}'s way on {@code slow}.
     */
    public CompletableFuture<List<Found>> start(TraceQuery query, String brokerTopic, Executor slow) {
        List<Located> known = recentlyLocated.get(query, brokerTopic);
        if (known != null) {
            return answer(inRange(known, query), slow);
        }
        if (query.byKey()) {
            return messages.byKeyAsync(keyTopics(brokerTopic), query.value())
                    .thenCompose(found -> answer(inRange(recentlyLocated.put(query, brokerTopic, byKey(brokerTopic, found)), query), slow));
        }
        return messages.byUniqueIdAsync(brokerTopic, query.value()).thenCompose(found -> found.isPresent()
                ? answer(inRange(recentlyLocated.put(query, brokerTopic, List.of(new Located(found.get(), null))), query), slow)
                : CompletableFuture.supplyAsync(() -> run(query, brokerTopic), slow));
    }

    private CompletableFuture<List<Found>> answer(List<Located> located, Executor slow) {
        return fromCollector(located, false).map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.supplyAsync(() -> fromCollector(located).orElseGet(() -> complete(located)), slow));
    }

    /**
     * The query's messages on the broker: one index lookup for an id (a message still waiting in a
     * holding topic costs more); by key, the topic's and the holding topics' indexes at once.
     *
     * @param brokerTopic the topic with its namespace, {@code X%name}
     */
    public List<Located> locate(TraceQuery query, String brokerTopic) {
        List<Located> located = recentlyLocated.get(query, brokerTopic);
        if (located == null) {
            located = recentlyLocated.put(query, brokerTopic, query.byKey()
                    ? byKey(brokerTopic, messages.byKey(keyTopics(brokerTopic), query.value())) : byId(brokerTopic, query.value()));
        }
        return inRange(located, query);
    }

    private static List<Located> inRange(List<Located> located, TraceQuery query) {
        return located.stream().filter(l -> inRange(l.message(), query)).limit(MAX_MESSAGES).toList();
    }

    /**
     * The traces, if the collector holds every message's whole story now: it has read the trace topics up
     * to their ends of the last {@link #ENDS_MAX_AGE} (asked of the brokers at most that often) and read
     * each message's send. Made in memory without waiting; empty when the broker's index or a wait for the
     * collector is needed ({@link #complete}).
     */
    public Optional<List<Found>> fromCollector(List<Located> located) {
        return fromCollector(located, true);
    }

    /** {@link #fromCollector(List)}; without {@code mayWait}, also empty where it would ask the cluster. */
    private Optional<List<Found>> fromCollector(List<Located> located, boolean mayWait) {
        if (located.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!collector.reached(mayWait ? collector.recentEnds(ENDS_MAX_AGE) : collector.freshEnds(ENDS_MAX_AGE))) {
            return Optional.empty();
        }
        List<Found> found = new ArrayList<>(located.size());
        for (Located l : located) {
            String id = l.message().uniqueId();
            Optional<List<TraceEvent>> held = held(id);
            if (held.isEmpty()) {
                return Optional.empty();
            }
            MessageTrace trace = assembler.assemble(id, held.get(), clock.millis());
            if (!mayWait && needsTrack(l, trace)) {
                return Optional.empty();
            }
            found.add(found(l, trace));
        }
        fromCollector.addAndGet(found.size());
        return Optional.of(found);
    }

    /** The traces, waiting up to 2 s for the collector to catch up, else from the broker's index of the trace topics. */
    public List<Found> complete(List<Located> located) {
        boolean caughtUp = !located.isEmpty() && awaitCaughtUp(collector.ends());
        List<Found> found = new ArrayList<>(located.size());
        for (Located l : located) {
            String id = l.message().uniqueId();
            found.add(found(l, assembler.assemble(id, records(id, caughtUp), clock.millis())));
        }
        return found;
    }

    /**
     * A trace without consumptions of a delivered message (its consumers trace nothing, or their records are not
     * in yet) says what the broker knows rather than nothing: which groups' offsets passed it (RocketMQ's
     * message track, one more round trip, only then).
     */
    private Found found(Located located, MessageTrace trace) {
        if (!needsTrack(located, trace)) {
            return new Found(located, trace);
        }
        List<String> consumed = consumers.track(located.message()).stream()
                .filter(t -> CONSUMED.equals(t.type())).map(ClusterConsumers.Track::group).toList();
        return new Found(located, trace, consumed);
    }

    private static boolean needsTrack(Located located, MessageTrace trace) {
        return located.delivered() && trace.groups().isEmpty();
    }

    private boolean awaitCaughtUp(Optional<TraceCollector.Ends> ends) {
        try {
            return collector.awaitReached(ends, CATCH_UP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // as if behind: the broker's index answers
        }
    }

    /** Lookups answered by the collector's memory, and by the broker's index of the trace topics. */
    public long fromCollector() {
        return fromCollector.get();
    }

    public long fromIndex() {
        return fromIndex.get();
    }

    /**
     * The collector's records of a message if they are its whole story as far as the collector has read:
     * the send itself was read after the collector began reading everything, so every later record
     * (consumptions, transaction end) was read too, or is still in no one's hands.
     */
    private Optional<List<TraceEvent>> held(String msgId) {
        long coveredFrom = collector.coveredSince() + COVERAGE_MARGIN_MILLIS;
        return collector.store().events(msgId)
                .filter(events -> events.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.PUB && e.timestamp() >= coveredFrom));
    }

    private List<TraceEvent> records(String msgId, boolean caughtUp) {
        Optional<List<TraceEvent>> held = caughtUp ? held(msgId) : Optional.empty();
        if (held.isPresent()) {
            fromCollector.incrementAndGet();
            return held.get();
        }
        fromIndex.incrementAndGet();
        List<TraceEvent> events = new ArrayList<>();
        for (List<StoredMessage> found : messages.byKey(traceTopics, msgId).values()) {
            for (StoredMessage traceMessage : found) {
                TraceEvents.of(new String(traceMessage.body(), StandardCharsets.UTF_8), traceMessage.bornIp()).stream().filter(e -> msgId.equalsIgnoreCase(e.msgId())).forEach(events::add);
            }
        }
        return events;
    }

    private List<Located> byId(String brokerTopic, String id) {
        Optional<StoredMessage> delivered = messages.byId(brokerTopic, id);
        if (delivered.isPresent()) {
            return List.of(new Located(delivered.get(), null));
        }
        for (String holding : ResourceNames.HOLDING_TOPICS) {
            Optional<StoredMessage> waiting = messages.byUniqueId(holding, id)
                    .filter(m -> brokerTopic.equals(m.property(MessageProperties.REAL_TOPIC)));
            if (waiting.isPresent()) {
                return List.of(new Located(waiting.get(), holding));
            }
        }
        return List.of();
    }

    /** The topic and every holding topic: their indexes are asked at once (one round trip). */
    private static List<String> keyTopics(String brokerTopic) {
        List<String> topics = new ArrayList<>();
        topics.add(brokerTopic);
        topics.addAll(ResourceNames.HOLDING_TOPICS);
        return topics;
    }

    /** The messages of the key found in the topic ({@link #keyTopics}), and those held for it in a holding topic. */
    private static List<Located> byKey(String brokerTopic, Map<String, List<StoredMessage>> found) {
        Map<String, Located> unique = new LinkedHashMap<>();
        for (StoredMessage m : found.get(brokerTopic)) {
            unique.putIfAbsent(m.uniqueId(), new Located(m, null));
        }
        for (String holding : ResourceNames.HOLDING_TOPICS) {
            for (StoredMessage m : found.get(holding)) {
                if (brokerTopic.equals(m.property(MessageProperties.REAL_TOPIC))) {
                    unique.putIfAbsent(m.uniqueId(), new Located(m, holding));
                }
            }
        }
        return new ArrayList<>(unique.values());
    }

    private static boolean inRange(StoredMessage m, TraceQuery q) {
        return (m.bornTimestamp() >= q.begin() && m.bornTimestamp() <= q.end())
                || (m.storeTimestamp() >= q.begin() && m.storeTimestamp() <= q.end());
    }
}
