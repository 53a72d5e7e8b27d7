package io.onsbridge.cluster;

/**
 * A failed call to the RocketMQ cluster, with the {@link Reason} it failed for, so that the domain can
 * answer it without knowing RocketMQ's exception zoo. The cause is always kept (for the log).
 */
public final class ClusterException extends RuntimeException {
    /** Why a call failed, in RocketMQ's terms; {@code cluster.rocketmq.ClusterErrors} sorts every failure into one. */
    public enum Reason {
        /** The name server or broker did not answer: an outage, not the caller's fault. */
        UNAVAILABLE,
        /** The broker is overloaded (flow control, a busy page cache): retrying later helps. */
        BUSY,
        /**
         * The cluster refused for want of permission: its ACL did not accept the bridge's cluster credentials
         * (none, wrong, or too weak), or the broker or topic is not writable.
         */
        FORBIDDEN,
        /** The topic does not exist (or has no route). */
        TOPIC_NOT_FOUND,
        /** The subscription group does not exist. */
        GROUP_NOT_FOUND,
        /** No client of the group is online, or the named client is not. */
        CONSUMER_NOT_ONLINE,
        /** No message matches (an index lookup found nothing, or nothing is stored at an offset). */
        NO_MESSAGE,
        /** The broker does not know the request: it runs an older RocketMQ. */
        NOT_SUPPORTED,
        /** Any other refusal; {@link #responseCode()} says which. */
        REFUSED
    }

    private final Reason reason;
    private final int responseCode;

    /** @param responseCode RocketMQ's response code, -1 when the cluster gave none */
    public ClusterException(Reason reason, int responseCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.responseCode = responseCode;
    }

    public Reason reason() {
        return reason;
    }

    /** RocketMQ's response code when the cluster answered with one, -1 otherwise. */
    public int responseCode() {
        return responseCode;
    }

    public boolean is(Reason expected) {
        return reason == expected;
    }
}
