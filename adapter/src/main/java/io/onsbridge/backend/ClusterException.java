package io.onsbridge.backend;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;

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

    /** What a failed admin call means: RocketMQ's exceptions sorted into the three kinds. */
    static ClusterException of(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ClusterException(Kind.UNAVAILABLE, -1, what + ": interrupted", e);
        }
        if (e instanceof RemotingConnectException || e instanceof RemotingTimeoutException
                || e instanceof RemotingSendRequestException) {
            return new ClusterException(Kind.UNAVAILABLE, -1, what + ": " + e.getMessage(), e);
        }
        if (e instanceof MQBrokerException broker) {
            return rejected(what, broker.getResponseCode(), broker.getErrorMessage(), e);
        }
        if (e instanceof MQClientException client) {
            if (client.getCause() instanceof RemotingException || client.getCause() instanceof MQBrokerException) {
                return of(what, (Exception) client.getCause());
            }
            if (client.getResponseCode() <= 0) {
                // No answer at all (no route, no name server): the cluster is not there.
                return new ClusterException(Kind.UNAVAILABLE, -1, what + ": " + client.getErrorMessage(), e);
            }
            return rejected(what, client.getResponseCode(), client.getErrorMessage(), e);
        }
        if (e instanceof RemotingException) {
            return new ClusterException(Kind.UNAVAILABLE, -1, what + ": " + e.getMessage(), e);
        }
        return new ClusterException(Kind.REJECTED, -1, what + ": " + e, e);
    }

    /** An answer with an error code; NO_PERMISSION is what an ACL-enabled broker answers unsigned or badly signed calls. */
    private static ClusterException rejected(String what, int code, String remark, Exception e) {
        ClusterException.Kind kind = code == ResponseCode.NO_PERMISSION ? Kind.FORBIDDEN : Kind.REJECTED;
        return new ClusterException(kind, code, what + ": " + remark, e);
    }
}
