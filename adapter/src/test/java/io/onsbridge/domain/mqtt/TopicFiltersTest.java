package io.onsbridge.domain.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFiltersTest {
    @Test
    void wildcardsMatchAsMqttSays() {
        assertThat(TopicFilters.matches("Orders/eu/+", "Orders/eu/berlin")).isTrue();
        assertThat(TopicFilters.matches("Orders/eu/+", "Orders/eu/berlin/x")).isFalse();
        assertThat(TopicFilters.matches("Orders/#", "Orders")).isTrue();
        assertThat(TopicFilters.matches("Orders/#", "Orders/eu/berlin")).isTrue();
        assertThat(TopicFilters.matches("Orders/+/berlin", "Orders/eu/berlin")).isTrue();
        assertThat(TopicFilters.matches("Orders/eu", "Orders/us")).isFalse();
        assertThat(TopicFilters.matches("Orders", "Orders")).isTrue();
        assertThat(TopicFilters.matches("Orders/#/x", "Orders/a/x")).isFalse();
    }

    @Test
    void subTopicsJoinWithOrWithoutTheirSlash() {
        assertThat(TopicFilters.join("Orders", "/eu/+")).isEqualTo("Orders/eu/+");
        assertThat(TopicFilters.join("Orders", "eu/+")).isEqualTo("Orders/eu/+");
        assertThat(TopicFilters.join("Orders", "")).isEqualTo("Orders");
        assertThat(TopicFilters.join("Orders", null)).isEqualTo("Orders");
    }
}
