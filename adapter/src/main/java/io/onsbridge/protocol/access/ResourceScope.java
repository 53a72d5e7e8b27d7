package io.onsbridge.protocol.access;

import io.onsbridge.domain.Params;

/**
 * The resource names (ARNs) of this bridge, as ONS's RAM reference writes them:
 * {@code acs:mq:<region>:<account>:<InstanceId>} for an instance, {@code ...:<InstanceId>%<Topic>} for a
 * topic and {@code ...:<InstanceId>%<GroupId>} for a group; resources of the default instance (the
 * cluster's resources without a namespace) have no instance part, {@code ...:<Topic>}, as ONS names
 * those of an instance without a namespace. Also what the data plane asks {@link Authorizer#allows} about.
 */
public record ResourceScope(String region, String accountId, String defaultInstance) {
    /** What separates an instance from a topic or group, in RocketMQ's namespaces and in ONS's ARNs. */
    public static final String SEPARATOR = "%";
    /** The resource of actions without resource-level permission; a policy grants them with Resource "*". */
    public static final String ALL = "*";

    String head() {
        return "acs:mq:" + region + ":" + accountId + ":";
    }

    public String instance(String instanceId) {
        return head() + instanceId;
    }

    /** A topic or a group: both live in their instance's namespace. */
    public String inInstance(String instanceId, String name) {
        return instanceId.equals(defaultInstance) ? head() + name : head() + instanceId + SEPARATOR + name;
    }

    /** The relative part of a resource of this bridge (after the account), or null for another one. */
    String relative(String resource) {
        String head = head();
        return resource.startsWith(head) ? resource.substring(head.length()) : null;
    }

    String instanceOf(Params params) {
        return instance(params.required("InstanceId"));
    }

    String topicOf(Params params) {
        return inInstance(params.required("InstanceId"), params.required("Topic"));
    }

    String groupOf(Params params) {
        return inInstance(params.required("InstanceId"), params.required("GroupId"));
    }
}
