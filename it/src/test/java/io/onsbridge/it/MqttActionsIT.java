package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdCreateRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdDeleteRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdListRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdListResponseBody.OnsMqttGroupIdListResponseBodyDataMqttGroupIdDo;
import com.aliyun.ons20190214.models.OnsMqttQueryClientByClientIdRequest;
import com.aliyun.ons20190214.models.OnsMqttQueryClientByClientIdResponseBody.OnsMqttQueryClientByClientIdResponseBodyMqttClientInfoDo;
import com.aliyun.ons20190214.models.OnsMqttQueryClientByGroupIdRequest;
import com.aliyun.ons20190214.models.OnsMqttQueryClientByTopicRequest;
import com.aliyun.ons20190214.models.OnsMqttQueryHistoryOnlineRequest;
import com.aliyun.ons20190214.models.OnsMqttQueryHistoryOnlineResponseBody.OnsMqttQueryHistoryOnlineResponseBodyDataRecordsStatsDataDo;
import com.aliyun.ons20190214.models.OnsMqttQueryMsgTransTrendRequest;
import com.aliyun.ons20190214.models.OnsMqttQueryMsgTransTrendResponseBody.OnsMqttQueryMsgTransTrendResponseBodyDataRecordsStatsDataDo;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.tea.TeaException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.cluster.rocketmq.ClusterCredentials;
import io.onsbridge.cluster.rocketmq.RocketMqCluster;
import io.onsbridge.domain.mqtt.DeviceEvents;
import io.onsbridge.domain.mqtt.DeviceEvents.ActionInfo;
import io.onsbridge.domain.mqtt.DeviceEvents.Connection;
import io.onsbridge.domain.mqtt.MqttDevices;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT actions through the Tea SDK (and QueryMqttTraceDevice, which has no SDK here, signed by hand with
 * Version 2020-04-20) against the embedded cluster. There is no MQTT gateway in this module: the devices'
 * events are fed to a bridge's {@link DeviceEvents} ({@code OnsBridgeServer.mqttDevices()}) as the gateway
 * would report them, on a second bridge, and the shared bridge must answer the same from the cluster.
 */
@OnsBridgeTest
class MqttActionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static OnsBridgeServer other;

    private final Bridge bridge;
    private final com.aliyun.ons20190214.Client tea;

    MqttActionsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
        this.tea = bridge.tea();
    }

    @BeforeAll
    static void startTheOtherBridge(OnsBridgeEnvironment env) throws Exception {
        other = Bridge.of(env).startServer(Map.of());
    }

    @AfterAll
    static void stopTheOtherBridge() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void groupsAreCreatedListedAndDeletedUnderEitherInstanceId() throws Exception {
        String instance = instanceWithTopic("Devices");
        String mqttId = "mqtt-" + instance;
        assertThat(tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody().getInstanceBaseInfo()
                .getInstanceId()).isEqualTo(instance);
        tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId("GID_sensors").setTopic("Devices"));
        tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(mqttId).setGroupId("GID-meters").setTopic("Devices"));

        List<OnsMqttGroupIdListResponseBodyDataMqttGroupIdDo> listed = tea.onsMqttGroupIdList(new OnsMqttGroupIdListRequest()
                .setInstanceId(mqttId)).getBody().getData().getMqttGroupIdDo();
        assertThat(listed).extracting(OnsMqttGroupIdListResponseBodyDataMqttGroupIdDo::getGroupId).containsExactly("GID-meters", "GID_sensors");
        assertThat(listed).allSatisfy(g -> {
            assertThat(g.getInstanceId()).isEqualTo(instance);
            assertThat(g.getIndependentNaming()).isTrue();
            assertThat(g.getCreateTime()).isPositive().isEqualTo(g.getUpdateTime());
        });
        // the gateway's check, on another bridge
        await().atMost(PATIENCE).until(() -> other.mqttGroups().exists(mqttId, "GID_sensors"));
        assertThat(other.mqttGroups().exists(instance, "GID_unknown")).isFalse();

        assertThat(code(() -> tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance)
                .setGroupId("GID_sensors").setTopic("Devices")))).isEqualTo("BIZ_SUBSCRIPTION_EXISTED");
        assertThat(code(() -> tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance)
                .setGroupId("GID_new").setTopic("Nowhere")))).isEqualTo("BIZ_TOPIC_NOT_FOUND");
        assertThat(code(() -> tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance)
                .setGroupId("GID_ab").setTopic("Devices")))).isEqualTo("BIZ_FIELD_CHECK_INVALID"); // 6 characters: too short
        assertThat(code(() -> tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance)
                .setGroupId("CID_sensors").setTopic("Devices")))).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(code(() -> tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance)
                .setTopic("Devices")))).isEqualTo("MissingParameter");
        assertThat(code(() -> tea.onsMqttGroupIdList(new OnsMqttGroupIdListRequest().setInstanceId("mqtt-MQ_INST_none"))))
                .isEqualTo("INSTANCE_NOT_FOUND");

        tea.onsMqttGroupIdDelete(new OnsMqttGroupIdDeleteRequest().setInstanceId(mqttId).setGroupId("GID_sensors"));
        assertThat(tea.onsMqttGroupIdList(new OnsMqttGroupIdListRequest().setInstanceId(instance)).getBody().getData().getMqttGroupIdDo())
                .extracting(OnsMqttGroupIdListResponseBodyDataMqttGroupIdDo::getGroupId).containsExactly("GID-meters");
        assertThat(code(() -> tea.onsMqttGroupIdDelete(new OnsMqttGroupIdDeleteRequest().setInstanceId(instance).setGroupId("GID_sensors"))))
                .isEqualTo("BIZ_SUBSCRIPTION_NOT_FOUND");
        await().atMost(PATIENCE).until(() -> !other.mqttGroups().exists(instance, "GID_sensors"));
    }

    @Test
    void theTraceOfADevicePagesThroughExactlyItsEventsInBothOrdersOnEveryBridge() throws Exception {
        String instance = instanceWithTopic("Devices");
        String clientId = "GID_trace@@@dev-" + UUID.randomUUID().toString().substring(0, 8);
        DeviceEvents events = other.mqttDevices();
        long begin = System.currentTimeMillis();
        List<String> expected = new ArrayList<>();
        // 147 events: more than the broker's index answers at once (64), so the reading must go on below a full answer
        for (int i = 0; i < 50; i++) {
            Connection connection = new Connection(instance, clientId, String.format("%032x", i), "10.0.0.7:" + (40_000 + i));
            boolean refused = i % 10 == 9;
            events.connected(connection, refused ? ActionInfo.NOT_AUTHORIZED : ActionInfo.ACCEPTED);
            expected.add(connection.channelId() + " connect " + (refused ? ActionInfo.NOT_AUTHORIZED : ActionInfo.ACCEPTED));
            if (!refused) {
                events.disconnected(connection);
                expected.add(connection.channelId() + " disconnect " + ActionInfo.DISCONNECTED_BY_CLIENT);
            }
            events.closed(connection, refused ? ActionInfo.NOT_AUTHORIZED : ActionInfo.CLOSED_BY_CLIENT);
            expected.add(connection.channelId() + " close " + (refused ? ActionInfo.NOT_AUTHORIZED : ActionInfo.CLOSED_BY_CLIENT));
        }
        long middle = later(System.currentTimeMillis());
        Connection late = new Connection(instance, clientId, "f".repeat(32), "10.0.0.8:1");
        events.connected(late, ActionInfo.ACCEPTED);
        events.closed(late, ActionInfo.NO_HEART);
        // neighbours that must not show: the same client id in another instance, another client of the instance
        events.connected(new Connection(instanceWithTopic("Other"), clientId, "e".repeat(32), "10.0.0.9:1"), ActionInfo.ACCEPTED);
        events.connected(new Connection(instance, clientId + "x", "d".repeat(32), "10.0.0.9:2"), ActionInfo.ACCEPTED);
        long end = later(System.currentTimeMillis());
        List<String> all = new ArrayList<>(expected);
        all.add(late.channelId() + " connect accepted");
        all.add(late.channelId() + " close no heart");
        assertThat(expected).hasSize(145);

        await().atMost(PATIENCE).until(() -> trace(bridge.hostPort(), instance, clientId, begin, end, 1, 100, false).path("Total").asLong() == 147);
        assertThat(pages(bridge.hostPort(), instance, clientId, begin, end, false)).containsExactlyElementsOf(all);
        List<String> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        assertThat(pages(bridge.hostPort(), "mqtt-" + instance, clientId, begin, end, true)).containsExactlyElementsOf(reversed);
        assertThat(pages(bridge.hostPort(), instance, clientId, begin, middle, false)).containsExactlyElementsOf(expected);
        assertThat(pages(hostPort(other), instance, clientId, begin, end, true)).containsExactlyElementsOf(reversed);

        // the figure docs/mqtt-api.md's cost section stands on: 147 events, so three index round trips and two one-second reads
        int calls = 20;
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            trace(bridge.hostPort(), instance, clientId, begin, end, 1, 100, false);
        }
        System.out.printf("QueryMqttTraceDevice over 147 events: %.1f ms a call (mean of %d)%n", (System.nanoTime() - started) / 1e6 / calls, calls);

        JsonNode page = trace(bridge.hostPort(), instance, clientId, begin, end, 2, 100, false);
        assertThat(page.path("CurrentPage").asInt()).isEqualTo(2);
        assertThat(page.path("PageSize").asInt()).isEqualTo(100);
        assertThat(page.path("DeviceInfoList").isArray()).isTrue();
        assertThat(page.path("DeviceInfoList")).hasSize(47);
        JsonNode first = page.path("DeviceInfoList").get(0);
        assertThat(first.path("ActionCode").asText()).isEqualTo("mqtt.trace.action." + first.path("Action").asText());
        assertThat(first.path("Time").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
        assertThat(trace(bridge.hostPort(), instance, clientId, begin, end, 3, 100, false).path("DeviceInfoList")).isEmpty();

        // signed V3 as tea-openapi's callApi would (x-acs-version 2020-04-20), parameters in the query
        RawV3Call v3 = new RawV3Call("QueryMqttTraceDevice", bridge.hostPort());
        v3.headers.put("x-acs-version", "2020-04-20");
        v3.query.putAll(Map.of("InstanceId", "mqtt-" + instance, "ClientId", clientId, "BeginTime", Long.toString(begin),
                "EndTime", Long.toString(end), "CurrentPage", "1", "PageSize", "5", "Reverse", "true"));
        HttpResponse<String> v3Answer = v3.sign(bridge.accessKeyId, bridge.accessKeySecret).send();
        assertThat(v3Answer.statusCode()).as(v3Answer.body()).isEqualTo(200);
        JsonNode newest = JSON.readTree(v3Answer.body());
        assertThat(newest.path("Total").asLong()).isEqualTo(147);
        assertThat(newest.path("DeviceInfoList").get(0).path("ChannelId").asText()).isEqualTo(late.channelId());
        assertThat(newest.path("DeviceInfoList").get(0).path("ActionInfo").asText()).isEqualTo(ActionInfo.NO_HEART);
    }

    @Test
    void theTraceActionRefusesBadInputWithTheDocumentedCodes() throws Exception {
        String instance = instanceWithTopic("Devices");
        long now = System.currentTimeMillis();
        assertThat(traceCall(instance, "c", now, now, "1", "101").path("Code").asText()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(traceCall(instance, "c", now, now, "0", "10").path("Code").asText()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(traceCall(instance, "c", now, now - 1, "1", "10").path("Code").asText()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(traceCall(instance, "c", now, now, "x", "10").path("Code").asText()).isEqualTo("InvalidParameter");
        assertThat(traceCall("MQ_INST_none", "c", now, now, "1", "10").path("Code").asText()).isEqualTo("INSTANCE_NOT_FOUND");
        assertThat(new RawOnsCall("QueryMqttTraceDevice", bridge.accessKeyId, bridge.accessKeySecret).with("InstanceId", instance)
                .send(bridge.hostPort()).statusCode()).as("served under OnsMqtt's version only").isEqualTo(404);
    }

    @Test
    void onlineStateAndCountsAreTheSameOnEveryBridge() throws Exception {
        String instance = instanceWithTopic("Devices");
        tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId("GID_online").setTopic("Devices"));
        MqttDevices devices = other.mqttDevices();
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // one of them reported under the username's MQTT-style instance id: kept under the ONS id
            Connection connection = new Connection(i == 1 ? "mqtt-" + instance : instance, "GID_online@@@dev-" + i,
                    UUID.randomUUID().toString().replace("-", ""), "10.1.0." + i + ":5000");
            devices.connected(connection, ActionInfo.ACCEPTED);
            connections.add(connection);
        }
        devices.connected(new Connection(instance, "GID_online@@@refused", "a".repeat(32), "10.1.0.9:1"), ActionInfo.NOT_AUTHORIZED);
        devices.connected(new Connection(null, null, null, "10.1.0.9:2"), ActionInfo.INVALID_PARAM); // a malformed CONNECT: no error
        devices.subscriptionsChanged(connections.get(0), List.of(new DeviceEvents.Subscription("Devices", "/eu/+", 1)));
        long touched = System.currentTimeMillis() + 5;
        devices.touched(connections.get(0), touched);
        for (int i = 0; i < 5; i++) {
            devices.published(instance, "Devices", "/eu/berlin", 1, false);
        }
        devices.delivered(instance, "Devices", "/eu/berlin", 1, false);
        devices.delivered(instance, "Devices", "/p2p/GID_online@@@dev-1", 0, true);
        devices.flush();

        for (String hostPort : List.of(bridge.hostPort(), hostPort(other))) {
            com.aliyun.ons20190214.Client client = Bridge.tea(hostPort, bridge.accessKeyId, bridge.accessKeySecret);
            await().atMost(PATIENCE).until(() -> online(client, "mqtt-" + instance, "GID_online") == 3);
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                online(client, instance, "GID_online");
            }
            System.out.printf("OnsMqttQueryClientByGroupId on %s: %.1f ms a call (mean of 20)%n", hostPort, (System.nanoTime() - started) / 1e6 / 20);
            OnsMqttQueryClientByClientIdResponseBodyMqttClientInfoDo info = client.onsMqttQueryClientByClientId(
                    new OnsMqttQueryClientByClientIdRequest().setInstanceId(instance).setClientId("GID_online@@@dev-0")).getBody().getMqttClientInfoDo();
            assertThat(info.getOnline()).isTrue();
            assertThat(info.getLastTouch()).isEqualTo(touched);
            assertThat(info.getSocketChannel()).isEqualTo("10.1.0.0:5000");
            assertThat(info.getSubScriptonData().getSubscriptionDo()).singleElement().satisfies(s -> {
                assertThat(s.getParentTopic()).isEqualTo("Devices");
                assertThat(s.getSubTopic()).isEqualTo("/eu/+");
                assertThat(s.getQos()).isEqualTo(1);
            });
            assertThat(client.onsMqttQueryClientByClientId(new OnsMqttQueryClientByClientIdRequest().setInstanceId(instance)
                    .setClientId("GID_online@@@refused")).getBody().getMqttClientInfoDo().getOnline()).isFalse();
            assertThat(byTopic(client, instance, "/eu/berlin")).isEqualTo(1);
            assertThat(byTopic(client, instance, "us/x")).isZero();
            assertThat(byTopic(client, instance, null)).isEqualTo(1);
            await().atMost(PATIENCE).until(() -> sum(trend(client, instance, "PUB", null)) == 5);
            assertThat(sum(trend(client, instance, "SUB", null))).isEqualTo(2);
            assertThat(sum(trend(client, instance, "SUB", "p2p"))).isEqualTo(1);
            assertThat(sum(trend(client, instance, "PUB", "p2p"))).isZero();
        }
        assertThat(code(() -> tea.onsMqttQueryMsgTransTrend(new OnsMqttQueryMsgTransTrendRequest().setInstanceId(instance)
                .setParentTopic("Devices").setTpsType("SUMS").setTransType("PUB").setBeginTime(0L).setEndTime(1L)))).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(code(() -> tea.onsMqttQueryClientByGroupId(new OnsMqttQueryClientByGroupIdRequest().setInstanceId(instance)
                .setGroupId("GID_none")))).isEqualTo("BIZ_SUBSCRIPTION_NOT_FOUND");
        assertThat(code(() -> tea.onsMqttQueryClientByTopic(new OnsMqttQueryClientByTopicRequest().setInstanceId(instance)
                .setParentTopic("Nowhere")))).isEqualTo("BIZ_TOPIC_NOT_FOUND");

        devices.closed(connections.get(2), ActionInfo.NO_HEART);
        devices.flush();
        await().atMost(PATIENCE).until(() -> online(tea, instance, "GID_online") == 2);
    }

    @Test
    void aBridgeThatStopsWritingStopsCountingWithinItsSnapshotsValidity() throws Exception {
        String instance = instanceWithTopic("Devices");
        tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId("GID_dying").setTopic("Devices"));
        try (RocketMqCluster cluster = RocketMqCluster.start(bridge.cluster.namesrvAddr(), ClusterCredentials.of(null, null), 5_000)) {
            // snapshots every second, valid three; counts only when flushed
            MqttDevices dying = new MqttDevices(cluster, Clock.systemUTC(), new MqttDevices.Timing(Duration.ofSeconds(1), Duration.ofHours(1), 100))
                    .start();
            long begin = System.currentTimeMillis();
            for (int i = 0; i < 4; i++) {
                dying.connected(new Connection(instance, "GID_dying@@@dev-" + i, UUID.randomUUID().toString().replace("-", ""), "10.2.0.1:1"),
                        ActionInfo.ACCEPTED);
            }
            dying.flush();
            await().atMost(PATIENCE).until(() -> online(tea, instance, "GID_dying") == 4);
            List<OnsMqttQueryHistoryOnlineResponseBodyDataRecordsStatsDataDo> curve = tea.onsMqttQueryHistoryOnline(
                    new OnsMqttQueryHistoryOnlineRequest().setInstanceId(instance).setGroupId("GID_dying")
                            .setBeginTime(begin - 120_000).setEndTime(System.currentTimeMillis() + 60_000))
                    .getBody().getData().getRecords().getStatsDataDo();
            assertThat(curve).extracting(p -> p.getY().intValue()).contains(4).allMatch(y -> y == 0 || y == 4);
            assertThat(curve.get(1).getX() - curve.get(0).getX()).isEqualTo(60_000);

            long halted = System.currentTimeMillis();
            dying.halt();
            await().atMost(PATIENCE).until(() -> online(tea, instance, "GID_dying") == 0);
            assertThat(System.currentTimeMillis() - halted).as("gone within the snapshot's validity and the read cache").isLessThan(10_000);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private String instanceWithTopic(String topic) throws Exception {
        String instance = bridge.newInstance("mqtt");
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        return instance;
    }

    private static String hostPort(OnsBridgeServer server) {
        return "127.0.0.1:" + server.port();
    }

    /** A time after {@code t} on the clock: the events that follow are stamped later. */
    private static long later(long t) {
        await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > t + 1);
        return t + 1;
    }

    private JsonNode trace(String hostPort, String instance, String clientId, long begin, long end, int page, int size, boolean reverse)
            throws Exception {
        HttpResponse<String> response = new RawOnsCall("QueryMqttTraceDevice", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Version", "2020-04-20").with("MqttRegionId", Bridge.REGION).with("InstanceId", instance).with("ClientId", clientId)
                .with("BeginTime", Long.toString(begin)).with("EndTime", Long.toString(end)).with("Reverse", Boolean.toString(reverse))
                .with("CurrentPage", Integer.toString(page)).with("PageSize", Integer.toString(size)).send(hostPort);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode traceCall(String instance, String clientId, long begin, long end, String page, String size) throws Exception {
        HttpResponse<String> response = new RawOnsCall("QueryMqttTraceDevice", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Version", "2020-04-20").with("InstanceId", instance).with("ClientId", clientId)
                .with("BeginTime", Long.toString(begin)).with("EndTime", Long.toString(end))
                .with("CurrentPage", page).with("PageSize", size).send(bridge.hostPort());
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        return JSON.readTree(response.body());
    }

    /** Every page of 30, as "channel action info". */
    private List<String> pages(String hostPort, String instance, String clientId, long begin, long end, boolean reverse) throws Exception {
        List<String> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode answer = trace(hostPort, instance, clientId, begin, end, page, 30, reverse);
            if (answer.path("DeviceInfoList").isEmpty()) {
                return all;
            }
            answer.path("DeviceInfoList").forEach(e -> all.add(e.path("ChannelId").asText() + " " + e.path("Action").asText() + " "
                    + e.path("ActionInfo").asText()));
        }
    }

    private static long online(com.aliyun.ons20190214.Client client, String instance, String group) throws Exception {
        return client.onsMqttQueryClientByGroupId(new OnsMqttQueryClientByGroupIdRequest().setInstanceId(instance).setGroupId(group))
                .getBody().getMqttClientSetDo().getOnlineCount();
    }

    private static long byTopic(com.aliyun.ons20190214.Client client, String instance, String subTopic) throws Exception {
        return client.onsMqttQueryClientByTopic(new OnsMqttQueryClientByTopicRequest().setInstanceId(instance).setParentTopic("Devices")
                .setSubTopic(subTopic)).getBody().getMqttClientSetDo().getOnlineCount();
    }

    private static List<OnsMqttQueryMsgTransTrendResponseBodyDataRecordsStatsDataDo> trend(com.aliyun.ons20190214.Client client,
                                                                                           String instance, String direction, String msgType)
            throws Exception {
        long now = System.currentTimeMillis();
        return client.onsMqttQueryMsgTransTrend(new OnsMqttQueryMsgTransTrendRequest().setInstanceId(instance).setParentTopic("Devices")
                        .setTpsType("SUM").setTransType(direction).setMsgType(msgType).setBeginTime(now - 3_600_000).setEndTime(now + 60_000))
                .getBody().getData().getRecords().getStatsDataDo();
    }

    private static long sum(List<OnsMqttQueryMsgTransTrendResponseBodyDataRecordsStatsDataDo> curve) {
        return curve.stream().mapToLong(p -> p.getY().longValue()).sum();
    }

    private static String code(Callable<?> call) {
        try {
            call.call();
            return "no error";
        } catch (TeaException e) {
            return e.getCode();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
