package io.onsbridge.protocol.access;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Decides, for a signed caller, whether its access policies let it do what it asks. A key the policies
 * file does not list (the admin key, the credentials file's keys) may do everything; a listed key may
 * do what an Allow of its policies names and no Deny does. The ONS endpoint asks {@link #authorize}
 * per call; other front doors (MQTT, the MQ HTTP protocol) ask {@link #allows}, e.g. with
 * {@code "mq:PUB"} or {@code "mq:SUB"} and {@code resources().inInstance(instanceId, topic)}.
 */
public final class Authorizer {
    private final Supplier<AccessPolicies> policies;
    private final ResourceScope scope;

    /** @param policies the current policies; asked on every call, so a reload takes effect at once */
    public Authorizer(Supplier<AccessPolicies> policies, ResourceScope scope) {
        this.policies = policies;
        this.scope = scope;
    }

    /** No policies: every key may do everything (the bridge without {@code --access-policies}). */
    public static Authorizer unrestricted() {
        return new Authorizer(() -> AccessPolicies.NONE, new ResourceScope("", "", ""));
    }

    /** The names of this bridge's resources, for {@link #allows}. */
    public ResourceScope resources() {
        return scope;
    }

    /**
     * @param action the ONS action, for the message when the dispatch declares no rule for it
     * @param rule   its RAM action, resource and list filter; null when none is declared (governed keys are then refused)
     * @return what to pass the action's answer through: the identity, or the list filter of a governed key
     * @throws io.onsbridge.domain.OnsException {@code Forbidden.RAM} naming the key, the RAM action and the resource
     */
    public UnaryOperator<WireObject> authorize(String accessKeyId, String action, AccessRule rule, Params params) {
        KeyPolicy policy = policies.get().policyOf(accessKeyId);
        if (policy == null) {
            return UnaryOperator.identity();
        }
        if (rule == null) {
            throw OnsErrors.accessDenied(accessKeyId, "(none declared for " + action + ")", ResourceScope.ALL, false);
        }
        for (String resource : rule.resources(params, scope)) {
            KeyPolicy.Decision decision = policy.decide(rule.ramAction(), resource);
            if (decision != KeyPolicy.Decision.ALLOWED) {
                throw OnsErrors.accessDenied(accessKeyId, rule.ramAction(), resource, decision == KeyPolicy.Decision.DENIED_EXPLICITLY);
            }
        }
        return rule.filter() == ListFilter.NONE ? UnaryOperator.identity() : body -> rule.filter().apply(body, params, policy, scope, rule.ramAction());
    }

    /** Whether the key may do {@code ramAction} (e.g. {@code mq:PUB}) on {@code resource}; keys the file does not list may. */
    public boolean allows(String accessKeyId, String ramAction, String resource) {
        KeyPolicy policy = policies.get().policyOf(accessKeyId);
        return policy == null || policy.decide(ramAction, resource) == KeyPolicy.Decision.ALLOWED;
    }
}
