package io.onsbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.access.AccessRule;
import org.junit.jupiter.api.Test;

class ActionRegistryTest {
    private static final OnsAction REGIONS = request -> WireObject.of();
    private static final OnsAction TOPICS = request -> WireObject.of();

    private final ActionRegistry registry = new ActionRegistry()
            .register(ActionRegistry.ONS_VERSION, "OnsRegionList", REGIONS)
            .register(ActionRegistry.ONS_VERSION, "OnsTopicList", TOPICS)
            .register("2020-04-20", "QueryMqttTraceDevice", TOPICS);

    @Test
    void findsTheHandlerOfVersionAndAction() {
        assertThat(registry.find("2019-02-14", "OnsRegionList")).isSameAs(REGIONS);
        assertThat(registry.find("2019-02-14", "OnsTopicList")).isSameAs(TOPICS);
    }

    @Test
    void sizeCountsActionsOfEveryVersion() {
        assertThat(registry.size()).isEqualTo(3);
    }

    @Test
    void unknownVersionIsInvalidVersionListingTheSupportedOnes() {
        OnsException e = catchThrowableOfType(OnsException.class, () -> registry.find("2018-01-01", "OnsRegionList"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("InvalidVersion");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("\"2018-01-01\"").contains("2019-02-14, 2020-04-20");
    }

    @Test
    void unknownActionIsInvalidActionNotFound() {
        OnsException e = catchThrowableOfType(OnsException.class, () -> registry.find("2019-02-14", "OnsNope"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("InvalidAction.NotFound");
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("\"OnsNope\"").contains("2019-02-14");
    }

    @Test
    void actionOfAnotherVersionIsNotFound() {
        OnsException e = catchThrowableOfType(OnsException.class, () -> registry.find("2019-02-14", "QueryMqttTraceDevice"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("InvalidAction.NotFound");
    }

    @Test
    void registeringTheSameActionTwiceFails() {
        assertThatThrownBy(() -> registry.register("2019-02-14", "OnsRegionList", TOPICS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OnsRegionList");
        assertThat(registry.find("2019-02-14", "OnsRegionList")).isSameAs(REGIONS);
    }

    @Test
    void anActionKeepsTheAccessRuleItWasRegisteredWith() {
        AccessRule rule = AccessRule.topic("mq:QueryTopicStatus");
        ActionRegistry withRule = new ActionRegistry().register(ActionRegistry.ONS_VERSION, "OnsTopicStatus", TOPICS, rule);
        assertThat(withRule.find("2019-02-14", "OnsTopicStatus")).isSameAs(TOPICS);
        assertThat(withRule.accessRule("2019-02-14", "OnsTopicStatus")).isSameAs(rule);
        assertThat(registry.accessRule("2019-02-14", "OnsRegionList")).isNull();
    }
}
