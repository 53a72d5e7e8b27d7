package io.onsbridge.protocol;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.protocol.access.AccessRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Action name and API version to the method that serves it; filled once at start-up. */
public final class ActionRegistry {
    /** The ONS OpenAPI; OnsMqtt's 2020-04-20 registers beside it. */
    public static final String ONS_VERSION = "2019-02-14";
    /** Product OnsMqtt's version, of {@code QueryMqttTraceDevice} (docs/mqtt-api.md): one endpoint serves both products. */
    public static final String ONS_MQTT_VERSION = "2020-04-20";

    private final Map<String, Map<String, OnsAction>> byVersion = new ConcurrentHashMap<>();
    private final Map<String, AccessRule> accessRules = new ConcurrentHashMap<>();

    /** Registers an action with what access policies must allow for it (docs/access.md). */
    public ActionRegistry register(String version, String action, OnsAction handler, AccessRule rule) {
        register(version, action, handler);
        accessRules.put(version + " " + action, rule);
        return this;
    }

    /** An action registered without an {@link AccessRule} is refused to every key that access policies govern. */
    public ActionRegistry register(String version, String action, OnsAction handler) {
        OnsAction previous = byVersion.computeIfAbsent(version, v -> new ConcurrentHashMap<>()).putIfAbsent(action, handler);
        if (previous != null) {
            throw new IllegalStateException("action registered twice: " + version + " " + action);
        }
        return this;
    }

    public OnsAction find(String version, String action) {
        Map<String, OnsAction> actions = byVersion.get(version);
        if (actions == null) {
            throw OnsErrors.unsupportedVersion(version, String.join(", ", new TreeMap<>(byVersion).keySet()));
        }
        OnsAction handler = actions.get(action);
        if (handler == null) {
            throw OnsErrors.unknownAction(action, version);
        }
        return handler;
    }

    /** Every action name served, in any version. */
    public Set<String> actions() {
        Set<String> names = new TreeSet<>();
        byVersion.values().forEach(actions -> names.addAll(actions.keySet()));
        return names;
    }

    /** The action's access rule, or null when it was registered without one. */
    public AccessRule accessRule(String version, String action) {
        return accessRules.get(version + " " + action);
    }

    public int size() {
        return byVersion.values().stream().mapToInt(Map::size).sum();
    }
}
