package io.onsbridge.domain;

/**
 * A create that writes in several places (metadata record, then one master after the other) either
 * completes or leaves nothing behind: when a step fails, the undo steps remove what the earlier ones
 * made, and the first failure is what the caller sees.
 */
public final class Rollback {
    private Rollback() {
    }

    /** Runs {@code work}; if it throws, runs every undo step in order (their failures ride along as suppressed) and rethrows. */
    public static void onFailure(Runnable work, Runnable... undo) {
        try {
            work.run();
        } catch (RuntimeException e) {
            for (Runnable step : undo) {
                try {
                    step.run();
                } catch (RuntimeException undoFailed) {
                    e.addSuppressed(undoFailed);
                }
            }
            throw e;
        }
    }
}
