package io.onsbridge.protocol.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way the file can be wrong is refused with where (line and column, or key and statement) and why. */
class AccessPoliciesParseTest {
    private static final ResourceScope SCOPE = new ResourceScope("cn-hangzhou", "000000000000", "MQ_INST_000000000000_DEFAULT");

    private static AccessPolicies parse(String json) {
        return AccessPolicies.parse(json, "policies.json", SCOPE, Set.of("LTAIadmin"));
    }

    private static String key(String statements) {
        return "{\"LTAIreader\": {\"AccessKeySecret\": \"s3cret\", \"Policies\": [{\"Version\": \"1\", \"Statement\": [" + statements + "]}]}}";
    }

    @Test
    void aGoodFileGivesEachKeyItsSecret() {
        AccessPolicies policies = parse(key("{\"Effect\": \"Allow\", \"Action\": [\"mq:List*\"], \"Resource\": \"*\"}"));
        assertThat(policies.keys()).isEqualTo(1);
        assertThat(policies.secretOf("LTAIreader")).contains("s3cret");
        assertThat(policies.secretOf("LTAIother")).isEmpty();
        assertThat(policies.policyOf("LTAIreader").statementCount()).isEqualTo(1);
        assertThat(policies.policyOf("LTAIother")).isNull();
    }

    @Test
    void actionAndResourceMayBeASingleString() {
        AccessPolicies policies = parse(key("{\"Effect\": \"Deny\", \"Action\": \"mq:DeleteTopic\", \"Resource\": \"acs:mq:*:*:*\"}"));
        assertThat(policies.policyOf("LTAIreader").statementCount()).isEqualTo(1);
    }

    @Test
    void brokenJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> parse("{\n  \"LTAIreader\": {\n    \"AccessKeySecret\": \"s\",,\n  }\n}"))
                .isInstanceOf(AccessPolicyException.class)
                .hasMessageStartingWith("policies.json: line 3, column")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void aKeyTwiceIsAJsonErrorWithItsLine() {
        assertThatThrownBy(() -> parse("{\"K\": {\"AccessKeySecret\": \"a\", \"Policies\": []},\n\"K\": {\"AccessKeySecret\": \"b\", \"Policies\": []}}"))
                .isInstanceOf(AccessPolicyException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("Duplicate field 'K'");
    }

    @Test
    void theRootMustBeAnObject() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(AccessPolicyException.class).hasMessageContaining("must be a JSON object");
    }

    @Test
    void anUnknownEffectNamesTheKeyAndStatement() {
        assertThatThrownBy(() -> parse(key("{\"Effect\": \"Permit\", \"Action\": \"mq:*\", \"Resource\": \"*\"}")))
                .isInstanceOf(AccessPolicyException.class)
                .hasMessage("policies.json: key \"LTAIreader\", Policies[0].Statement[0]: \"Effect\" must be \"Allow\" or \"Deny\", was \"Permit\"");
    }

    @Test
    void aMissingSecretIsRefused() {
        assertThatThrownBy(() -> parse("{\"K\": {\"Policies\": []}}"))
                .hasMessageContaining("key \"K\": \"AccessKeySecret\" must be a non-empty string");
    }

    @Test
    void policiesMustBeAnArray() {
        assertThatThrownBy(() -> parse("{\"K\": {\"AccessKeySecret\": \"s\", \"Policies\": {}}}"))
                .hasMessageContaining("key \"K\": \"Policies\" must be an array");
    }

    @Test
    void onlyVersionOneIsKnown() {
        assertThatThrownBy(() -> parse("{\"K\": {\"AccessKeySecret\": \"s\", \"Policies\": [{\"Version\": \"2\", \"Statement\": []}]}}"))
                .hasMessageContaining("key \"K\", Policies[0]: \"Version\" must be \"1\"");
    }

    @Test
    void aConditionIsRefusedNotIgnored() {
        assertThatThrownBy(() -> parse(key("{\"Effect\": \"Allow\", \"Action\": \"mq:*\", \"Resource\": \"*\", \"Condition\": {}}")))
                .hasMessageContaining("Policies[0].Statement[0]: \"Condition\" is not supported");
    }

    @Test
    void anActionWithoutServiceIsRefused() {
        assertThatThrownBy(() -> parse(key("{\"Effect\": \"Allow\", \"Action\": \"CreateTopic\", \"Resource\": \"*\"}")))
                .hasMessageContaining("action \"CreateTopic\" is not of the form service:Action");
    }

    @Test
    void anEmptyActionListIsRefused() {
        assertThatThrownBy(() -> parse(key("{\"Effect\": \"Allow\", \"Action\": [], \"Resource\": \"*\"}")))
                .hasMessageContaining("Statement[0], \"Action\": must be a non-empty string");
    }

    @Test
    void aResourceThatIsNotAStringIsRefused() {
        assertThatThrownBy(() -> parse(key("{\"Effect\": \"Allow\", \"Action\": \"mq:*\", \"Resource\": [1]}")))
                .hasMessageContaining("\"Resource\": must hold strings, found 1");
    }

    @Test
    void aFixedKeyCannotBeListed() {
        assertThatThrownBy(() -> parse("{\"LTAIadmin\": {\"AccessKeySecret\": \"s\", \"Policies\": []}}"))
                .hasMessageContaining("key \"LTAIadmin\" is also the admin key or a key of the credentials file");
    }
}
