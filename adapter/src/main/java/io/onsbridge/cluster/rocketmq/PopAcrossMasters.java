package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterPops.Popped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

/**
 * A pop on a topic of several masters. A pop held by one master does not see what another one stores meanwhile
 * (Apache's proxy has that limit: a long poll of 30 s could miss a message stored at its first second). So: one pop
 * without waiting of the master in turn; then, while time is left, every master is watched at once
 * ({@code NOTIFICATION}: held like a pop, but taking nothing, so a watch answered too late leaves nothing behind),
 * in slices of at most {@link #SLICE_MILLIS}; the first that has a message is popped without waiting. Should watching
 * not work (a master answers at once with nothing: its polling table is full), the rest of the time is one pop held
 * by the master in turn, as before.
 *
 * <p>A master that cannot be reached ({@code unreachable}: down, or gone from the route a moment ago) is left out
 * for the rest of the pop and the others serve it; the pop fails only when none is left.
 */
final class PopAcrossMasters {
    /** A watch answered after its pop was served holds a broker's polling slot this long at most. */
    static final long SLICE_MILLIS = 5_000;
    /** Watches that said "a message" whose pop then found none (taken by another consumer, or of another tag). */
    static final int MAX_EMPTY_CLAIMS = 8;

    interface PopFrom<T> {
        CompletableFuture<List<Popped>> pop(T master, long pollMillis);
    }

    interface Watch<T> {
        CompletableFuture<Boolean> hasMessages(T master, long pollMillis);
    }

    private PopAcrossMasters() {
    }

    /** @param masters every readable master of the topic, the one in turn first */
    static <T> CompletableFuture<List<Popped>> pop(List<T> masters, long pollMillis, PopFrom<T> pop, Watch<T> watch,
                                                   BiPredicate<T, Throwable> unreachable) {
        return pop(masters, pollMillis, pop, watch, unreachable, System::currentTimeMillis);
    }

    static <T> CompletableFuture<List<Popped>> pop(List<T> masters, long pollMillis, PopFrom<T> pop, Watch<T> watch,
                                                   BiPredicate<T, Throwable> unreachable, LongSupplier clock) {
        CompletableFuture<List<Popped>> answer = new CompletableFuture<>();
        new Rounds<>(new CopyOnWriteArrayList<>(masters), clock.getAsLong() + pollMillis, pop, watch, unreachable, clock, answer).first();
        return answer;
    }

    private record Rounds<T>(List<T> masters, long deadline, PopFrom<T> pop, Watch<T> watch, BiPredicate<T, Throwable> unreachable,
                             LongSupplier clock, CompletableFuture<List<Popped>> answer) {
        /** The master in turn, without waiting; the next one should it be unreachable. */
        void first() {
            T master = masters.get(0);
            pop.pop(master, 0).whenComplete((found, error) -> {
                if (error != null) {
                    leaveOut(master, error, this::first);
                } else if (!found.isEmpty()) {
                    answer.complete(found);
                } else {
                    next(0);
                }
            });
        }

        /**
         * After a failure on {@code master}: an unreachable master is left out and {@code then} goes on with the
         * others; any other failure, or none left, is the answer.
         */
        private void leaveOut(T master, Throwable error, Runnable then) {
            if (unreachable.test(master, error)) {
                masters.remove(master); // perhaps already, by its watch
                if (!masters.isEmpty()) {
                    then.run();
                    return;
                }
            }
            answer.completeExceptionally(error);
        }

        void next(int emptyClaims) {
            long started = clock.getAsLong();
            long remaining = deadline - started;
            if (remaining <= 0) {
                answer.complete(List.of());
                return;
            }
            long slice = Math.min(remaining, SLICE_MILLIS);
            List<T> watched = List.copyOf(masters);
            AtomicBoolean claimed = new AtomicBoolean();
            AtomicInteger pending = new AtomicInteger(watched.size());
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<Throwable> lastError = new AtomicReference<>();
            for (T master : watched) {
                watch.hasMessages(master, slice).whenComplete((has, error) -> {
                    if (error != null) {
                        lastError.set(error);
                        failed.incrementAndGet();
                        if (unreachable.test(master, error)) {
                            masters.remove(master);
                        }
                    } else if (has && claimed.compareAndSet(false, true)) {
                        claim(master, emptyClaims);
                        return;
                    }
                    if (pending.decrementAndGet() == 0 && !claimed.get()) {
                        if (failed.get() == watched.size()) {
                            answer.completeExceptionally(lastError.get());
                        } else if (clock.getAsLong() - started < slice / 2) {
                            holdOn(masters.get(0)); // nobody held the watch: polling tables full
                        } else {
                            next(emptyClaims);
                        }
                    }
                });
            }
        }

        private void claim(T master, int emptyClaims) {
            pop.pop(master, 0).whenComplete((found, error) -> {
                if (error != null) {
                    leaveOut(master, error, () -> next(emptyClaims));
                } else if (!found.isEmpty()) {
                    answer.complete(found);
                } else if (emptyClaims + 1 >= MAX_EMPTY_CLAIMS) {
                    holdOn(master);
                } else {
                    next(emptyClaims + 1);
                }
            });
        }

        /** The rest of the time as one pop held by one master (by the first one left, should it be unreachable). */
        private void holdOn(T master) {
            long remaining = Math.max(0, deadline - clock.getAsLong());
            pop.pop(master, remaining).whenComplete((found, error) -> {
                if (error != null) {
                    leaveOut(master, error, () -> holdOn(masters.get(0)));
                } else {
                    answer.complete(found);
                }
            });
        }
    }
}
