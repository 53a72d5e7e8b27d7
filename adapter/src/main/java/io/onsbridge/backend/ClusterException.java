package io.onsbridge.backend;

/**
 * A failed call to the RocketMQ cluster, classified so that the action layer can answer it without
 * knowing RocketMQ's exception zoo. The cause is always kept.
 */
public final class ClusterException extends RuntimeException {
    public enum Kind {
        /** The name server or broker did not answer: an outage, not the caller's fault. */
        UNAVAILABLE,
        /** The cluster answered with an error code ({@link #responseCode()}). */
        REJECTED,
        /**
         * The cluster refused for want of permission: its ACL did not accept the bridge's cluster credentials
         * (none, wrong, or too weak), or the broker or topic is not writable.
         */
        FORBIDDEN
    }

    private final Kind kind;
    private final int responseCode;

    ClusterException(Kind kind, int responseCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.responseCode = responseCode;
    }

    public Kind kind() {
        return kind;
    }

    /** RocketMQ's {@code ResponseCode} for {@link Kind#REJECTED}, -1 otherwise. */
    public int responseCode() {
        return responseCode;
    }
}
