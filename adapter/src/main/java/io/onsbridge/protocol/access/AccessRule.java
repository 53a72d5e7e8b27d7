package io.onsbridge.protocol.access;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.mqtt.MqttInstanceIds;
import java.util.List;
import java.util.Locale;

/**
 * What an ONS action needs in RAM's terms: the RAM action a policy must allow, the resource it acts on
 * (worked out from the request's parameters) and, for a list, which of the listed items the caller may
 * see. The dispatch table ({@code protocol.ActionTable}) declares one per action; docs/access.md lists them.
 */
public record AccessRule(String ramAction, Kind kind, ListFilter filter) {
    /** The parameters an action's resource is named by. */
    public enum Kind {
        /** Anyone may call it; what it lists is narrowed to the items the RAM action is allowed on (ONS's instance list). */
        LISTED_ONLY,
        /** No resource-level permission: the resource is {@code *}. */
        ALL,
        INSTANCE,
        /** The instance when the request names one, else {@code *}. */
        INSTANCE_IF_GIVEN,
        TOPIC,
        GROUP,
        /** TagResources and its kin: each ResourceId.N of the ResourceType. */
        TAGGED,
        /** The instance of an MQTT action, named in either form ({@code mqtt-X} is instance X): judged as the ONS instance. */
        MQTT_INSTANCE
    }

    /** Callable by every key; the answer shows the items on which {@code ramAction} is allowed. */
    public static AccessRule listedBy(String ramAction, ListFilter filter) {
        return new AccessRule(ramAction, Kind.LISTED_ONLY, filter);
    }

    public static AccessRule all(String ramAction) {
        return new AccessRule(ramAction, Kind.ALL, ListFilter.NONE);
    }

    public static AccessRule instance(String ramAction) {
        return new AccessRule(ramAction, Kind.INSTANCE, ListFilter.NONE);
    }

    public static AccessRule instanceIfGiven(String ramAction) {
        return new AccessRule(ramAction, Kind.INSTANCE_IF_GIVEN, ListFilter.NONE);
    }

    public static AccessRule topic(String ramAction) {
        return new AccessRule(ramAction, Kind.TOPIC, ListFilter.NONE);
    }

    public static AccessRule group(String ramAction) {
        return new AccessRule(ramAction, Kind.GROUP, ListFilter.NONE);
    }

    public static AccessRule mqttInstance(String ramAction) {
        return new AccessRule(ramAction, Kind.MQTT_INSTANCE, ListFilter.NONE);
    }

    public static AccessRule tagged(String ramAction) {
        return new AccessRule(ramAction, Kind.TAGGED, ListFilter.NONE);
    }

    /** The same rule, with the answer narrowed to what the caller may see. */
    public AccessRule listing(ListFilter filter) {
        return new AccessRule(ramAction, kind, filter);
    }

    /** Every resource the request acts on; each must be allowed. A missing parameter fails as the action would. */
    List<String> resources(Params params, ResourceScope scope) {
        return switch (kind) {
            case LISTED_ONLY -> List.of();
            case ALL -> List.of(ResourceScope.ALL);
            case INSTANCE -> List.of(scope.instanceOf(params));
            case INSTANCE_IF_GIVEN -> params.optional("InstanceId") == null ? List.of(ResourceScope.ALL) : List.of(scope.instanceOf(params));
            case TOPIC -> List.of(scope.topicOf(params));
            case GROUP -> List.of(scope.groupOf(params));
            case TAGGED -> tagged(params, scope);
            case MQTT_INSTANCE -> List.of(scope.instance(MqttInstanceIds.onsInstanceId(params.required("InstanceId"))));
        };
    }

    private static List<String> tagged(Params params, ResourceScope scope) {
        String type = params.required("ResourceType").toUpperCase(Locale.ROOT);
        // Bounded as TagResources bounds it; a longer list fails there with the same words.
        List<String> ids = params.repeated("ResourceId", 50);
        if (type.equals("INSTANCE")) {
            return ids.isEmpty() ? List.of(params.optional("InstanceId") == null ? ResourceScope.ALL : scope.instanceOf(params))
                    : ids.stream().map(scope::instance).toList();
        }
        String instanceId = params.required("InstanceId");
        return ids.isEmpty() ? List.of(scope.instance(instanceId)) : ids.stream().map(id -> scope.inInstance(instanceId, id)).toList();
    }
}
