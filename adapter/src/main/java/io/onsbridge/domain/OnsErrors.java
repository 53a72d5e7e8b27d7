package io.onsbridge.domain;

/**
 * Every error the bridge answers with, as named factories: each picks its {@link OnsError} and says
 * what was wrong in words a caller can act on, naming the parameter or resource.
 */
public final class OnsErrors {
    private OnsErrors() {
    }

    // --- gateway: the request itself -----------------------------------------------------------------

    public static OnsException missingParameter(String name) {
        return new OnsException(OnsError.MISSING_PARAMETER,
                "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }

    /** The value does not have the parameter's type (an integer that is not a number, say). */
    public static OnsException malformedParameter(String name, String value, String expected) {
        return new OnsException(OnsError.INVALID_PARAMETER,
                "The parameter \"" + name + "\" must be " + expected + ", but was \"" + abbreviate(value) + "\".");
    }

    public static OnsException unknownAction(String action, String version) {
        return new OnsException(OnsError.INVALID_ACTION,
                "Specified api \"" + abbreviate(action) + "\" is not found for version " + abbreviate(version) + ".");
    }

    public static OnsException unsupportedVersion(String version, String supported) {
        return new OnsException(OnsError.INVALID_VERSION,
                "Specified parameter Version \"" + abbreviate(version) + "\" is not valid; supported: " + supported + ".");
    }

    public static OnsException badRequest(String why) {
        return new OnsException(OnsError.INVALID_PARAMETER, why);
    }

    public static OnsException notFoundPath(String path) {
        return new OnsException(OnsError.INVALID_ACTION,
                "Path \"" + abbreviate(path) + "\" is not served; ONS calls go to \"/\".");
    }

    // --- gateway: authentication ---------------------------------------------------------------------

    public static OnsException incompleteSignature(String why) {
        return new OnsException(OnsError.INCOMPLETE_SIGNATURE, why);
    }

    public static OnsException signatureDoesNotMatch(String stringToSign) {
        // The legacy SDK compares the text after "string to sign is:" with its own StringToSign and, when
        // they are equal, tells its user the AccessKey secret is wrong (protocol.md 5.7). Nothing may follow it.
        return new OnsException(OnsError.SIGNATURE_DOES_NOT_MATCH,
                "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
    }

    /** Alibaba's gateway answers 400 (not 429) with this code and message beyond a quota. */
    public static OnsException throttled(String action, String quota, String whose) {
        return new OnsException(OnsError.THROTTLED, "Request was denied due to user flow control: " + action
                + " allows " + quota + " for " + whose + ".");
    }

    /** V3: the canonical request too, the only text a client can compare its own with (the string to sign is its hash). */
    public static OnsException signatureDoesNotMatch(String canonicalRequest, String stringToSign) {
        return new OnsException(OnsError.SIGNATURE_DOES_NOT_MATCH,
                "Specified signature is not matched with our calculation. server canonical request is:" + canonicalRequest
                        + "\nserver string to sign is:" + stringToSign);
    }

    /** V3: the body is not the one whose hash was signed. */
    public static OnsException payloadHashMismatch(String declared, String actual) {
        return new OnsException(OnsError.SIGNATURE_DOES_NOT_MATCH,
                "The request body's SHA-256 is " + actual + ", not the x-acs-content-sha256 \"" + abbreviate(declared)
                        + "\" that was signed: the body was changed after signing, or the hash was computed over other bytes.");
    }

    public static OnsException unknownAccessKey(String accessKeyId) {
        return new OnsException(OnsError.INVALID_ACCESS_KEY_ID,
                "Specified access key \"" + abbreviate(accessKeyId) + "\" is not found.");
    }

    public static OnsException unsupportedSignatureMethod(String method) {
        return unsupportedSignatureMethod(method, "HMAC-SHA1");
    }

    /** @param supported what to use instead: HMAC-SHA1 for V1, ACS3-HMAC-SHA256 for V3 */
    public static OnsException unsupportedSignatureMethod(String method, String supported) {
        return new OnsException(OnsError.INVALID_SIGNATURE_METHOD,
                "Specified signature method \"" + abbreviate(method) + "\" is not supported; use " + supported + ".");
    }

    public static OnsException unsupportedSignatureVersion(String version) {
        return new OnsException(OnsError.INVALID_SIGNATURE_VERSION,
                "Specified signature version \"" + abbreviate(version) + "\" is not supported; use 1.0.");
    }

    public static OnsException malformedTimestamp(String timestamp) {
        return new OnsException(OnsError.INVALID_TIMESTAMP_FORMAT,
                "Specified time stamp \"" + abbreviate(timestamp) + "\" is not in the format YYYY-MM-DDThh:mm:ssZ (UTC).");
    }

    public static OnsException expiredTimestamp(String timestamp, long windowMinutes) {
        return new OnsException(OnsError.INVALID_TIMESTAMP_EXPIRED,
                "Specified time stamp \"" + abbreviate(timestamp) + "\" is more than " + windowMinutes
                        + " minutes away from the server time.");
    }

    public static OnsException nonceUsed(String nonce) {
        return new OnsException(OnsError.SIGNATURE_NONCE_USED,
                "Specified signature nonce \"" + abbreviate(nonce) + "\" was used already.");
    }

    public static OnsException stsNotSupported() {
        return new OnsException(OnsError.SECURITY_TOKEN_NOT_SUPPORTED,
                "STS security tokens are not supported by this endpoint; sign with an AccessKey pair.");
    }

    /**
     * A governed AccessKey asked for something its access policies (the bridge's --access-policies file)
     * do not allow. Told apart from {@link #clusterForbidden}, which is the RocketMQ cluster's own refusal.
     */
    public static OnsException accessDenied(String accessKeyId, String ramAction, String resource, boolean explicitDeny) {
        return new OnsException(OnsError.FORBIDDEN, "The AccessKey \"" + abbreviate(accessKeyId) + "\" may not do " + ramAction
                + " on " + abbreviate(resource) + ": denied by an access policy of the bridge ("
                + (explicitDeny ? "a Deny statement names it" : "no Allow statement names it") + ").");
    }

    // --- ONS business codes --------------------------------------------------------------------------

    /** A value that has the right type but breaks a rule of the action (length, pattern, range). */
    public static OnsException fieldCheckInvalid(String name, String why) {
        return new OnsException(OnsError.FIELD_CHECK_INVALID, "The parameter \"" + name + "\" is invalid: " + why);
    }

    public static OnsException instanceNotFound(String instanceId) {
        return new OnsException(OnsError.INSTANCE_NOT_FOUND,
                "The instance \"" + abbreviate(instanceId) + "\" does not exist.");
    }

    public static OnsException instanceNameExisted(String name) {
        return new OnsException(OnsError.INSTANCE_NAME_EXISTED,
                "An instance named \"" + abbreviate(name) + "\" already exists in this region.");
    }

    public static OnsException instanceNotEmpty(String instanceId, String what) {
        return new OnsException(OnsError.INSTANCE_NOT_EMPTY,
                "The instance \"" + instanceId + "\" still has " + what + "; delete them first.");
    }

    public static OnsException instanceQuotaExceeded(int max) {
        return new OnsException(OnsError.INSTANCE_QUOTA_EXCEEDED,
                "This region already has the maximum of " + max + " instances.");
    }

    public static OnsException defaultInstanceReadOnly(String instanceId) {
        return new OnsException(OnsError.FIELD_CHECK_INVALID,
                "The instance \"" + instanceId + "\" stands for the cluster's resources without a namespace; "
                        + "it cannot be changed or deleted.");
    }

    public static OnsException topicExisted(String topic) {
        return new OnsException(OnsError.TOPIC_EXISTED, "The topic \"" + abbreviate(topic) + "\" already exists in this instance.");
    }

    public static OnsException topicNotFound(String topic) {
        return new OnsException(OnsError.TOPIC_NOT_FOUND, "The topic \"" + abbreviate(topic) + "\" does not exist in this instance.");
    }

    public static OnsException groupExisted(String groupId) {
        return new OnsException(OnsError.GROUP_EXISTED, "The group \"" + abbreviate(groupId) + "\" already exists in this instance.");
    }

    public static OnsException groupNotFound(String groupId) {
        return new OnsException(OnsError.GROUP_NOT_FOUND, "The group \"" + abbreviate(groupId) + "\" does not exist in this instance.");
    }

    /** ONS keeps tcp and http groups apart: to the HTTP protocol a tcp group is one it does not have (docs/mqhttp.md#groups). */
    public static OnsException groupOfOtherProtocol(String groupId, String groupType) {
        return new OnsException(OnsError.GROUP_NOT_FOUND, "The group \"" + abbreviate(groupId) + "\" is a " + groupType
                + " group; the HTTP protocol needs a group made with GroupType http (OnsGroupCreate).");
    }

    public static OnsException consumerNotOnline(String what) {
        return new OnsException(OnsError.CONSUMER_NOT_ONLINE, "The consumer is not online: " + what);
    }

    public static OnsException noMessage(String what) {
        return new OnsException(OnsError.NO_MESSAGE, "No message matches the query: " + what);
    }

    public static OnsException resourceNotFound(String type, String id) {
        return new OnsException(OnsError.RESOURCE_NOT_FOUND, "The " + type + " \"" + abbreviate(id) + "\" does not exist.");
    }

    // --- our side ------------------------------------------------------------------------------------

    public static OnsException clusterUnavailable(String detail, Throwable cause) {
        return new OnsException(OnsError.SERVICE_UNAVAILABLE,
                "The RocketMQ cluster is not reachable right now (" + detail + "); retry when it is back.", cause);
    }

    /** The cluster answered that it is too busy (flow control, a full page cache): retrying later helps. */
    public static OnsException clusterBusy(String detail, Throwable cause) {
        return new OnsException(OnsError.SERVICE_UNAVAILABLE, "The RocketMQ cluster is too busy right now (" + detail
                + "); retry shortly.", cause);
    }

    /**
     * The cluster refused for want of permission (its ACL, or a broker or topic that is not writable). 4xx:
     * retrying cannot help, the bridge's cluster credentials or the cluster's accounts must change.
     */
    public static OnsException clusterForbidden(String detail, Throwable cause) {
        return new OnsException(OnsError.FORBIDDEN, "The RocketMQ cluster refused the request (" + detail
                + "). If the cluster has ACL on, set cluster-access-key and cluster-secret-key (ONS_BRIDGE_CLUSTER_ACCESS_KEY, "
                + "ONS_BRIDGE_CLUSTER_SECRET_KEY) to an account of the cluster that may do this.", cause);
    }

    /** Any other refusal of the cluster, answered with the ONS code its reason stands for ({@link OnsError#of}). */
    public static OnsException clusterRefused(io.onsbridge.cluster.ClusterException.Reason reason, String detail, Throwable cause) {
        OnsError error = OnsError.of(reason);
        String message = error == OnsError.SYSTEM_ERROR ? "The RocketMQ cluster refused the request: " + detail
                : "The RocketMQ cluster answered: " + detail;
        return new OnsException(error, message, cause);
    }

    public static OnsException overloaded() {
        return new OnsException(OnsError.SERVICE_UNAVAILABLE, "The bridge is busy; retry shortly.");
    }

    public static OnsException internal(String detail, Throwable cause) {
        return new OnsException(OnsError.SYSTEM_ERROR, "The bridge failed to serve the request: " + detail, cause);
    }

    /** Echoed values are cut short: an error message never carries a whole oversized input back. */
    public static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 128 ? value : value.substring(0, 128) + "...";
    }
}
