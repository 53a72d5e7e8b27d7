package io.onsbridge.domain.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.Queue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttTopicTest {
    @Test
    void theFirstLevelIsTheParentTopicAndTheRestTheSecondTopic() {
        assertThat(MqttTopic.parse("Orders/eu/berlin")).isEqualTo(new MqttTopic("Orders", "/eu/berlin"));
        assertThat(MqttTopic.parse("Orders")).isEqualTo(new MqttTopic("Orders", ""));
        assertThat(MqttTopic.parse("Orders/")).isEqualTo(new MqttTopic("Orders", "/"));
        assertThat(MqttTopic.parse("/eu")).isNull();
        assertThat(MqttTopic.parse("")).isNull();
    }

    @Test
    void aRocketMqMessageWithoutSecondTopicIsTheParentTopic() {
        assertThat(MqttTopic.of("Orders", Map.of()).name()).isEqualTo("Orders");
        assertThat(MqttTopic.of("Orders", Map.of(MqttTopic.SECOND_TOPIC, "/eu/x")).name()).isEqualTo("Orders/eu/x");
    }

    @Test
    void p2pTopicsNameTheirClient() {
        assertThat(MqttTopic.parse("Orders/p2p/GID_a@@@dev1").p2pTarget()).isEqualTo("GID_a@@@dev1");
        assertThat(MqttTopic.parse("Orders/p2p/").p2pTarget()).isNull();
        assertThat(MqttTopic.parse("Orders/p2px/a").p2pTarget()).isNull();
        assertThat(MqttTopic.parse("Orders/eu/p2p/a").p2pTarget()).isNull();
    }

    @Test
    void wildcardsMatchLevelByLevel() {
        TopicFilter plus = TopicFilter.parse("Orders/+/berlin");
        assertThat(plus.parent()).isEqualTo("Orders");
        assertThat(plus.subTopic()).isEqualTo("/+/berlin");
        assertThat(plus.matches("Orders/eu/berlin")).isTrue();
        assertThat(plus.matches("Orders/eu/paris")).isFalse();
        assertThat(plus.matches("Orders/eu/x/berlin")).isFalse();
        assertThat(plus.matches("Orders//berlin")).isTrue();

        TopicFilter hash = TopicFilter.parse("Orders/#");
        assertThat(hash.matches("Orders")).isTrue();
        assertThat(hash.matches("Orders/eu")).isTrue();
        assertThat(hash.matches("Orders/eu/berlin")).isTrue();
        assertThat(hash.matches("Other/eu")).isFalse();

        TopicFilter exact = TopicFilter.parse("Orders/eu");
        assertThat(exact.matches("Orders/eu")).isTrue();
        assertThat(exact.matches("Orders/eu/berlin")).isFalse();
        assertThat(exact.matches("Orders")).isFalse();

        assertThat(TopicFilter.parse("Orders").matches("Orders")).isTrue();
        assertThat(TopicFilter.parse("Orders/+").matches("Orders")).isFalse();
    }

    @Test
    void malformedFiltersAndWildcardParentsAreRefused() {
        assertThat(TopicFilter.parse("#")).isNull();
        assertThat(TopicFilter.parse("+/eu")).isNull();
        assertThat(TopicFilter.parse("Orders/#/x")).isNull();
        assertThat(TopicFilter.parse("Orders/e+")).isNull();
        assertThat(TopicFilter.parse("Orders/e#")).isNull();
        assertThat(TopicFilter.parse("/Orders")).isNull();
        assertThat(TopicFilter.parse("")).isNull();
    }

    @Test
    void queuePositionsRoundTripThroughTheirStoredNames() {
        Queue queue = new Queue("INST%Orders", "broker-a", 3);
        assertThat(DeviceSessions.queue(DeviceSessions.name(queue))).isEqualTo(queue);
        assertThat(DeviceSessions.queue("broken")).isNull();
        assertThat(DeviceSessions.queue("a|b|c")).isNull();
    }
}
