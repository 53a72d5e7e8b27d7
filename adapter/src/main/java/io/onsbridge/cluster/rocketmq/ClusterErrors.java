package io.onsbridge.cluster.rocketmq;

import static io.onsbridge.cluster.ClusterException.Reason.BUSY;
import static io.onsbridge.cluster.ClusterException.Reason.CONSUMER_NOT_ONLINE;
import static io.onsbridge.cluster.ClusterException.Reason.FORBIDDEN;
import static io.onsbridge.cluster.ClusterException.Reason.GROUP_NOT_FOUND;
import static io.onsbridge.cluster.ClusterException.Reason.NOT_SUPPORTED;
import static io.onsbridge.cluster.ClusterException.Reason.NO_MESSAGE;
import static io.onsbridge.cluster.ClusterException.Reason.REFUSED;
import static io.onsbridge.cluster.ClusterException.Reason.TOPIC_NOT_FOUND;
import static io.onsbridge.cluster.ClusterException.Reason.UNAVAILABLE;

import io.onsbridge.cluster.ClusterException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.apache.rocketmq.client.common.ClientErrorCode;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.exception.RemotingTooMuchRequestException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;

/**
 * The one table from RocketMQ's failures to {@link ClusterException.Reason}: response codes the
 * cluster answers with, and the exceptions its clients throw when it does not answer. The domain maps
 * each reason to its ONS code ({@code OnsError.of}); a code missing here is {@code REFUSED}, answered
 * as ONS_SYSTEM_ERROR with the cluster's own words.
 */
final class ClusterErrors {
    static final Map<Integer, ClusterException.Reason> BY_RESPONSE_CODE = Map.ofEntries(
            Map.entry(ResponseCode.NO_PERMISSION, FORBIDDEN),
            Map.entry(ResponseCode.SYSTEM_BUSY, BUSY),
            // a broker shutting down, or whose store does not take writes now; a slave that is not there
            Map.entry(ResponseCode.SERVICE_NOT_AVAILABLE, UNAVAILABLE),
            Map.entry(ResponseCode.SLAVE_NOT_AVAILABLE, UNAVAILABLE),
            Map.entry(ResponseCode.TOPIC_NOT_EXIST, TOPIC_NOT_FOUND),
            Map.entry(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, GROUP_NOT_FOUND),
            Map.entry(ResponseCode.CONSUMER_NOT_ONLINE, CONSUMER_NOT_ONLINE),
            // "query message by key finished, but no message", a KV namespace or key the name server lacks
            Map.entry(ResponseCode.NO_MESSAGE, NO_MESSAGE),
            Map.entry(ResponseCode.QUERY_NOT_FOUND, NO_MESSAGE),
            Map.entry(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, NOT_SUPPORTED),
            // RocketMQ's client names what went wrong on its side with codes of its own
            Map.entry(ClientErrorCode.CONNECT_BROKER_EXCEPTION, UNAVAILABLE),
            Map.entry(ClientErrorCode.ACCESS_BROKER_TIMEOUT, UNAVAILABLE),
            Map.entry(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, UNAVAILABLE),
            Map.entry(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, UNAVAILABLE),
            Map.entry(ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION, UNAVAILABLE),
            Map.entry(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, TOPIC_NOT_FOUND));

    /** Failures in which the broker did not answer at all ({@link #noAnswer}): -1, no response code. */
    private static final Set<Integer> NO_ANSWER_CODES = Set.of(-1, ClientErrorCode.CONNECT_BROKER_EXCEPTION,
            ClientErrorCode.ACCESS_BROKER_TIMEOUT, ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION);

    private ClusterErrors() {
    }

    /** What a failed call means; {@code what} says which call, in words for the log and the answer. */
    static ClusterException of(String what, Exception e) {
        if (e instanceof ClusterException already) {
            return already;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ClusterException(UNAVAILABLE, -1, what + ": interrupted", e);
        }
        if (e instanceof RemotingTooMuchRequestException) {
            return new ClusterException(BUSY, -1, what + ": " + e.getMessage(), e);
        }
        if (e instanceof RemotingConnectException || e instanceof RemotingTimeoutException
                || e instanceof RemotingSendRequestException) {
            return new ClusterException(UNAVAILABLE, -1, what + ": " + e.getMessage(), e);
        }
        if (e instanceof MQBrokerException broker) {
            return answered(what, broker.getResponseCode(), broker.getErrorMessage(), e);
        }
        if (e instanceof MQClientException client) {
            if (client.getCause() instanceof RemotingException || client.getCause() instanceof MQBrokerException) {
                return of(what, (Exception) client.getCause());
            }
            if (client.getResponseCode() <= 0) {
                // No answer at all (no route, no name server): the cluster is not there.
                return new ClusterException(UNAVAILABLE, -1, what + ": " + client.getErrorMessage(), e);
            }
            return answered(what, client.getResponseCode(), client.getErrorMessage(), e);
        }
        if (e instanceof RemotingException) {
            return new ClusterException(UNAVAILABLE, -1, what + ": " + e.getMessage(), e);
        }
        // Not an answer of the cluster: a failure inside RocketMQ's client, kept whole for the log.
        return new ClusterException(REFUSED, -1, what + ": the RocketMQ client failed", e);
    }

    /**
     * Whether the failure is a broker that did not answer at all (no connection, no reply in time), rather than one
     * that answered with an error: what makes a master suspect ({@link SuspectMasters}).
     */
    static boolean noAnswer(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ClusterException e && e.is(UNAVAILABLE) && NO_ANSWER_CODES.contains(e.responseCode());
    }

    /** The cluster answered with an error code. */
    private static ClusterException answered(String what, int code, String remark, Exception e) {
        return new ClusterException(BY_RESPONSE_CODE.getOrDefault(code, REFUSED), code, what + ": " + remark + " (code " + code + ")", e);
    }
}
