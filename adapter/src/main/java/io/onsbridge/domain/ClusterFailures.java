package io.onsbridge.domain;

import io.onsbridge.cluster.ClusterException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The one translation from cluster failures to ONS errors, applied around every action. Domain code
 * that expects a particular answer (a topic that does not exist, say) catches it first and throws its
 * own documented error; whatever reaches this point is answered with the ONS error its
 * {@link ClusterException.Reason} names ({@link OnsError#of(ClusterException.Reason)}).
 */
public final class ClusterFailures {
    private ClusterFailures() {
    }

    /** Runs an action; a {@link ClusterException} leaves as the {@link OnsException} it stands for. */
    public static <T> T guarded(Supplier<T> action) {
        try {
            return action.get();
        } catch (ClusterException e) {
            throw translate(e);
        }
    }

    /**
     * {@link #guarded} for an action answering as a future: a {@link ClusterException} it fails with, too. An action that
     * answered null (it did not start: {@code OnsAction.startWithoutBlocking}) answers null.
     */
    public static <T> CompletableFuture<T> guardedAsync(Supplier<CompletableFuture<T>> action) {
        CompletableFuture<T> started;
        try {
            started = action.get();
        } catch (ClusterException e) {
            return CompletableFuture.failedFuture(translate(e));
        }
        return started == null ? null : started.handle((answer, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause == null) {
                return answer;
            }
            throw cause instanceof ClusterException e ? translate(e)
                    : cause instanceof RuntimeException e ? e : new CompletionException(cause);
        });
    }

    public static OnsException translate(ClusterException e) {
        return switch (e.reason()) {
            case UNAVAILABLE -> OnsErrors.clusterUnavailable(e.getMessage(), e);
            case FORBIDDEN -> OnsErrors.clusterForbidden(e.getMessage(), e);
            case BUSY -> OnsErrors.clusterBusy(e.getMessage(), e);
            case TOPIC_NOT_FOUND, GROUP_NOT_FOUND, CONSUMER_NOT_ONLINE, NO_MESSAGE, NOT_SUPPORTED, REFUSED ->
                    OnsErrors.clusterRefused(e.reason(), e.getMessage(), e);
        };
    }
}
