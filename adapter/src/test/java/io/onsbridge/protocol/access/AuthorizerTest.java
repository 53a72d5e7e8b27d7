package io.onsbridge.protocol.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RAM's evaluation: Deny wins, then Allow, else denied; actions case-insensitive, resources not; unlisted keys unrestricted. */
class AuthorizerTest {
    static final ResourceScope SCOPE = new ResourceScope("cn-hangzhou", "000000000000", "MQ_INST_000000000000_DEFAULT");

    static final String FILE = """
            {
              "LTAIreader": {"AccessKeySecret": "r", "Policies": [{"Version": "1", "Statement": [
                {"Effect": "Allow", "Action": ["mq:List*", "mq:Query*", "mq:Get*"], "Resource": "*"}]}]},
              "LTAIscoped": {"AccessKeySecret": "s", "Policies": [{"Version": "1", "Statement": [
                {"Effect": "Allow", "Action": "mq:*", "Resource": ["acs:mq:*:*:MQ_INST_x*"]},
                {"Effect": "Allow", "Action": "mq:ListRegion", "Resource": "*"}]}]},
              "LTAIbutone": {"AccessKeySecret": "b", "Policies": [
                {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                {"Version": "1", "Statement": [{"Effect": "Deny", "Action": "mq:*", "Resource": "acs:mq:*:*:MQ_INST_x%Secret"}]}]},
              "LTAInothing": {"AccessKeySecret": "n", "Policies": []},
              "LTAIcase": {"AccessKeySecret": "c", "Policies": [{"Version": "1", "Statement": [
                {"Effect": "Allow", "Action": "MQ:createTOPIC", "Resource": "acs:mq:*:*:MQ_INST_x%Orders?"},
                {"Effect": "Allow", "Action": "mq:PUB", "Resource": "acs:mq:cn-shanghai:*:*"},
                {"Effect": "Allow", "Action": "mq:SUB", "Resource": "acs:mq:*:*:Plain"}]}]}
            }""";

    final Authorizer authorizer = new Authorizer(() -> AccessPolicies.parse(FILE, "test", SCOPE, Set.of()), SCOPE);

    static Params params(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new Params(map);
    }

    private OnsException denied(String key, AccessRule rule, Params params) {
        return catchThrowableOfType(OnsException.class, () -> authorizer.authorize(key, "Action", rule, params));
    }

    @Test
    void keysTheFileDoesNotListMayDoEverything() {
        assertThat(authorizer.authorize("LTAIadmin", "OnsTopicDelete", AccessRule.topic("mq:DeleteTopic"), params()).apply(WireObject.of()))
                .isEmpty();
        assertThat(authorizer.allows("LTAIadmin", "mq:PUB", SCOPE.inInstance("MQ_INST_y", "T"))).isTrue();
    }

    @Test
    void readOnlyKeyMayReadButNotWrite() {
        Params topic = params("InstanceId", "MQ_INST_y", "Topic", "Orders");
        assertThat(authorizer.authorize("LTAIreader", "a", AccessRule.topic("mq:QueryTopicStatus"), topic)).isNotNull();
        assertThat(authorizer.authorize("LTAIreader", "a", AccessRule.all("mq:GetTraceResult"), params())).isNotNull();
        OnsException e = denied("LTAIreader", AccessRule.topic("mq:CreateTopic"), topic);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("Forbidden.RAM");
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("The AccessKey \"LTAIreader\" may not do mq:CreateTopic on "
                + "acs:mq:cn-hangzhou:000000000000:MQ_INST_y%Orders: denied by an access policy of the bridge (no Allow statement names it).");
    }

    @Test
    void instanceScopedKeyActsInsideItsInstancesOnly() {
        assertThat(authorizer.allows("LTAIscoped", "mq:CreateTopic", SCOPE.inInstance("MQ_INST_x1", "T"))).isTrue();
        assertThat(authorizer.allows("LTAIscoped", "mq:DeleteInstance", SCOPE.instance("MQ_INST_x1"))).isTrue();
        assertThat(authorizer.allows("LTAIscoped", "mq:CreateTopic", SCOPE.inInstance("MQ_INST_y", "T"))).isFalse();
        // No resource-level permission: the resource is "*", which only Resource "*" (or a pattern matching it) grants.
        assertThat(authorizer.allows("LTAIscoped", "mq:CreateInstance", ResourceScope.ALL)).isFalse();
    }

    @Test
    void denyWinsOverAllow() {
        assertThat(authorizer.allows("LTAIbutone", "mq:CreateTopic", SCOPE.inInstance("MQ_INST_x", "Orders"))).isTrue();
        OnsException e = denied("LTAIbutone", AccessRule.topic("mq:QueryMessage"), params("InstanceId", "MQ_INST_x", "Topic", "Secret"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("mq:QueryMessage").contains("MQ_INST_x%Secret").contains("a Deny statement names it");
    }

    @Test
    void theInstanceListIsCalledByAnyoneAndOnlyNarrowed() {
        assertThat(authorizer.authorize("LTAInothing", "OnsInstanceInServiceList",
                AccessRule.listedBy("mq:QueryInstanceBaseInfo", ListFilter.INSTANCES), params())).isNotNull();
    }

    @Test
    void aListedKeyWithoutStatementsMayDoNothing() {
        assertThat(authorizer.allows("LTAInothing", "mq:ListRegion", ResourceScope.ALL)).isFalse();
        assertThat(denied("LTAInothing", AccessRule.all("mq:ListRegion"), params())).isNotNull();
    }

    @Test
    void actionsMatchWhateverTheirCaseResourcesOnlyInTheirs() {
        assertThat(authorizer.allows("LTAIcase", "mq:CreateTopic", SCOPE.inInstance("MQ_INST_x", "Orders1"))).isTrue();
        assertThat(authorizer.allows("LTAIcase", "MQ:CREATETOPIC", SCOPE.inInstance("MQ_INST_x", "Orders1"))).isTrue();
        assertThat(authorizer.allows("LTAIcase", "mq:CreateTopic", SCOPE.inInstance("MQ_INST_x", "orders1"))).isFalse();
        assertThat(authorizer.allows("LTAIcase", "mq:CreateTopic", SCOPE.inInstance("MQ_INST_x", "Orders12"))).isFalse();
    }

    @Test
    void aPatternForAnotherRegionNeverMatches() {
        assertThat(authorizer.allows("LTAIcase", "mq:PUB", SCOPE.inInstance("MQ_INST_x", "Orders"))).isFalse();
    }

    @Test
    void theDefaultInstancesResourcesHaveNoInstancePart() {
        assertThat(SCOPE.inInstance("MQ_INST_000000000000_DEFAULT", "Plain")).isEqualTo("acs:mq:cn-hangzhou:000000000000:Plain");
        assertThat(authorizer.allows("LTAIcase", "mq:SUB", SCOPE.inInstance("MQ_INST_000000000000_DEFAULT", "Plain"))).isTrue();
        assertThat(authorizer.allows("LTAIcase", "mq:SUB", SCOPE.inInstance("MQ_INST_x", "Plain"))).isFalse();
    }

    @Test
    void everyTaggedResourceMustBeAllowed() {
        Params two = params("ResourceType", "TOPIC", "InstanceId", "MQ_INST_x", "ResourceId.1", "Orders", "ResourceId.2", "Secret");
        OnsException e = denied("LTAIbutone", AccessRule.tagged("mq:TagResources"), two);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("MQ_INST_x%Secret");
        Params one = params("ResourceType", "topic", "InstanceId", "MQ_INST_x", "ResourceId.1", "Orders");
        assertThat(authorizer.authorize("LTAIbutone", "TagResources", AccessRule.tagged("mq:TagResources"), one)).isNotNull();
        Params instances = params("ResourceType", "INSTANCE", "ResourceId.1", "MQ_INST_y");
        assertThat(denied("LTAIscoped", AccessRule.tagged("mq:TagResources"), instances)).isNotNull();
    }

    @Test
    void aMissingParameterFailsAsTheActionWould() {
        OnsException e = denied("LTAIreader", AccessRule.topic("mq:QueryTopicStatus"), params("InstanceId", "MQ_INST_x"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("MissingParameter");
    }

    @Test
    void anActionWithoutRuleIsRefusedToGovernedKeysOnly() {
        OnsException e = catchThrowableOfType(OnsException.class, () -> authorizer.authorize("LTAIbutone", "OnsNew", null, params()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("none declared for OnsNew");
        assertThat(authorizer.authorize("LTAIadmin", "OnsNew", null, params())).isNotNull();
    }

    @Test
    void prefixPatternsOfSeveralLengthsAllCount() {
        ResourceSet set = ResourceSet.of(java.util.List.of("acs:mq:*:*:MQ_INST_ab*", "acs:mq:*:*:MQ_INST_a%T*", "acs:mq:*:*:Q*"), SCOPE);
        assertThat(set.matches(SCOPE.instance("MQ_INST_abc"), "MQ_INST_abc")).isTrue();
        assertThat(set.matches(SCOPE.inInstance("MQ_INST_a", "Tx"), "MQ_INST_a%Tx")).isTrue();
        assertThat(set.matches(SCOPE.inInstance("MQ_INST_a", "Ux"), "MQ_INST_a%Ux")).isFalse();
        assertThat(set.matches(SCOPE.instance("MQ_INST_a"), "MQ_INST_a")).isFalse();
        assertThat(set.matches(SCOPE.instance("Q"), "Q")).isTrue();
        assertThat(set.reachesInto(SCOPE.instance("MQ_INST_a"), "MQ_INST_a")).isTrue();
        assertThat(set.coversAllOf(SCOPE.instance("MQ_INST_abz"), "MQ_INST_abz")).isTrue();
        assertThat(set.coversAllOf(SCOPE.instance("MQ_INST_a"), "MQ_INST_a")).isFalse();
    }
}
