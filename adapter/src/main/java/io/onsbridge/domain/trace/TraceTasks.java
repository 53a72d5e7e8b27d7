package io.onsbridge.domain.trace;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.onsbridge.domain.OldestFirstTable;
import io.onsbridge.domain.OnsErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The trace query tasks: each runs once in a small bounded pool, its result kept in a bounded table
 * until the query's lifetime ends. A poll waits for a task until a budget after the task's start, so a
 * query whose answer is quick (the collector holds the trace) is finished at its first poll; only a slow
 * one (the broker's index, a collector catching up) is still {@code working} then, and later polls of it
 * answer at once.
 * A query this bridge does not hold (restart, eviction, another bridge created it) simply runs again,
 * since its QueryId says everything it needs.
 */
public final class TraceTasks implements AutoCloseable {
    public static final Duration LIFETIME = Duration.ofHours(1);

    public enum Status { working, finish, removed }

    /** A task's state: its result once finished, or the failure to report (after which it runs again). */
    public record State(Status status, long updatedAt, List<TraceLookup.Found> result, RuntimeException failure) {
    }

    /** A task: when it started, and its state once done. */
    private record Task(long startedAt, CompletableFuture<State> done) {
        State now() {
            return done.getNow(new State(Status.working, startedAt, List.of(), null));
        }
    }

    private final Clock clock;
    private final Duration budget;
    private final OldestFirstTable<Task> tasks;
    private final ThreadPoolExecutor pool;

    /**
     * @param maxTasks tasks remembered at once; older ones are forgotten, not lost (they run again)
     * @param budget   how long whoever starts a task waits for it before answering
     */
    public TraceTasks(Clock clock, long maxTasks, int threads, int queue, Duration budget) {
        this.clock = clock;
        this.budget = budget;
        this.tasks = new OldestFirstTable<>(clock, maxTasks, LIFETIME);
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                new DefaultThreadFactory("ons-trace-query", true));
    }

    /** Starts the query (blocking {@code work}, whose exceptions the next poll reports) and returns its QueryId. */
    public String submit(TraceQuery query, Supplier<List<TraceLookup.Found>> work) {
        String queryId = query.queryId();
        start(queryId, work);
        return queryId;
    }

    /**
     * Starts a query whose work waits in no thread (see {@link TraceLookup#start}): {@code work} is called now, in the
     * caller's thread, with the pool for its blocking rest; its failure is reported by the next poll. Returns the QueryId.
     */
    public String submitStarted(TraceQuery query, Function<Executor, CompletableFuture<List<TraceLookup.Found>>> work) {
        String queryId = query.queryId();
        Task task = new Task(clock.millis(), new CompletableFuture<>());
        if (tasks.putIfAbsent(queryId, task) != null) {
            return queryId;
        }
        CompletableFuture<List<TraceLookup.Found>> started;
        try {
            started = work.apply(pool);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((found, failure) -> task.done().complete(failure == null ? finished(found) : failed(failure)));
        return queryId;
    }

    /** Forgets a task whose query turned out to be invalid: nobody will ask for it. */
    public void forget(String queryId) {
        tasks.remove(queryId);
    }

    /**
     * The task's state, once it finished or its budget is spent: a query past its lifetime is {@code removed};
     * one this bridge does not hold runs ({@code work}) now. No thread waits meanwhile: the state completes on the
     * thread that finishes the task, or when the budget is spent; a failed task's failure completes it
     * exceptionally, once (the next poll tries again).
     */
    public CompletableFuture<State> poll(String queryId, TraceQuery query, Supplier<List<TraceLookup.Found>> work) {
        if (query.createdAt() + LIFETIME.toMillis() < clock.millis()) {
            tasks.remove(queryId);
            return CompletableFuture.completedFuture(new State(Status.removed, query.createdAt() + LIFETIME.toMillis(), List.of(), null));
        }
        Task held = tasks.get(queryId);
        Task task = held != null ? held : start(queryId, work);
        return done(task).thenApply(state -> {
            if (state.failure() != null) {
                tasks.remove(queryId, task); // report it once; the next poll tries again
                throw state.failure();
            }
            return state;
        });
    }

    /** Tasks held now (bounded by maxTasks). */
    public long size() {
        return tasks.size();
    }

    private Task start(String queryId, Supplier<List<TraceLookup.Found>> work) {
        Task task = new Task(clock.millis(), new CompletableFuture<>());
        Task previous = tasks.putIfAbsent(queryId, task);
        if (previous != null) {
            return previous;
        }
        try {
            pool.execute(() -> {
                try {
                    task.done().complete(finished(work.get()));
                } catch (RuntimeException e) {
                    task.done().complete(failed(e));
                }
            });
        } catch (RejectedExecutionException e) {
            tasks.remove(queryId);
            throw OnsErrors.overloaded();
        }
        return task;
    }

    private State finished(List<TraceLookup.Found> found) {
        return new State(Status.finish, clock.millis(), found, null);
    }

    /** A failure to report: the work's own, unwrapped; a pool with no room for the slow path is an overload. */
    private State failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        RuntimeException reported = cause instanceof RejectedExecutionException ? OnsErrors.overloaded()
                : cause instanceof RuntimeException e ? e : new IllegalStateException("a trace query failed", cause);
        return new State(Status.working, clock.millis(), List.of(), reported);
    }

    /** The task's state once it finished, or when its budget (counted from its start) is spent, whichever comes first. */
    private CompletableFuture<State> done(Task task) {
        long left = TimeUnit.MILLISECONDS.toNanos(task.startedAt() + budget.toMillis() - clock.millis());
        if (left <= 0 || task.done().isDone()) {
            return CompletableFuture.completedFuture(task.now());
        }
        // still running when the budget is spent: the client polls again, as on ONS
        return task.done().copy().completeOnTimeout(task.now(), left, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
