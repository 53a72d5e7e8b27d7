package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.ons20190214.models.OnsWarnCreateRequest;
import com.aliyun.ons20190214.models.OnsWarnDeleteRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.junit.jupiter.api.Test;

/** Alarm rules fire and resolve against a real backlog, and /metrics shows calls, backlogs and alarms. */
@OnsBridgeTest
class AlarmsAndMetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Bridge bridge;

    AlarmsAndMetricsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aRuleFiresWhenAStoppedConsumersBacklogPassesItsThresholdAndResolvesWhenItCatchesUp() throws Exception {
        String instance = bridge.newInstance("alarm");
        var shared = bridge.tea();
        shared.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0));
        shared.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_slow"));
        Sampling.commitStart(bridge, instance, "GID_slow", "Orders");
        List<JsonNode> hook = new CopyOnWriteArrayList<>();
        List<JsonNode> forbidden = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiver(hook);
        HttpServer elsewhere = receiver(forbidden);
        try (OnsBridgeServer server = Sampling.fastBridge(bridge)) {
            var tea = Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret);
            // The second contact is not under an allowed prefix (http://127.0.0.1:): it must never be called.
            String contacts = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook, http://localhost:"
                    + elsewhere.getAddress().getPort() + "/hook";
            tea.onsWarnCreate(new OnsWarnCreateRequest().setInstanceId(instance).setGroupId("GID_slow").setTopic("Orders")
                    .setThreshold("5").setAlertTime("60").setLevel("CRITICAL").setContacts(contacts));
            Map<String, String> rule = Map.of("group", instance + "%GID_slow", "topic", instance + "%Orders", "level", "CRITICAL");
            awaitUntil(Duration.ofSeconds(15), () -> assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_alarm_firing", rule)).contains(0.0));

            Sampling.send(bridge, instance, "Orders", 8); // nobody consumes: a backlog of 8 > 5
            awaitUntil(Duration.ofSeconds(15), () -> assertThat(hook).hasSize(1));
            JsonNode fired = hook.get(0);
            assertThat(fired.get("status").asText()).isEqualTo("FIRING");
            assertThat(fired.get("backlog").asLong()).isEqualTo(8);
            assertThat(fired.get("groupId").asText()).isEqualTo("GID_slow");
            assertThat(fired.get("topic").asText()).isEqualTo("Orders");
            assertThat(fired.get("instanceId").asText()).isEqualTo(instance);
            assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_alarm_firing", rule)).contains(1.0);
            // Once per alert window (60 min): further rounds while it keeps firing send nothing more.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> hook.size() == 1);

            Map<String, Integer> received = new ConcurrentHashMap<>();
            DefaultMQPushConsumer consumer = Sampling.consumer(bridge, instance, "GID_slow", "Orders", received);
            try {
                awaitUntil(Duration.ofSeconds(60), () -> assertThat(hook).hasSize(2)); // generous: a loaded machine delays the first rebalance
            } finally {
                consumer.shutdown();
            }
            assertThat(received).hasSize(8);
            assertThat(hook.get(1).get("status").asText()).isEqualTo("RESOLVED");
            assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_alarm_firing", rule)).contains(0.0);
            assertThat(forbidden).isEmpty();

            tea.onsWarnDelete(new OnsWarnDeleteRequest().setInstanceId(instance).setGroupId("GID_slow").setTopic("Orders"));
            awaitUntil(Duration.ofSeconds(10), () -> assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_alarm_firing", rule)).isEmpty());
            assertTeaError(() -> tea.onsWarnDelete(new OnsWarnDeleteRequest().setInstanceId(instance).setGroupId("GID_slow").setTopic("Orders")),
                    "BIZ_RESOURCE_NOT_FOUND", 404, "alarm rule");
            assertTeaError(() -> tea.onsWarnCreate(new OnsWarnCreateRequest().setInstanceId(instance).setGroupId("GID_slow").setTopic("Orders")
                    .setLevel("WARN")), "BIZ_FIELD_CHECK_INVALID", 400, "Threshold");
            assertTeaError(() -> tea.onsWarnCreate(new OnsWarnCreateRequest().setInstanceId(instance).setGroupId("GID_slow").setTopic("Orders")
                    .setThreshold("many")), "InvalidParameter", 400, "Threshold");
        } finally {
            receiver.stop(0);
            elsewhere.stop(0);
        }
    }

    @Test
    void metricsCountTheTestsOwnCallsAndShowBacklogs() throws Exception {
        String instance = bridge.newInstance("metrics");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Counted").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_idle"));
        Sampling.commitStart(bridge, instance, "GID_idle", "Counted");
        Sampling.send(bridge, instance, "Counted", 3);
        try (OnsBridgeServer server = Sampling.fastBridge(bridge)) {
            var tea = Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret);
            for (int i = 0; i < 3; i++) {
                tea.onsRegionList();
            }
            for (int i = 0; i < 2; i++) {
                assertTeaError(() -> tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Nowhere")),
                        "BIZ_TOPIC_NOT_FOUND", 404, "Nowhere");
            }
            Scrape scrape = Scrape.of(server.endpoint());
            assertThat(scrape.counter("ons_bridge_requests_total", Map.of("action", "OnsRegionList", "code", "OK"))).isEqualTo(3.0);
            assertThat(scrape.counter("ons_bridge_requests_total", Map.of("action", "OnsTopicStatus", "code", "BIZ_TOPIC_NOT_FOUND"))).isEqualTo(2.0);
            assertThat(scrape.metric("ons_bridge_request_duration_seconds", Map.of("action", "OnsRegionList")))
                    .hasValueSatisfying(m -> assertThat(m.getHistogram().getSampleCount()).isEqualTo(3));
            Map<String, String> labels = Map.of("group", instance + "%GID_idle", "topic", instance + "%Counted");
            awaitUntil(Duration.ofSeconds(15), () -> assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_consumer_backlog_messages", labels))
                    .contains(3.0));
            assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_consumer_delay_seconds", labels)).hasValueSatisfying(d -> assertThat(d).isPositive());

            // Without an Accept header the answer is Prometheus' text format.
            HttpResponse<byte[]> text = Scrape.get(server.endpoint(), null);
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(new String(text.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("# TYPE ons_bridge_requests_total counter");
        }
    }

    /** A local HTTP receiver (the JDK's) collecting the JSON bodies POSTed to /hook. */
    private static HttpServer receiver(List<JsonNode> into) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                if (exchange.getRequestMethod().equals("POST")) {
                    into.add(JSON.readTree(exchange.getRequestBody()));
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        return server;
    }
}
