package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.cluster.ClusterPops.Popped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PopAcrossMastersTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    /** Per master, what its pops answered, in order: (master, pollMillis). */
    private final List<String> pops = new ArrayList<>();
    private final Map<String, List<Popped>> stored = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> watches = new ConcurrentHashMap<>();
    private final List<String> watched = new ArrayList<>();

    private CompletableFuture<List<Popped>> pop(String master, long poll) {
        pops.add(master + ":" + poll);
        List<Popped> found = stored.remove(master);
        return CompletableFuture.completedFuture(found == null ? List.of() : found);
    }

    private CompletableFuture<Boolean> watch(String master, long poll) {
        watched.add(master + ":" + poll);
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        watches.put(master, answer);
        return answer;
    }

    private CompletableFuture<List<Popped>> start(long poll) {
        return PopAcrossMasters.pop(List.of("a", "b"), poll, this::pop, this::watch, now::get);
    }

    private static List<Popped> one() {
        return List.of(new Popped(null, "h", 0, 0, 0));
    }

    @Test
    void whatTheMasterInTurnHoldsIsAnsweredWithoutWatching() {
        stored.put("a", one());
        assertThat(start(30_000).join()).hasSize(1);
        assertThat(watched).isEmpty();
        assertThat(pops).containsExactly("a:0");
    }

    @Test
    void aMessageStoredOnAnotherMasterWhileWaitingIsPoppedThereAtOnce() {
        CompletableFuture<List<Popped>> answer = start(30_000);
        assertThat(watched).containsExactly("a:5000", "b:5000");
        assertThat(answer).isNotDone();
        stored.put("b", one());
        watches.get("b").complete(true);
        assertThat(answer).isCompleted();
        assertThat(answer.join()).hasSize(1);
        assertThat(pops).containsExactly("a:0", "b:0");
        watches.get("a").complete(false); // answered after the pop was served: nothing happens
        assertThat(pops).hasSize(2);
    }

    @Test
    void watchesGoOnInSlicesUntilTheWaitIsOver() {
        CompletableFuture<List<Popped>> answer = start(8_000);
        now.addAndGet(5_000);
        watches.get("a").complete(false);
        watches.get("b").complete(false);
        assertThat(watched).containsExactly("a:5000", "b:5000", "a:3000", "b:3000");
        now.addAndGet(3_000);
        watches.get("a").complete(false);
        watches.get("b").complete(false);
        assertThat(answer).isCompletedWithValue(List.of());
    }

    @Test
    void mastersThatDoNotHoldTheWatchLeaveOnePopHeldByTheMasterInTurn() {
        CompletableFuture<List<Popped>> answer = start(30_000);
        now.addAndGet(10);
        watches.get("a").complete(false);
        watches.get("b").complete(false);
        assertThat(pops).containsExactly("a:0", "a:29990");
        assertThat(answer).isCompletedWithValue(List.of());
    }

    @Test
    void aWatchThatSaidMessageButWhosePopFoundNoneWatchesAgainThenHoldsOn() {
        CompletableFuture<List<Popped>> answer = start(30_000);
        for (int i = 0; i < PopAcrossMasters.MAX_EMPTY_CLAIMS; i++) {
            watches.get("b").complete(true);
        }
        assertThat(pops).hasSize(1 + PopAcrossMasters.MAX_EMPTY_CLAIMS + 1).last().isEqualTo("b:30000");
        assertThat(answer).isCompletedWithValue(List.of());
    }

    @Test
    void onlyWhenEveryMasterFailsDoesThePopFail() {
        CompletableFuture<List<Popped>> answer = start(30_000);
        watches.get("a").completeExceptionally(new IllegalStateException("a is down"));
        assertThat(answer).isNotDone();
        now.addAndGet(5_000);
        watches.get("b").complete(false);
        assertThat(answer).isNotDone();
        watches.get("a").completeExceptionally(new IllegalStateException("a is down"));
        watches.get("b").completeExceptionally(new IllegalStateException("b is down"));
        assertThatThrownBy(answer::join).hasRootCauseMessage("b is down");
    }
}
