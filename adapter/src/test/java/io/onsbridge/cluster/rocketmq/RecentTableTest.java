package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.cluster.ClusterException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentTableTest {
    private static final long MILLI = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MILLI);
    private final AtomicInteger reads = new AtomicInteger();

    /** Each read answers its own number: which read a caller was served is visible. */
    private RecentTable<Integer> table(java.util.concurrent.Executor background) {
        return new RecentTable<>(key -> reads.incrementAndGet(), background, clock::get);
    }

    @Test
    void servesOneReadForUnderASecondThenReadsAgain() {
        RecentTable<Integer> table = table(Runnable::run);
        assertThat(table.get("t")).isEqualTo(1);
        clock.addAndGet(250 * MILLI);
        assertThat(table.get("t")).isEqualTo(1);
        clock.addAndGet(651 * MILLI); // 901 ms after the read started: too old to serve
        assertThat(table.get("t")).isEqualTo(2);
        assertThat(table.get("other")).as("each key its own table").isEqualTo(3);
    }

    @Test
    void pastHalfItsTimeACallerIsServedWhileTheNextReadRunsInTheBackground() {
        java.util.List<Runnable> background = new java.util.ArrayList<>();
        RecentTable<Integer> table = table(background::add);
        assertThat(table.get("t")).isEqualTo(1);
        clock.addAndGet(RecentTable.REFRESH_AFTER.toNanos() + MILLI);
        assertThat(table.get("t")).as("served at once, the read started aside").isEqualTo(1);
        assertThat(reads).as("not read yet: the read waits for the background executor").hasValue(1);
        new java.util.ArrayList<>(background).forEach(Runnable::run); // the read, and the cache's own upkeep
        assertThat(reads).hasValue(2);
        assertThat(table.get("t")).isEqualTo(2);
    }

    @Test
    void isHeldOnlyWhileTheNextCallerWouldNotRead() {
        RecentTable<Integer> table = table(Runnable::run);
        assertThat(table.isHeld("t")).as("never read").isFalse();
        table.get("t");
        assertThat(table.isHeld("t")).isTrue();
        table.writing("t", () -> { });
        assertThat(table.isHeld("t")).as("a write of ours since").isFalse();
        table.get("t");
        clock.addAndGet(901 * MILLI);
        assertThat(table.isHeld("t")).as("too old to serve").isFalse();
        assertThat(reads).as("asking reads nothing").hasValue(2);
    }

    @Test
    void aWriteOfThisBridgeIsSeenByTheNextCaller() {
        RecentTable<Integer> table = table(Runnable::run);
        assertThat(table.get("t")).isEqualTo(1);
        table.writing("t", () -> { });
        assertThat(table.get("t")).isEqualTo(2);
        assertThatThrownBy(() -> table.writing("t", () -> {
            throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "down", null);
        })).isInstanceOf(ClusterException.class);
        assertThat(table.get("t")).as("a failed write may have landed somewhere: read again").isEqualTo(3);
    }

    @Test
    void aReadUnderWayDuringAWriteIsNotServed() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            RecentTable<Integer> table = new RecentTable<>(key -> {
                int n = reads.incrementAndGet();
                if (n == 2) {
                    secondStarted.countDown();
                    await(release);
                }
                return n;
            }, pool, clock::get);
            assertThat(table.get("t")).isEqualTo(1);
            clock.addAndGet(500 * MILLI);
            assertThat(table.get("t")).isEqualTo(1); // starts read 2 in the background
            assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();
            table.writing("t", () -> { });
            release.countDown();
            assertThat(table.get("t")).as("read 2 started before the write").isGreaterThan(2);
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(table.get("t")).as("nor once it has ended").isGreaterThan(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedReadIsThrownAsItCameAndNotKept() {
        AtomicInteger calls = new AtomicInteger();
        RecentTable<Integer> table = new RecentTable<>(key -> {
            if (calls.incrementAndGet() == 1) {
                throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "name server down", null);
            }
            return calls.get();
        }, Runnable::run, clock::get);
        assertThatThrownBy(() -> table.get("t")).isInstanceOf(ClusterException.class).hasMessageContaining("name server down");
        assertThat(table.get("t")).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
