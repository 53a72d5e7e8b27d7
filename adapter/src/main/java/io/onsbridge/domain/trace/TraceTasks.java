package io.onsbridge.domain.trace;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.onsbridge.domain.OnsErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The trace query tasks: each runs once in a small bounded pool, its result kept in a bounded table
 * until the query's lifetime ends. A query this bridge does not hold (restart, eviction, another
 * bridge created it) simply runs again, since its QueryId says everything it needs.
 */
public final class TraceTasks implements AutoCloseable {
    public static final Duration LIFETIME = Duration.ofHours(1);

    public enum Status { working, finish, removed }

    /** A task's state: its result once finished, or the failure to report (after which it runs again). */
    public record State(Status status, long updatedAt, List<TraceLookup.Found> result, RuntimeException failure) {
    }

    private final Function<TraceQuery, List<TraceLookup.Found>> runner;
    private final Clock clock;
    private final Cache<String, State> tasks;
    private final ThreadPoolExecutor pool;

    /**
     * @param runner   runs one query (blocking); its exceptions are reported by the next poll
     * @param maxTasks tasks remembered at once; older ones are forgotten, not lost (they run again)
     */
    public TraceTasks(Function<TraceQuery, List<TraceLookup.Found>> runner, Clock clock, long maxTasks, int threads, int queue) {
        this.runner = runner;
        this.clock = clock;
        this.tasks = Caffeine.newBuilder().maximumSize(maxTasks).expireAfterWrite(LIFETIME).build();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                new DefaultThreadFactory("ons-trace-query", true));
    }

    /** Starts the query and returns its QueryId. */
    public String submit(TraceQuery query) {
        String queryId = query.queryId();
        start(queryId, query);
        return queryId;
    }

    /** The task's state now; a query past its lifetime is {@code removed}. */
    public State poll(String queryId, TraceQuery query) {
        if (query.createdAt() + LIFETIME.toMillis() < clock.millis()) {
            tasks.invalidate(queryId);
            return new State(Status.removed, query.createdAt() + LIFETIME.toMillis(), List.of(), null);
        }
        State state = tasks.getIfPresent(queryId);
        if (state == null) {
            return start(queryId, query);
        }
        if (state.failure() != null) {
            tasks.invalidate(queryId); // report it once; the next poll tries again
            throw state.failure();
        }
        return state;
    }

    private State start(String queryId, TraceQuery query) {
        State working = new State(Status.working, clock.millis(), List.of(), null);
        State previous = tasks.asMap().putIfAbsent(queryId, working);
        if (previous != null) {
            return previous;
        }
        try {
            pool.execute(() -> {
                State done;
                try {
                    done = new State(Status.finish, clock.millis(), runner.apply(query), null);
                } catch (RuntimeException e) {
                    done = new State(Status.working, clock.millis(), List.of(), e);
                }
                tasks.asMap().replace(queryId, working, done);
            });
        } catch (RejectedExecutionException e) {
            tasks.invalidate(queryId);
            throw OnsErrors.overloaded();
        }
        return working;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
