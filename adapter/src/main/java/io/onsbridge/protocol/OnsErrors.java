package io.onsbridge.protocol;

/**
 * Every error code the bridge answers with, as named factories. Most are those of ONS (protocol.md
 * section 7.3) and of the Alibaba Cloud API gateway (section 7.5); a few are the bridge's own, for
 * situations ONS names no code for (INSTANCE_NOT_FOUND, ServiceUnavailable, InvalidSecurityToken.NotSupported,
 * BIZ_INSTANCE_*, BIZ_RESOURCE_NOT_FOUND). docs/errors.md lists them all with their HTTP status and marks
 * the bridge's own. Business mistakes are always 4xx, so that SDKs that retry on 5xx never turn a
 * rejected create into a duplicate.
 */
public final class OnsErrors {
    private OnsErrors() {
    }

    // --- gateway: the request itself -----------------------------------------------------------------

    public static OnsException missingParameter(String name) {
        return new OnsException("MissingParameter", 400,
                "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }

    /** The value does not have the parameter's type (an integer that is not a number, say). */
    public static OnsException malformedParameter(String name, String value, String expected) {
        return new OnsException("InvalidParameter", 400,
                "The parameter \"" + name + "\" must be " + expected + ", but was \"" + abbreviate(value) + "\".");
    }

    public static OnsException unknownAction(String action, String version) {
        return new OnsException("InvalidAction.NotFound", 404,
                "Specified api \"" + abbreviate(action) + "\" is not found for version " + abbreviate(version) + ".");
    }

    public static OnsException unsupportedVersion(String version, String supported) {
        return new OnsException("InvalidVersion", 400,
                "Specified parameter Version \"" + abbreviate(version) + "\" is not valid; supported: " + supported + ".");
    }

    public static OnsException badRequest(String why) {
        return new OnsException("InvalidParameter", 400, why);
    }

    public static OnsException notFoundPath(String path) {
        return new OnsException("InvalidAction.NotFound", 404,
                "Path \"" + abbreviate(path) + "\" is not served; ONS calls go to \"/\".");
    }

    // --- gateway: authentication ---------------------------------------------------------------------

    public static OnsException incompleteSignature(String why) {
        return new OnsException("IncompleteSignature", 400, why);
    }

    public static OnsException signatureDoesNotMatch(String stringToSign) {
        // The legacy SDK compares the text after "string to sign is:" with its own StringToSign and, when
        // they are equal, tells its user the AccessKey secret is wrong (protocol.md 5.7). Nothing may follow it.
        return new OnsException("SignatureDoesNotMatch", 400,
                "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
    }

    public static OnsException unknownAccessKey(String accessKeyId) {
        return new OnsException("InvalidAccessKeyId.NotFound", 404,
                "Specified access key \"" + abbreviate(accessKeyId) + "\" is not found.");
    }

    public static OnsException unsupportedSignatureMethod(String method) {
        return new OnsException("InvalidSignatureMethod", 400,
                "Specified signature method \"" + abbreviate(method) + "\" is not supported; use HMAC-SHA1.");
    }

    public static OnsException unsupportedSignatureVersion(String version) {
        return new OnsException("InvalidSignatureVersion", 400,
                "Specified signature version \"" + abbreviate(version) + "\" is not supported; use 1.0.");
    }

    public static OnsException malformedTimestamp(String timestamp) {
        return new OnsException("InvalidTimeStamp.Format", 400,
                "Specified time stamp \"" + abbreviate(timestamp) + "\" is not in the format YYYY-MM-DDThh:mm:ssZ (UTC).");
    }

    public static OnsException expiredTimestamp(String timestamp, long windowMinutes) {
        return new OnsException("InvalidTimeStamp.Expired", 400,
                "Specified time stamp \"" + abbreviate(timestamp) + "\" is more than " + windowMinutes
                        + " minutes away from the server time.");
    }

    public static OnsException nonceUsed(String nonce) {
        return new OnsException("SignatureNonceUsed", 400,
                "Specified signature nonce \"" + abbreviate(nonce) + "\" was used already.");
    }

    public static OnsException stsNotSupported() {
        return new OnsException("InvalidSecurityToken.NotSupported", 400,
                "STS security tokens are not supported by this endpoint; sign with an AccessKey pair.");
    }

    // --- ONS business codes --------------------------------------------------------------------------

    /** A value that has the right type but breaks a rule of the action (length, pattern, range). */
    public static OnsException fieldCheckInvalid(String name, String why) {
        return new OnsException("BIZ_FIELD_CHECK_INVALID", 400, "The parameter \"" + name + "\" is invalid: " + why);
    }

    public static OnsException instanceNotFound(String instanceId) {
        return new OnsException("INSTANCE_NOT_FOUND", 404,
                "The instance \"" + abbreviate(instanceId) + "\" does not exist.");
    }

    public static OnsException instanceNameExisted(String name) {
        return new OnsException("BIZ_INSTANCE_NAME_EXISTED", 400,
                "An instance named \"" + abbreviate(name) + "\" already exists in this region.");
    }

    public static OnsException instanceNotEmpty(String instanceId, String what) {
        return new OnsException("BIZ_INSTANCE_NOT_EMPTY", 400,
                "The instance \"" + instanceId + "\" still has " + what + "; delete them first.");
    }

    public static OnsException instanceQuotaExceeded(int max) {
        return new OnsException("BIZ_INSTANCE_QUOTA_EXCEEDED", 400,
                "This region already has the maximum of " + max + " instances.");
    }

    public static OnsException defaultInstanceReadOnly(String instanceId) {
        return new OnsException("BIZ_FIELD_CHECK_INVALID", 400,
                "The instance \"" + instanceId + "\" stands for the cluster's resources without a namespace; "
                        + "it cannot be changed or deleted.");
    }

    public static OnsException topicExisted(String topic) {
        return new OnsException("BIZ_TOPIC_EXISTED", 400, "The topic \"" + abbreviate(topic) + "\" already exists in this instance.");
    }

    public static OnsException topicNotFound(String topic) {
        return new OnsException("BIZ_TOPIC_NOT_FOUND", 404, "The topic \"" + abbreviate(topic) + "\" does not exist in this instance.");
    }

    public static OnsException groupExisted(String groupId) {
        return new OnsException("BIZ_SUBSCRIPTION_EXISTED", 400, "The group \"" + abbreviate(groupId) + "\" already exists in this instance.");
    }

    public static OnsException groupNotFound(String groupId) {
        return new OnsException("BIZ_SUBSCRIPTION_NOT_FOUND", 404, "The group \"" + abbreviate(groupId) + "\" does not exist in this instance.");
    }

    public static OnsException consumerNotOnline(String what) {
        return new OnsException("BIZ_CONSUMER_NOT_ONLINE", 400, "The consumer is not online: " + what);
    }

    public static OnsException noMessage(String what) {
        return new OnsException("BIZ_NO_MESSAGE", 404, "No message matches the query: " + what);
    }

    public static OnsException resourceNotFound(String type, String id) {
        return new OnsException("BIZ_RESOURCE_NOT_FOUND", 404, "The " + type + " \"" + abbreviate(id) + "\" does not exist.");
    }

    // --- our side ------------------------------------------------------------------------------------

    public static OnsException clusterUnavailable(String detail, Throwable cause) {
        return new OnsException("ServiceUnavailable", 503,
                "The RocketMQ cluster is not reachable right now (" + detail + "); retry when it is back.", cause);
    }

    /**
     * The cluster refused for want of permission (its ACL, or a broker or topic that is not writable). 4xx:
     * retrying cannot help, the bridge's cluster credentials or the cluster's accounts must change.
     */
    public static OnsException clusterForbidden(String detail) {
        return new OnsException("Forbidden.RAM", 403, "The RocketMQ cluster refused the request (" + detail
                + "). If the cluster has ACL on, set cluster-access-key and cluster-secret-key (ONS_BRIDGE_CLUSTER_ACCESS_KEY, "
                + "ONS_BRIDGE_CLUSTER_SECRET_KEY) to an account of the cluster that may do this.");
    }

    public static OnsException overloaded() {
        return new OnsException("ServiceUnavailable", 503, "The bridge is busy; retry shortly.");
    }

    public static OnsException internal(String detail, Throwable cause) {
        return new OnsException("ONS_SYSTEM_ERROR", 500, "The bridge failed to serve the request: " + detail, cause);
    }

    /** Echoed values are cut short: an error message never carries a whole oversized input back. */
    static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 128 ? value : value.substring(0, 128) + "...";
    }
}
