package io.onsbridge.protocol;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** One ONS action: reads its parameters from the request and returns the fields of its answer. */
@FunctionalInterface
public interface OnsAction {
    WireObject handle(Params params);

    /**
     * The answer as a future. By default {@link #handle} on the caller's thread; an action made with {@link #async}
     * waits for the cluster without holding a thread, and its answer completes on the cluster client's callback
     * thread. Either may throw before it returns (a parameter refused) or complete exceptionally.
     */
    default CompletableFuture<WireObject> handleAsync(Params params) {
        return CompletableFuture.completedFuture(handle(params));
    }

    /**
     * The answer started without blocking the calling thread, or null when this call cannot be (it must wait for the
     * cluster first): then {@link #handleAsync} runs on a worker. The HTTP front door calls this on its event loop,
     * which saves handing the call to a worker. By default null.
     */
    default CompletableFuture<WireObject> startWithoutBlocking(Params params) {
        return null;
    }

    /** An action that answers as a future; its {@link #handle} waits for it and throws what it failed with. */
    static OnsAction async(Function<Params, CompletableFuture<WireObject>> action) {
        return async(action, params -> null);
    }

    /** {@link #async(Function)} with a way to start some calls without blocking ({@link #startWithoutBlocking}). */
    static OnsAction async(Function<Params, CompletableFuture<WireObject>> action,
                           Function<Params, CompletableFuture<WireObject>> withoutBlocking) {
        return new OnsAction() {
            @Override
            public CompletableFuture<WireObject> startWithoutBlocking(Params params) {
                return withoutBlocking.apply(params);
            }

            @Override
            public WireObject handle(Params params) {
                try {
                    return action.apply(params).join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }

            @Override
            public CompletableFuture<WireObject> handleAsync(Params params) {
                return action.apply(params);
            }
        };
    }
}
