package io.onsbridge.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A cluster read started with {@link Cluster#meanwhile}: {@link #get()} waits for it and throws what
 * the read threw (an {@code OnsException} or a {@link ClusterException}), as if it had run in the caller.
 */
public final class Pending<T> {
    private final CompletableFuture<T> future;

    public Pending(CompletableFuture<T> future) {
        this.future = future;
    }

    public T get() {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }
}
