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
    /** Masters that cannot be reached: their pops and watches fail as unreachable. */
    private final java.util.Set<String> down = ConcurrentHashMap.newKeySet();

    private CompletableFuture<List<Popped>> pop(String master, long poll) {
        pops.add(master + ":" + poll);
        if (down.contains(master)) {
            return CompletableFuture.failedFuture(new Unreachable(master + " is down"));
        }
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
        return start(List.of("a", "b"), poll);
    }

    private CompletableFuture<List<Popped>> start(List<String> masters, long poll) {
        return PopAcrossMasters.pop(masters, poll, this::pop, this::watch, (m, e) -> e instanceof Unreachable, now::get);
    }

    private static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
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

    @Test
    void aMasterInTurnThatCannotBeReachedIsLeftOutAndTheNextServes() {
        down.add("a");
        stored.put("b", one());
        assertThat(start(0).join()).hasSize(1);
        assertThat(pops).containsExactly("a:0", "b:0");
    }

    @Test
    void anUnreachableMasterIsNotWatchedAgain() {
        CompletableFuture<List<Popped>> answer = start(List.of("a", "b", "c"), 30_000);
        assertThat(watched).containsExactly("a:5000", "b:5000", "c:5000");
        watches.get("a").completeExceptionally(new Unreachable("a is down"));
        now.addAndGet(5_000);
        watches.get("b").complete(false);
        watches.get("c").complete(false);
        assertThat(watched).containsExactly("a:5000", "b:5000", "c:5000", "b:5000", "c:5000");
        down.add("b");
        stored.put("c", one());
        watches.get("c").complete(true);
        assertThat(answer.join()).hasSize(1);
        assertThat(pops).containsExactly("a:0", "c:0");
    }

    @Test
    void aClaimOrAHeldPopOnAMasterThatWentDownGoesOnWithTheOthers() {
        CompletableFuture<List<Popped>> answer = start(30_000);
        down.add("b");
        watches.get("b").complete(true); // b had a message, and is gone before its pop
        assertThat(pops).containsExactly("a:0", "b:0");
        assertThat(watched).containsExactly("a:5000", "b:5000", "a:5000");
        now.addAndGet(10);
        watches.get("a").complete(false); // a did not hold its watch: the rest is one pop held by a
        assertThat(pops).last().isEqualTo("a:29990");
        assertThat(answer).isCompletedWithValue(List.of());
    }

    @Test
    void whenEveryMasterIsUnreachableThePopFailsAndAnotherFailureIsAnsweredAtOnce() {
        down.add("a");
        down.add("b");
        assertThatThrownBy(() -> start(0).join()).hasRootCauseMessage("b is down");
        pops.clear();
        down.clear();
        CompletableFuture<List<Popped>> answer = start(List.of("a", "b"), 30_000);
        watches.get("a").complete(true);
        assertThat(answer).isNotDone();
        // not a master out of reach (a refused group, say): the answer, with no other master tried
        CompletableFuture<List<Popped>> refused = PopAcrossMasters.pop(List.of("a", "b"), 0,
                (m, p) -> CompletableFuture.failedFuture(new IllegalStateException("refused by " + m)), this::watch,
                (m, e) -> e instanceof Unreachable, now::get);
        assertThatThrownBy(refused::join).hasRootCauseMessage("refused by a");
    }
}
