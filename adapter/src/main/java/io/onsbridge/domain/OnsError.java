package io.onsbridge.domain;

import io.onsbridge.cluster.ClusterException;

/**
 * Every error code the bridge answers with: the code as the wire carries it, the HTTP status it travels
 * with, and who defines it. docs/errors.md lists them all (a unit test keeps the two in step). Mistakes
 * of the caller are always 4xx, so that SDKs that retry on 5xx never turn a rejected create into a
 * duplicate; 5xx is for the bridge's or the cluster's own failures.
 */
public enum OnsError {
    // --- the Alibaba Cloud API gateway's (protocol.md section 7.5) ----------------------------------
    MISSING_PARAMETER("MissingParameter", 400, Origin.GATEWAY),
    INVALID_PARAMETER("InvalidParameter", 400, Origin.GATEWAY),
    INVALID_ACTION("InvalidAction.NotFound", 404, Origin.GATEWAY),
    INVALID_VERSION("InvalidVersion", 400, Origin.GATEWAY),
    THROTTLED("Throttling.User", 400, Origin.GATEWAY),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, Origin.GATEWAY),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 400, Origin.GATEWAY),
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId.NotFound", 404, Origin.GATEWAY),
    INVALID_SIGNATURE_METHOD("InvalidSignatureMethod", 400, Origin.GATEWAY),
    INVALID_SIGNATURE_VERSION("InvalidSignatureVersion", 400, Origin.GATEWAY),
    INVALID_TIMESTAMP_FORMAT("InvalidTimeStamp.Format", 400, Origin.GATEWAY),
    INVALID_TIMESTAMP_EXPIRED("InvalidTimeStamp.Expired", 400, Origin.GATEWAY),
    SIGNATURE_NONCE_USED("SignatureNonceUsed", 400, Origin.GATEWAY),
    FORBIDDEN("Forbidden.RAM", 403, Origin.GATEWAY),

    // --- ONS's business codes (protocol.md section 7.3) ---------------------------------------------
    FIELD_CHECK_INVALID("BIZ_FIELD_CHECK_INVALID", 400, Origin.ONS),
    TOPIC_EXISTED("BIZ_TOPIC_EXISTED", 400, Origin.ONS),
    TOPIC_NOT_FOUND("BIZ_TOPIC_NOT_FOUND", 404, Origin.ONS),
    GROUP_EXISTED("BIZ_SUBSCRIPTION_EXISTED", 400, Origin.ONS),
    GROUP_NOT_FOUND("BIZ_SUBSCRIPTION_NOT_FOUND", 404, Origin.ONS),
    CONSUMER_NOT_ONLINE("BIZ_CONSUMER_NOT_ONLINE", 400, Origin.ONS),
    NO_MESSAGE("BIZ_NO_MESSAGE", 404, Origin.ONS),
    SYSTEM_ERROR("ONS_SYSTEM_ERROR", 500, Origin.ONS),

    // --- the bridge's own, where ONS names no code for the situation --------------------------------
    SECURITY_TOKEN_NOT_SUPPORTED("InvalidSecurityToken.NotSupported", 400, Origin.BRIDGE),
    INSTANCE_NOT_FOUND("INSTANCE_NOT_FOUND", 404, Origin.BRIDGE),
    INSTANCE_NAME_EXISTED("BIZ_INSTANCE_NAME_EXISTED", 400, Origin.BRIDGE),
    INSTANCE_NOT_EMPTY("BIZ_INSTANCE_NOT_EMPTY", 400, Origin.BRIDGE),
    INSTANCE_QUOTA_EXCEEDED("BIZ_INSTANCE_QUOTA_EXCEEDED", 400, Origin.BRIDGE),
    RESOURCE_NOT_FOUND("BIZ_RESOURCE_NOT_FOUND", 404, Origin.BRIDGE),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, Origin.BRIDGE);

    /** Who defines a code: a client written for ONS knows the first two, maybe not the bridge's own. */
    public enum Origin { GATEWAY, ONS, BRIDGE }

    private final String code;
    private final int httpStatus;
    private final Origin origin;

    OnsError(String code, int httpStatus, Origin origin) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.origin = origin;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Origin origin() {
        return origin;
    }

    /**
     * The ONS error a cluster failure stands for when no action turned it into a more specific answer
     * first: the second half of the one table whose first half, RocketMQ's response codes and exceptions
     * to {@link ClusterException.Reason}, is {@code cluster.rocketmq.ClusterErrors}.
     */
    public static OnsError of(ClusterException.Reason reason) {
        return switch (reason) {
            case UNAVAILABLE, BUSY -> SERVICE_UNAVAILABLE;
            case FORBIDDEN -> FORBIDDEN;
            case TOPIC_NOT_FOUND -> TOPIC_NOT_FOUND;
            case GROUP_NOT_FOUND -> GROUP_NOT_FOUND;
            case CONSUMER_NOT_ONLINE -> CONSUMER_NOT_ONLINE;
            case NO_MESSAGE -> NO_MESSAGE;
            case NOT_SUPPORTED, REFUSED -> SYSTEM_ERROR;
        };
    }
}
