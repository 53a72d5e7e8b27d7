package io.onsbridge.protocol.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one AccessKey's policies say, compiled for evaluation as RAM evaluates: a matching Deny
 * wins, else a matching Allow allows, else the request is denied. Per RAM action the statements that
 * name it are sorted out once and cached (the bridge asks about a few dozen actions; the cache stops
 * growing at {@link #MAX_CACHED_ACTIONS} and later ones are worked out per call).
 */
final class KeyPolicy {
    static final int MAX_CACHED_ACTIONS = 256;

    /** What evaluation found, for the answer's message. */
    enum Decision { ALLOWED, DENIED_EXPLICITLY, NOT_ALLOWED }

    private record Rules(ResourceSet allow, ResourceSet deny) {
    }

    private final List<Statement> statements;
    private final ResourceScope scope;
    private final Rules visibility;
    private final Map<String, Rules> byAction = new ConcurrentHashMap<>();

    KeyPolicy(List<Statement> statements, ResourceScope scope) {
        this.statements = List.copyOf(statements);
        this.scope = scope;
        List<String> allowed = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        for (Statement statement : this.statements) {
            if (!statement.deny() && statement.actsBeyondListing()) {
                allowed.addAll(statement.resources());
            } else if (statement.coversEveryAction()) {
                hidden.addAll(statement.resources());
            }
        }
        this.visibility = new Rules(ResourceSet.of(allowed, scope), ResourceSet.of(hidden, scope));
    }

    int statementCount() {
        return statements.size();
    }

    Decision decide(String ramAction, String resource) {
        Rules rules = rulesFor(ramAction);
        String relative = scope.relative(resource);
        if (rules.deny().matches(resource, relative)) {
            return Decision.DENIED_EXPLICITLY;
        }
        return rules.allow().matches(resource, relative) ? Decision.ALLOWED : Decision.NOT_ALLOWED;
    }

    /** A topic or group is listed when some Allow (of more than List actions) names it and no Deny of every action does. */
    boolean sees(String resource) {
        String relative = scope.relative(resource);
        return visibility.allow().matches(resource, relative) && !visibility.deny().matches(resource, relative);
    }

    /** An instance is listed when some Allow names it or anything inside it, and no Deny of every action covers it all. */
    boolean seesInstance(String instanceId) {
        String resource = scope.instance(instanceId);
        return visibility.allow().reachesInto(resource, instanceId) && !visibility.deny().coversAllOf(resource, instanceId);
    }

    private Rules rulesFor(String ramAction) {
        Rules rules = byAction.get(ramAction);
        if (rules != null) {
            return rules;
        }
        String lower = ramAction.toLowerCase(Locale.ROOT);
        List<String> allow = new ArrayList<>();
        List<String> deny = new ArrayList<>();
        for (Statement statement : statements) {
            if (statement.appliesTo(lower)) {
                (statement.deny() ? deny : allow).addAll(statement.resources());
            }
        }
        rules = new Rules(ResourceSet.of(allow, scope), ResourceSet.of(deny, scope));
        if (byAction.size() < MAX_CACHED_ACTIONS) {
            byAction.putIfAbsent(ramAction, rules);
        }
        return rules;
    }
}
