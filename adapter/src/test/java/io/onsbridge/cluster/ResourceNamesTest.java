package io.onsbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceNamesTest {
    @Test
    void onlyNamesRocketMqAcceptsCouldExist() {
        assertThat(ResourceNames.couldExist("MQ_INST_1_ab%Orders-eu_1")).isTrue();
        assertThat(ResourceNames.couldExist("GID_x|y")).isTrue();
        assertThat(ResourceNames.couldExist("x".repeat(255))).isTrue();
        assertThat(ResourceNames.couldExist("x".repeat(256))).isFalse();
        assertThat(ResourceNames.couldExist("x' OR '1'='1'; DROP TABLE t;--")).isFalse();
        assertThat(ResourceNames.couldExist("a</Code>")).isFalse();
        assertThat(ResourceNames.couldExist("a\u0001")).isFalse();
        assertThat(ResourceNames.couldExist("")).isFalse();
        assertThat(ResourceNames.couldExist(null)).isFalse();
    }

    @Test
    void namespacesWrapAndUnwrapByRocketMqsRules() {
        assertThat(ResourceNames.inNamespace("MQ_INST_1", "Orders")).isEqualTo("MQ_INST_1%Orders");
        assertThat(ResourceNames.namespaceOf("MQ_INST_1%Orders")).isEqualTo("MQ_INST_1");
        assertThat(ResourceNames.withoutNamespace("MQ_INST_1%Orders")).isEqualTo("Orders");
    }
}
