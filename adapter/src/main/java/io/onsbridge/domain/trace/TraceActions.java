package io.onsbridge.domain.trace;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.Pending;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.RecentlyFound;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.message.MessageIds;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The trace actions of trace.md: create a query by message id or key, then poll its result. A query's work
 * starts when it is created and its first poll waits for it, up to {@link #BUDGET}, so that the first poll
 * usually answers {@code finish}; its instance, topic and lookup reads run at once, one round trip to the
 * cluster in all.
 */
public final class TraceActions implements AutoCloseable {
    private static final long MAX_TASKS = 1_000;
    /** As many as concurrent queries commonly are; each mostly waits on the cluster. */
    private static final int TASK_THREADS = 8;
    private static final int QUEUED_TASKS = 256;
    /** How long after its start a query's task is waited for by a poll (also of a query this bridge does not hold). */
    static final Duration BUDGET = Duration.ofMillis(500);

    /** Below this a BeginTime/EndTime is in seconds, as trace.md's examples are (ambiguity 1). */
    private static final long FIRST_MILLISECOND_VALUE = 1_000_000_000_000L;

    private final Instances instances;
    private final Topics topics;
    private final Cluster cluster;
    private final TraceTasks tasks;
    private final String userId;
    private final Clock clock;

    private final TraceLookup lookup;
    /** Instances and topics found lately: a user looking at traces asks of the same topic again and again. */
    private final RecentlyFound<InstanceRecord> found = new RecentlyFound<>();

    public TraceActions(Instances instances, Topics topics, Cluster cluster, TraceLookup lookup, String userId, Clock clock) {
        this.instances = instances;
        this.topics = topics;
        this.cluster = cluster;
        this.lookup = lookup;
        this.userId = userId;
        this.clock = clock;
        this.tasks = new TraceTasks(clock, MAX_TASKS, TASK_THREADS, QUEUED_TASKS, BUDGET);
    }

    public WireObject onsTraceQueryByMsgId(Params request) {
        return create(request, false, MessageIds.param(request));
    }

    public WireObject onsTraceQueryByMsgKey(Params request) {
        String key = request.optional("MsgKey", 128);
        if (key == null) {
            throw OnsErrors.missingParameter("MsgKey");
        }
        return create(request, true, key);
    }

    /**
     * Answers once the query's task finished or its budget is spent, on the thread that finishes it (usually the
     * cluster client's, when the index reply arrives), with no worker waiting meanwhile.
     */
    public CompletableFuture<WireObject> onsTraceGetResult(Params request) {
        String queryId = request.required("QueryId");
        TraceQuery query = TraceQuery.of(queryId);
        return tasks.poll(queryId, query, () -> run(query))
                .thenApply(state -> WireObject.of().with("TraceData", TraceWire.traceData(queryId, query, state, userId)));
    }

    /**
     * Starts the query's task and answers its QueryId without waiting for it: the task's one round trip to the
     * cluster (the message's index lookup, sent from this thread; the collector holds the traces) runs while the
     * answer travels back to the client and the client sends its first poll, which waits for the task up to
     * {@link #BUDGET}. No thread waits for the lookup and none is handed the task: its answer completes it in the
     * cluster client's callback thread ({@link TraceLookup#start}). So the first poll usually answers
     * {@code finish}, and the two calls cost the client little more than two calls with no cluster read. The instance and the topic are checked in this thread, alongside the task, unless found
     * lately (see {@link RecentlyFound}); a query that fails them is forgotten.
     */
    private WireObject create(Params request, boolean byKey, String value) {
        String instanceId = request.required("InstanceId");
        Instances.checkId("InstanceId", instanceId);
        String topicName = request.required("Topic");
        String brokerTopic = instances.brokerName(instanceId, topicName);
        long begin = millis(request.requiredLong("BeginTime", 0, Long.MAX_VALUE));
        long end = millis(request.requiredLong("EndTime", 0, Long.MAX_VALUE));
        if (end < begin) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "must not be before BeginTime.");
        }
        TraceQuery query = new TraceQuery(byKey, instanceId, topicName, value, begin, end, clock.millis());
        boolean known = found.get(instanceId, brokerTopic) != null;
        Pending<InstanceRecord> instance = known ? null : instances.requireMeanwhile("InstanceId", instanceId);
        String queryId = tasks.submitStarted(query, slow -> lookup.start(query, brokerTopic, slow));
        if (!known) {
            try {
                Optional<TopicView> topic = topics.find(brokerTopic);
                InstanceRecord record = instance.get();
                topic.orElseThrow(() -> OnsErrors.topicNotFound(topicName));
                found.put(instanceId, brokerTopic, record);
            } catch (RuntimeException e) {
                tasks.forget(queryId);
                throw e;
            }
        }
        return WireObject.of().with("QueryId", queryId);
    }

    /**
     * A query this bridge does not hold (another bridge created it, or this one forgot it): the instance
     * and topic are checked again, alongside the lookup.
     */
    private List<TraceLookup.Found> run(TraceQuery query) {
        Pending<InstanceRecord> instance = instances.requireMeanwhile("InstanceId", query.instanceId());
        String brokerTopic = instances.brokerName(query.instanceId(), query.topic());
        Pending<List<TraceLookup.Found>> found = cluster.meanwhile(() -> lookup.run(query, brokerTopic));
        Optional<TopicView> topic = topics.find(brokerTopic);
        instance.get();
        topic.orElseThrow(() -> OnsErrors.topicNotFound(query.topic()));
        return found.get();
    }

    @Override
    public void close() {
        tasks.close();
    }

    private static long millis(long time) {
        return time < FIRST_MILLISECOND_VALUE ? time * 1_000 : time;
    }
}
