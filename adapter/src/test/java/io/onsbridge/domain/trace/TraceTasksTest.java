package io.onsbridge.domain.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.OnsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TraceTasksTest {
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private static TraceQuery query(String value) {
        return new TraceQuery(false, "MQ_INST_1_abc", "orders", value, 0, 1, System.currentTimeMillis());
    }

    @Test
    void aQuickQueryIsFinishedAtItsFirstPoll() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery query = query("quick");
            String id = tasks.submit(query, List::of);
            AtomicInteger reruns = new AtomicInteger();
            assertThat(polled(tasks, id, query, () -> {
                reruns.incrementAndGet();
                return List.of();
            }).status()).isEqualTo(TraceTasks.Status.finish);
            assertThat(reruns).hasValue(0);
        }
    }

    @Test
    void aSlowQueryIsWorkingAfterTheBudgetThenLaterPollsAnswerAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, Duration.ofMillis(300))) {
            TraceQuery query = query("slow");
            long start = System.nanoTime(); // the budget counts from the task's start
            String id = tasks.submit(query, () -> {
                awaitQuietly(release);
                return List.of();
            });
            assertThat(polled(tasks, id, query, List::of).status()).isEqualTo(TraceTasks.Status.working);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(290)); // the clock's millisecond
            long again = System.nanoTime();
            assertThat(polled(tasks, id, query, List::of).status()).isEqualTo(TraceTasks.Status.working);
            assertThat(System.nanoTime() - again).as("the budget is spent: no second wait")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(250));
            release.countDown();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> polled(tasks, id, query, List::of).status() == TraceTasks.Status.finish);
        }
    }

    @Test
    void aQueryThisTableDoesNotHoldRunsAndIsAnsweredAtTheFirstPoll() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery query = query("elsewhere"); // as if another bridge had made the QueryId
            assertThat(polled(tasks, query.queryId(), query, List::of).status()).isEqualTo(TraceTasks.Status.finish);
        }
    }

    @Test
    void aFailureIsReportedOnceThenTheQueryRunsAgain() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery query = query("failing");
            String id = tasks.submit(query, () -> {
                throw new IllegalStateException("cluster unreachable");
            });
            assertThatThrownBy(() -> polled(tasks, id, query, List::of)).hasMessageContaining("unreachable");
            assertThat(polled(tasks, id, query, List::of).status()).isEqualTo(TraceTasks.Status.finish);
        }
    }

    @Test
    void aStartedQueryIsFinishedAtItsFirstPollOnceItsAnswerCompletesIt() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery query = query("started");
            CompletableFuture<List<TraceLookup.Found>> answer = new CompletableFuture<>();
            AtomicReference<Thread> caller = new AtomicReference<>();
            String id = tasks.submitStarted(query, slow -> {
                caller.set(Thread.currentThread());
                return answer;
            });
            assertThat(caller.get()).as("started in the caller's thread, handed to no pool").isSameAs(Thread.currentThread());
            CompletableFuture<TraceTasks.State> firstPoll = tasks.poll(id, query, () -> {
                throw new AssertionError("a held query does not run again");
            });
            assertThat(firstPoll).as("a poll of a running task holds no thread: it answers when the task does").isNotDone();
            AtomicReference<Thread> answeredOn = new AtomicReference<>();
            CompletableFuture<TraceTasks.State> answered = firstPoll.whenComplete((state, failure) -> answeredOn.set(Thread.currentThread()));
            // completed later by another thread, as the cluster client's callback thread does
            CompletableFuture.runAsync(() -> answer.complete(List.of()), CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            assertThat(answered.join().status()).isEqualTo(TraceTasks.Status.finish);
            assertThat(answeredOn.get()).as("answered on the thread that completed the task").isNotSameAs(Thread.currentThread());
            assertThat(polled(tasks, id, query, () -> {
                throw new AssertionError("a held query does not run again");
            }).status()).isEqualTo(TraceTasks.Status.finish);
        }
    }

    @Test
    void aStartedQueryWhoseSlowPathFindsNoRoomIsAnsweredAsOverloadedOnceThenRunsAgain() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery query = query("overloaded");
            String id = tasks.submitStarted(query, slow -> CompletableFuture.supplyAsync(List::of, command -> {
                throw new RejectedExecutionException("full");
            }));
            assertThatThrownBy(() -> polled(tasks, id, query, List::of)).isInstanceOf(OnsException.class)
                    .satisfies(e -> assertThat(((OnsException) e).error()).isEqualTo(OnsErrors.overloaded().error()));
            assertThat(polled(tasks, id, query, List::of).status()).isEqualTo(TraceTasks.Status.finish);
        }
    }

    @Test
    void aStartedQueryThatFailsAtOnceIsReportedAtThePoll() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery query = query("failing at once");
            String id = tasks.submitStarted(query, slow -> {
                throw new IllegalStateException("no route to the brokers");
            });
            assertThatThrownBy(() -> polled(tasks, id, query, List::of)).hasMessageContaining("no route");
        }
    }

    @Test
    void theTableStaysBounded() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 5, 1, 100, BUDGET)) {
            for (int i = 0; i < 50; i++) {
                TraceQuery query = query("q" + i);
                assertThat(polled(tasks, tasks.submit(query, List::of), query, List::of).status()).isEqualTo(TraceTasks.Status.finish);
            }
            assertThat(tasks.size()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void aFullTableForgetsTheOldestTasksNotTheNewest() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 100, BUDGET)) {
            // each task polled once, as a client does right after its query: the table's use counts are all equal
            List<TraceQuery> queries = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TraceQuery query = query("q" + i);
                queries.add(query);
                assertThat(polled(tasks, tasks.submit(query, List::of), query, List::of).status()).isEqualTo(TraceTasks.Status.finish);
            }
            for (int i = 190; i < 200; i++) {
                TraceQuery recent = queries.get(i);
                assertThat(polled(tasks, recent.queryId(), recent, () -> {
                    throw new AssertionError(recent.value() + " was one of the 10 newest, and ran again");
                }).status()).isEqualTo(TraceTasks.Status.finish);
            }
            TraceQuery oldest = queries.get(0);
            AtomicInteger ranAgain = new AtomicInteger();
            polled(tasks, oldest.queryId(), oldest, () -> {
                ranAgain.incrementAndGet();
                return List.of();
            });
            assertThat(ranAgain).hasValue(1);
        }
    }

    @Test
    void anOldQueryIsRemovedWithoutRunning() {
        try (TraceTasks tasks = new TraceTasks(Clock.systemUTC(), 10, 1, 1, BUDGET)) {
            TraceQuery old = new TraceQuery(false, "MQ_INST_1_abc", "orders", "old", 0, 1,
                    System.currentTimeMillis() - TraceTasks.LIFETIME.toMillis() - 1_000);
            assertThat(polled(tasks, old.queryId(), old, () -> {
                throw new AssertionError("a removed query does not run");
            }).status()).isEqualTo(TraceTasks.Status.removed);
        }
    }

    /** A poll's answer, waited for here; the HTTP door writes it when the future completes instead. */
    private static TraceTasks.State polled(TraceTasks tasks, String id, TraceQuery query, Supplier<List<TraceLookup.Found>> work) {
        try {
            return tasks.poll(id, query, work).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
