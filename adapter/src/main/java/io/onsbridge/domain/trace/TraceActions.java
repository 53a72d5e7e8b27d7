package io.onsbridge.domain.trace;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.message.MessageIds;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.time.Clock;
import java.util.List;

/** The trace actions of trace.md: create a query by message id or key, then poll its result. */
public final class TraceActions implements AutoCloseable {
    private static final long MAX_TASKS = 1_000;
    private static final int TASK_THREADS = 2;
    private static final int QUEUED_TASKS = 256;

    /** Below this a BeginTime/EndTime is in seconds, as trace.md's examples are (ambiguity 1). */
    private static final long FIRST_MILLISECOND_VALUE = 1_000_000_000_000L;

    private final Instances instances;
    private final Topics topics;
    private final TraceTasks tasks;
    private final String userId;
    private final Clock clock;

    private final TraceLookup lookup;

    public TraceActions(Instances instances, Topics topics, TraceLookup lookup, String userId, Clock clock) {
        this.instances = instances;
        this.topics = topics;
        this.lookup = lookup;
        this.userId = userId;
        this.clock = clock;
        this.tasks = new TraceTasks(this::run, clock, MAX_TASKS, TASK_THREADS, QUEUED_TASKS);
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

    public WireObject onsTraceGetResult(Params request) {
        String queryId = request.required("QueryId");
        TraceQuery query = TraceQuery.of(queryId);
        return WireObject.of().with("TraceData", TraceWire.traceData(queryId, query, tasks.poll(queryId, query), userId));
    }

    private WireObject create(Params request, boolean byKey, String value) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        long begin = millis(request.requiredLong("BeginTime", 0, Long.MAX_VALUE));
        long end = millis(request.requiredLong("EndTime", 0, Long.MAX_VALUE));
        if (end < begin) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "must not be before BeginTime.");
        }
        TraceQuery query = new TraceQuery(byKey, instance.instanceId(), topic.name(), value, begin, end, clock.millis());
        return WireObject.of().with("QueryId", tasks.submit(query));
    }

    /** One task: the instance and topic are looked up again, since the query may run on another bridge. */
    private List<TraceLookup.Found> run(TraceQuery query) {
        InstanceRecord instance = instances.require("InstanceId", query.instanceId());
        TopicView topic = topics.require(instance, query.topic());
        try {
            return lookup.run(query, topic.brokerName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OnsErrors.overloaded();
        }
    }

    @Override
    public void close() {
        tasks.close();
    }

    private static long millis(long time) {
        return time < FIRST_MILLISECOND_VALUE ? time * 1_000 : time;
    }
}
