package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTraceGetResultRequest;
import com.aliyun.ons20190214.models.OnsTraceQueryByMsgIdRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Eclipse Paho devices (MQTT 3.1.1, Signature mode) against the bridge's MQTT gateway and the embedded
 * cluster, next to RocketMQ clients of the same instance (namespace = instance id) and the ONS API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqttGatewayIT {
    private static final String GROUP = "GID_devices";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long started = System.currentTimeMillis();
    private final OnsBridgeEnvironment env;
    private final Bridge bridge;
    private String instance;
    private DefaultMQProducer producer;

    MqttGatewayIT(OnsBridgeEnvironment env) {
        this.env = env;
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void instanceWithTopicAndGroup() throws Exception {
        instance = bridge.newInstance("mqtt");
        for (String topic : List.of("Orders", "Alerts")) {
            bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        }
        bridge.tea().onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId(GROUP).setTopic("Orders"));
        for (String group : List.of("GID_app", "GID_app_producer", "GID_burst")) {
            bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("tcp"));
        }
        producer = Clients.producer(bridge, instance, "GID_app_producer");
    }

    @AfterAll
    void close() {
        producer.shutdown();
    }

    // --- identity -----------------------------------------------------------------------------

    @Test
    void aDeviceWithTheRightSignatureConnectsAndEveryOtherIdentityIsRefusedWithItsCode() throws Exception {
        String clientId = clientId("sig");
        MqttClient device = Devices.client(env.mqttUri(), clientId, new Devices.Received());
        device.connect(options(clientId, true));
        assertThat(device.isConnected()).isTrue();
        device.disconnect();
        // The MQTT form of the instance id (mqtt-<ONS id>, docs/mqtt-api.md) names the same instance.
        String mqttStyle = clientId("mqttid");
        MqttClient named = Devices.client(env.mqttUri(), mqttStyle, new Devices.Received());
        named.connect(Devices.options(env.accessKeyId(), env.accessKeySecret(), "mqtt-" + instance, mqttStyle, true));
        assertThat(named.isConnected()).isTrue();
        named.disconnect();
        named.close();

        assertRefused(clientId, Devices.options(env.accessKeyId(), "wrong-secret", instance, clientId, true),
                MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertRefused(clientId, Devices.options("LTAIunknown", env.accessKeySecret(), instance, clientId, true),
                MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertRefused(clientId, Devices.options(env.accessKeyId(), env.accessKeySecret(), "MQ_INST_nope_" + suffix(), clientId, true),
                MqttException.REASON_CODE_NOT_AUTHORIZED);
        String unknownGroup = "GID_nope@@@" + suffix();
        assertRefused(unknownGroup, options(unknownGroup, true), MqttException.REASON_CODE_NOT_AUTHORIZED);
        String malformed = "device-" + suffix();
        assertRefused(malformed, options(malformed, true), MqttException.REASON_CODE_INVALID_CLIENT_ID);

        awaitUntil(Duration.ofSeconds(10), () -> {
            // In time order; a DISCONNECT and the close it causes may share a millisecond, so those two in either order.
            List<Event> history = history(clientId);
            assertThat(history).extracting(Event::action, Event::actionInfo).hasSizeGreaterThan(3).startsWith(tuple("connect", "accepted"));
            assertThat(history.subList(1, 3)).extracting(Event::action, Event::actionInfo)
                    .containsExactlyInAnyOrder(tuple("disconnect", "disconnected by client"), tuple("close", "disconnected by client"));
            // Then the refusals under this instance (the one naming an unknown instance is that instance's history).
            assertThat(history.subList(3, history.size())).extracting(Event::action, Event::actionInfo)
                    .containsOnly(tuple("connect", "not authorized"));
            assertThat(history(malformed)).extracting(Event::actionInfo).containsExactly("invalid param");
        });
        assertThat(history(clientId).get(0).channelId()).matches("[0-9a-f]{32}");
    }

    // --- device to RocketMQ -------------------------------------------------------------------

    @Test
    void whatADevicePublishesReachesARocketMqConsumerOfTheInstanceWithItsSecondTopic() throws Exception {
        Map<String, MessageExt> consumed = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_app");
        consumer.subscribe("Alerts", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            messages.forEach(m -> consumed.put(new String(m.getBody(), StandardCharsets.UTF_8), m));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        String clientId = clientId("pub");
        MqttClient device = Devices.client(env.mqttUri(), clientId, new Devices.Received());
        try {
            device.connect(options(clientId, true));
            device.publish("Alerts/eu/berlin", "hot at qos 1".getBytes(StandardCharsets.UTF_8), 1, false); // returns on PUBACK
            device.publish("Alerts", "plain at qos 0".getBytes(StandardCharsets.UTF_8), 0, false);
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(consumed).containsKeys("hot at qos 1", "plain at qos 0"));
            MessageExt hot = consumed.get("hot at qos 1");
            assertThat(hot.getTopic()).isEqualTo("Alerts"); // the namespace stays the client's business
            assertThat(hot.getUserProperty("mqttSecondTopic")).isEqualTo("/eu/berlin");
            assertThat(hot.getUserProperty("qoslevel")).isEqualTo("1");
            assertThat(hot.getUserProperty("clientId")).isEqualTo(clientId);
            assertThat(hot.getUserProperty("cleansessionflag")).isEqualTo("true");
            assertThat(hot.getUserProperty("mqttRealTopic")).isEqualTo("Alerts/eu/berlin");
            MessageExt plain = consumed.get("plain at qos 0");
            assertThat(plain.getUserProperty("mqttSecondTopic")).isNull();
            assertThat(plain.getUserProperty("qoslevel")).isEqualTo("0");
        } finally {
            device.disconnect();
            consumer.shutdown();
        }
    }

    /**
     * Two hundred QoS 1 publishes at once from one device: those that arrive while earlier sends of the topic are in
     * flight go to the broker together (one request), yet each is stored on its own, with its own id and properties,
     * reaches the consumer once and is traced as if sent alone.
     */
    @Test
    void aBurstOfPublishesIsStoredAndTracedMessageByMessageThoughSentInBatches() throws Exception {
        int burst = 200;
        long begin = System.currentTimeMillis() - 1_000;
        double batchedBefore = Scrape.of(env.endpoint()).counter("ons_bridge_messages_sent_in_batches_total", Map.of());
        Map<String, MessageExt> consumed = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_burst");
        consumer.subscribe("Orders", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            messages.stream().filter(m -> new String(m.getBody(), StandardCharsets.UTF_8).startsWith("burst-"))
                    .forEach(m -> consumed.put(new String(m.getBody(), StandardCharsets.UTF_8), m));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        String clientId = clientId("burst");
        MqttAsyncClient device = new MqttAsyncClient(env.mqttUri(), clientId, new MemoryPersistence());
        try {
            MqttConnectOptions options = options(clientId, true);
            options.setMaxInflight(burst);
            device.connect(options).waitForCompletion(10_000);
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                tokens.add(device.publish("Orders/burst/" + i, ("burst-" + i).getBytes(StandardCharsets.UTF_8), 1, false));
            }
            for (IMqttDeliveryToken token : tokens) {
                token.waitForCompletion(30_000); // its PUBACK: the broker stored it
            }
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(consumed).hasSize(burst));
            for (int i = 0; i < burst; i++) {
                assertThat(consumed.get("burst-" + i).getUserProperty("mqttSecondTopic")).isEqualTo("/burst/" + i);
            }
            assertThat(consumed.values().stream().map(MessageExt::getMsgId).distinct()).hasSize(burst);
            assertThat(Scrape.of(env.endpoint()).counter("ons_bridge_messages_sent_in_batches_total", Map.of())).isGreaterThan(batchedBefore);
            // Every message's trace, asked until each answers at once (one wait for all, not one per message)
            Set<String> traced = ConcurrentHashMap.newKeySet();
            awaitUntil(Duration.ofSeconds(60), () -> {
                for (MessageExt message : consumed.values()) {
                    if (!traced.contains(message.getMsgId()) && sentAndConsumed(message.getMsgId(), begin, "GID_burst")) {
                        traced.add(message.getMsgId());
                    }
                }
                assertThat(traced).hasSize(burst);
            });
        } finally {
            device.disconnect().waitForCompletion(10_000);
            device.close();
            consumer.shutdown();
        }
    }

    /** Whether the trace of message {@code id} is finished at the first result and shows it sent and consumed by {@code group}. */
    private boolean sentAndConsumed(String id, long begin, String group) throws Exception {
        String queryId = bridge.tea().onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic("Orders")
                .setMsgId(id).setBeginTime(begin).setEndTime(System.currentTimeMillis() + 1_000)).getBody().getQueryId();
        var data = bridge.tea().onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(queryId)).getBody().getTraceData();
        if (!"finish".equals(data.getStatus()) || data.getTraceList().getTraceMapDo().size() != 1) {
            return false;
        }
        var trace = data.getTraceList().getTraceMapDo().get(0);
        assertThat(trace.getMsgId()).isEqualTo(id);
        assertThat(trace.getPubTime()).isBetween(begin, System.currentTimeMillis());
        return "SEND_SUCCESS".equals(trace.getStatus())
                && trace.getSubList().getSubMapDo().stream().anyMatch(g -> g.getSubGroupName().equals(group));
    }

    @Test
    void aPublishToAParentTopicThatDoesNotExistClosesTheConnection() throws Exception {
        String clientId = clientId("nowhere");
        Devices.Received received = new Devices.Received();
        MqttClient device = Devices.client(env.mqttUri(), clientId, received);
        device.connect(options(clientId, true));
        assertThatThrownBy(() -> device.publish("Missing/x", "lost".getBytes(StandardCharsets.UTF_8), 1, false))
                .isInstanceOf(MqttException.class);
        awaitUntil(Duration.ofSeconds(10), () -> {
            assertThat(device.isConnected()).isFalse();
            assertThat(history(clientId)).extracting(Event::actionInfo).contains("resource auth failed");
        });
        device.close();
    }

    // --- RocketMQ to devices ------------------------------------------------------------------

    @Test
    void rocketMqAndOnsApiMessagesReachEveryDeviceWhoseSubscriptionMatches() throws Exception {
        Devices.Received berlin = new Devices.Received();
        Devices.Received everything = new Devices.Received();
        MqttClient one = connected(clientId("plus"), berlin);
        MqttClient two = connected(clientId("hash"), everything);
        try {
            assertThat(one.subscribeWithResponse("Orders/+/berlin", 1).getGrantedQos()).containsExactly(1);
            assertThat(two.subscribeWithResponse("Orders/#", 1).getGrantedQos()).containsExactly(1);
            assertThat(two.subscribeWithResponse("Nothing/#", 1).getGrantedQos()).as("no such parent topic").containsExactly(0x80);

            producer.send(mqttMessage("Orders", "/eu/berlin", "to berlin"));
            producer.send(mqttMessage("Orders", "/eu/paris", "to paris"));
            String id = bridge.tea().onsMessageSend(new OnsMessageSendRequest().setInstanceId(instance).setTopic("Orders")
                    .setMessage("from the ONS API")).getBody().getData();
            assertThat(id).isNotBlank();

            awaitUntil(Duration.ofSeconds(30), () -> {
                assertThat(everything.payloads("Orders/eu/berlin")).containsExactly("to berlin");
                assertThat(everything.payloads("Orders/eu/paris")).containsExactly("to paris");
                assertThat(everything.payloads("Orders")).containsExactly("from the ONS API");
                assertThat(berlin.payloads("Orders/eu/berlin")).containsExactly("to berlin");
            });
            assertThat(berlin.topics).as("only what matches Orders/+/berlin").containsExactly("Orders/eu/berlin");
        } finally {
            one.disconnect();
            two.disconnect();
        }
    }

    /**
     * A topic deleted under a connected device stops being followed; created again, its queues start at offset 0
     * and the device gets its messages from the first, not only once the queues pass where the old topic's ended.
     * (ONS discourages creating a topic right after deleting it; here it is created once the bridge saw it gone.)
     */
    @Test
    void aTopicDeletedAndCreatedAgainReachesItsDevicesFromItsFirstMessage() throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Reborn").setMessageType(0));
        Devices.Received received = new Devices.Received();
        MqttClient device = connected(clientId("reborn"), received);
        // A persistent session that resumes past the old topic's messages (it reads them itself): it stands past them.
        String keptId = clientId("reborn-kept");
        MqttClient keptFirst = connected(keptId, new Devices.Received(), false);
        keptFirst.subscribe("Reborn/#", 1);
        keptFirst.disconnect();
        keptFirst.close();
        Devices.Received kept = new Devices.Received();
        MqttClient keptDevice = Devices.client(env.mqttUri(), keptId, kept);
        try {
            assertThat(device.subscribeWithResponse("Reborn/#", 1).getGrantedQos()).containsExactly(1);
            int queues = producer.fetchPublishMessageQueues("Reborn").size();
            List<String> before = sendToEachQueue("Reborn", queues, "before");
            assertThat(keptDevice.connectWithResult(options(keptId, false)).getSessionPresent()).isTrue();
            awaitUntil(Duration.ofSeconds(30), () -> {
                assertThat(received.payloads("Reborn/each")).containsExactlyInAnyOrderElementsOf(before);
                assertThat(kept.payloads("Reborn/each")).containsExactlyInAnyOrderElementsOf(before);
            });

            bridge.tea().onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Reborn"));
            String brokerTopic = NamespaceUtil.wrapNamespace(instance, "Reborn");
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(env.server().mqttSessions().followsTopic(brokerTopic)).isFalse());
            bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Reborn").setMessageType(0));
            List<String> after = sendToEachQueue("Reborn", queues, "after");
            List<String> all = new ArrayList<>(before);
            all.addAll(after);
            awaitUntil(Duration.ofSeconds(60), () -> {
                assertThat(received.payloads("Reborn/each")).containsExactlyInAnyOrderElementsOf(all);
                assertThat(kept.payloads("Reborn/each")).containsExactlyInAnyOrderElementsOf(all);
            });
        } finally {
            device.disconnect();
            if (keptDevice.isConnected()) {
                keptDevice.disconnect();
            }
        }
    }

    /**
     * A topic deleted and created again at once, before the bridge looks: its queues end below where the bridge read
     * them, and the bridge reads on from the first message stored since the last one it handed over; a persistent
     * session offline meanwhile reads from what was stored since it was saved; one online, which resumed past the old
     * topic's messages, gets the new ones too.
     */
    @Test
    void aTopicCreatedAgainAtOnceReachesOnlineAndOfflineDevicesFromItsFirstMessage() throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Again").setMessageType(0));
        Devices.Received online = new Devices.Received();
        Devices.Received offline = new Devices.Received();
        String offlineId = clientId("again-offline");
        MqttClient onlineDevice = connected(clientId("again-online"), online);
        MqttClient offlineDevice = connected(offlineId, offline, false);
        MqttClient keptDevice = null;
        try {
            assertThat(onlineDevice.subscribeWithResponse("Again/#", 1).getGrantedQos()).containsExactly(1);
            assertThat(offlineDevice.subscribeWithResponse("Again/#", 1).getGrantedQos()).containsExactly(1);
            String keptId = clientId("again-kept");
            MqttClient keptFirst = connected(keptId, new Devices.Received(), false);
            keptFirst.subscribe("Again/#", 1);
            keptFirst.disconnect();
            keptFirst.close();
            int queues = producer.fetchPublishMessageQueues("Again").size();
            List<String> before = sendToEachQueue("Again", queues, "first");
            before.addAll(sendToEachQueue("Again", queues, "second"));
            // This one resumes after them: it reads them itself, then the tail hands it what comes from there on.
            Devices.Received kept = new Devices.Received();
            keptDevice = Devices.client(env.mqttUri(), keptId, kept);
            assertThat(keptDevice.connectWithResult(options(keptId, false)).getSessionPresent()).isTrue();
            awaitUntil(Duration.ofSeconds(30), () -> {
                assertThat(online.payloads("Again/each")).containsExactlyInAnyOrderElementsOf(before);
                assertThat(offline.payloads("Again/each")).containsExactlyInAnyOrderElementsOf(before);
                assertThat(kept.payloads("Again/each")).containsExactlyInAnyOrderElementsOf(before);
            });
            offlineDevice.disconnect();

            bridge.tea().onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Again"));
            bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Again").setMessageType(0));
            List<String> after = sendToEachQueue("Again", queues, "after"); // fewer than the old topic's queues held
            awaitUntil(Duration.ofSeconds(60), () -> {
                assertThat(online.payloads("Again/each")).containsAll(after);
                assertThat(kept.payloads("Again/each")).containsAll(after);
            });

            Devices.Received resumed = new Devices.Received();
            MqttClient again = Devices.client(env.mqttUri(), offlineId, resumed);
            assertThat(again.connectWithResult(options(offlineId, false)).getSessionPresent()).isTrue();
            try {
                awaitUntil(Duration.ofSeconds(30), () -> assertThat(resumed.payloads("Again/each")).containsExactlyInAnyOrderElementsOf(after));
            } finally {
                again.disconnect();
            }
        } finally {
            onlineDevice.disconnect();
            if (keptDevice != null) {
                keptDevice.disconnect();
            }
        }
    }

    /** A persistent session that stood in a topic deleted while it was offline resumes, and gets what its other topics got. */
    @Test
    void aPersistentSessionResumesAfterATopicItReadWasDeleted() throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Doomed").setMessageType(0));
        String clientId = clientId("doomed");
        MqttClient first = connected(clientId, new Devices.Received(), false);
        first.subscribe("Doomed/#", 1);
        first.subscribe("Orders/doomed/#", 1);
        first.disconnect();
        first.close();

        bridge.tea().onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Doomed"));
        producer.send(mqttMessage("Orders", "/doomed/" + clientId, "while offline"));
        Devices.Received received = new Devices.Received();
        MqttClient again = Devices.client(env.mqttUri(), clientId, received);
        assertThat(again.connectWithResult(options(clientId, false)).getSessionPresent()).isTrue();
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received.payloads("Orders/doomed/" + clientId)).containsExactly("while offline"));
            producer.send(mqttMessage("Orders", "/doomed/" + clientId, "online"));
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received.payloads("Orders/doomed/" + clientId))
                    .containsExactly("while offline", "online"));
            assertThat(received.lost).as("the connection was not closed").isNull();
            assertThat(again.isConnected()).isTrue();
        } finally {
            if (again.isConnected()) {
                again.disconnect();
            }
        }
    }

    /** A topic created after the instance's devices connected is read from its first message, P2P messages included. */
    @Test
    void aP2pMessageOnATopicCreatedAfterTheDeviceConnectedReachesIt() throws Exception {
        String clientId = clientId("newtopic");
        Devices.Received received = new Devices.Received();
        MqttClient device = connected(clientId, received);
        try {
            String topic = "Fresh" + suffix();
            bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
            // Sent at once: before the bridge's next look at the instance's topics (every 10 s) finds the topic.
            producer.send(mqttMessage(topic, "/p2p/" + clientId, "first"));
            awaitUntil(Duration.ofSeconds(40), () -> assertThat(received.payloads(topic + "/p2p/" + clientId)).containsExactly("first"));
        } finally {
            device.disconnect();
        }
    }

    /** One message to each of the topic's queues (its first to each queue, on a new topic). */
    private List<String> sendToEachQueue(String topic, int queues, String prefix) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            String body = prefix + " " + i;
            producer.send(mqttMessage(topic, "/each", body), (all, message, arg) -> all.get((Integer) arg), i);
            bodies.add(body);
        }
        return bodies;
    }

    @Test
    void aP2pMessageReachesOnlyTheClientItNames() throws Exception {
        String targetId = clientId("p2p-target");
        Devices.Received target = new Devices.Received();
        Devices.Received bystander = new Devices.Received();
        MqttClient to = connected(targetId, target);
        MqttClient other = connected(clientId("p2p-other"), bystander);
        MqttClient from = connected(clientId("p2p-sender"), new Devices.Received());
        try {
            other.subscribe("Orders/#", 1);
            from.publish("Orders/p2p/" + targetId, "for you only".getBytes(StandardCharsets.UTF_8), 1, false);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(target.payloads("Orders/p2p/" + targetId)).containsExactly("for you only"));
            from.publish("Orders/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(bystander.payloads("Orders/marker")).containsExactly("marker"));
            assertThat(bystander.topics).as("the P2P message was handed out before the marker, to its client only")
                    .containsExactly("Orders/marker");
        } finally {
            to.disconnect();
            other.disconnect();
            from.disconnect();
        }
    }

    // --- sessions -----------------------------------------------------------------------------

    @Test
    void aPersistentSessionGetsWhatArrivedWhileItWasOfflineWhenItReconnects() throws Exception {
        String clientId = clientId("persist");
        MqttClient first = connected(clientId, new Devices.Received(), false);
        first.subscribe("Orders/persist/#", 1);
        first.disconnect();
        first.close();

        for (int i = 0; i < 3; i++) {
            producer.send(mqttMessage("Orders", "/persist/" + clientId, "offline " + i));
        }
        Devices.Received received = new Devices.Received();
        MqttClient again = Devices.client(env.mqttUri(), clientId, received);
        IMqttToken connected = again.connectWithResult(options(clientId, false));
        try {
            assertThat(connected.getSessionPresent()).isTrue();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received.payloads("Orders/persist/" + clientId))
                    .containsExactlyInAnyOrder("offline 0", "offline 1", "offline 2"));
            producer.send(mqttMessage("Orders", "/persist/" + clientId, "online"));
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received.payloads("Orders/persist/" + clientId)).contains("online"));
        } finally {
            again.disconnect();
        }
        // A clean start discards the session: nothing is resumed.
        MqttClient clean = Devices.client(env.mqttUri(), clientId, new Devices.Received());
        assertThat(clean.connectWithResult(options(clientId, true)).getSessionPresent()).isFalse();
        clean.disconnect();
    }

    @Test
    void theWillOfADeviceWhoseSocketClosesIsPublishedAndItsCloseRecorded() throws Exception {
        dropWithoutDisconnect(false, "closed by client");
    }

    @Test
    void theWillOfADeviceWhoseConnectionIsResetIsPublishedAndRecordedAsASocketError() throws Exception {
        dropWithoutDisconnect(true, "Socket IOException");
    }

    private void dropWithoutDisconnect(boolean reset, String actionInfo) throws Exception {
        Devices.Received watcher = new Devices.Received();
        MqttClient watching = connected(clientId("will-watch"), watcher);
        watching.subscribe("Alerts/will/#", 1);
        String clientId = clientId("will");
        Devices.KeptSockets sockets = new Devices.KeptSockets();
        MqttConnectOptions options = options(clientId, true);
        options.setWill("Alerts/will/" + clientId, "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        options.setSocketFactory(sockets);
        MqttClient dying = Devices.client(env.mqttUri(), clientId, new Devices.Received());
        dying.connect(options);
        sockets.dropAll(reset);
        try {
            awaitUntil(Duration.ofSeconds(30), () -> {
                assertThat(watcher.payloads("Alerts/will/" + clientId)).containsExactly("gone");
                assertThat(history(clientId)).extracting(Event::action, Event::actionInfo)
                        .containsExactly(tuple("connect", "accepted"), tuple("close", actionInfo));
            });
        } finally {
            watching.disconnect();
            dying.close(true);
        }
    }

    @Test
    void aDeviceThatFallsSilentIsClosedAfterOneAndAHalfKeepAlivePeriods() throws Exception {
        String clientId = clientId("silent");
        try (RawMqtt device = new RawMqtt(env.server().mqttPort())) {
            device.send(connect(clientId, MqttVersion.MQTT_3_1_1, Devices.password(env.accessKeySecret(), clientId), 1));
            MqttConnAckMessage ack = (MqttConnAckMessage) device.receive();
            assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            long silentSince = System.nanoTime(); // a device whose network went quiet: no PINGREQ, no FIN
            assertThat(device.receive()).as("the server closes the connection").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isBetween(Duration.ofMillis(1_000), Duration.ofMillis(5_000));
        }
        awaitUntil(Duration.ofSeconds(10), () -> assertThat(history(clientId)).extracting(Event::actionInfo)
                .containsExactly("accepted", "no heart"));
    }

    @Test
    void mqtt5DevicesGetMqtt5sReasonCodes() throws Exception {
        String clientId = clientId("v5");
        try (RawMqtt device = new RawMqtt(env.server().mqttPort())) {
            device.send(connect(clientId, MqttVersion.MQTT_5, "wrong", 60));
            assertThat(((MqttConnAckMessage) device.receive()).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5); // 0x87
        }
        try (RawMqtt device = new RawMqtt(env.server().mqttPort())) {
            device.send(connect("not-a-client-id", MqttVersion.MQTT_5, "x", 60));
            assertThat(((MqttConnAckMessage) device.receive()).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID); // 0x85
        }
        try (RawMqtt device = new RawMqtt(env.server().mqttPort())) {
            device.send(connect(clientId, MqttVersion.MQTT_5, Devices.password(env.accessKeySecret(), clientId), 60));
            assertThat(((MqttConnAckMessage) device.receive()).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            device.send(MqttMessageBuilders.publish().topicName("Missing/x").qos(MqttQoS.AT_LEAST_ONCE).messageId(7)
                    .payload(Unpooled.wrappedBuffer("lost".getBytes(StandardCharsets.UTF_8))).build());
            MqttMessage refused = device.receive();
            assertThat(refused.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
            assertThat(((MqttPubReplyMessageVariableHeader) refused.variableHeader()).reasonCode()).as("not authorized")
                    .isEqualTo((byte) 0x87);
            device.send(MqttMessageBuilders.publish().topicName("Alerts/v5").qos(MqttQoS.AT_LEAST_ONCE).messageId(8)
                    .payload(Unpooled.wrappedBuffer("kept".getBytes(StandardCharsets.UTF_8))).build());
            MqttMessage stored = device.receive();
            assertThat(((MqttPubReplyMessageVariableHeader) stored.variableHeader()).messageId()).isEqualTo(8);
            assertThat(((MqttPubReplyMessageVariableHeader) stored.variableHeader()).reasonCode()).isZero();
        }
    }

    private MqttMessage connect(String clientId, MqttVersion version, String password, int keepAlive) {
        return MqttMessageBuilders.connect().clientId(clientId).protocolVersion(version).cleanSession(true).keepAlive(keepAlive)
                .username("Signature|" + env.accessKeyId() + "|" + instance).password(password.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void theSameClientIdOnASecondBridgeClosesTheFirstConnectionAndMessagesFollowTheDevice() throws Exception {
        try (OnsBridgeServer second = bridge.startServer(Map.of())) {
            String clientId = clientId("moving");
            Devices.Received onFirst = new Devices.Received();
            MqttClient first = connected(clientId, onFirst);
            Devices.Received onSecond = new Devices.Received();
            MqttClient moved = Devices.client("tcp://127.0.0.1:" + second.mqttPort(), clientId, onSecond);
            moved.connect(options(clientId, true));
            try {
                awaitUntil(Duration.ofSeconds(30), () -> {
                    assertThat(onFirst.lost).as("the first connection was closed").isNotNull();
                    // The history is the cluster's: both bridges' connects, and the first one's close.
                    assertThat(history(clientId)).extracting(Event::action, Event::actionInfo).containsExactlyInAnyOrder(
                            tuple("connect", "accepted"), tuple("connect", "accepted"), tuple("close", "clientId conflict"));
                });
                assertThat(moved.isConnected()).isTrue();
                moved.subscribe("Orders/moved/#", 1);
                MqttClient sender = connected(clientId("sender"), new Devices.Received());
                sender.publish("Orders/moved/" + clientId, "found you".getBytes(StandardCharsets.UTF_8), 1, false);
                sender.disconnect();
                awaitUntil(Duration.ofSeconds(30), () -> assertThat(onSecond.payloads("Orders/moved/" + clientId)).containsExactly("found you"));
            } finally {
                moved.disconnect();
                first.close(true);
            }
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private MqttClient connected(String clientId, Devices.Received received) throws MqttException {
        return connected(clientId, received, true);
    }

    private MqttClient connected(String clientId, Devices.Received received, boolean cleanSession) throws MqttException {
        MqttClient client = Devices.client(env.mqttUri(), clientId, received);
        client.connect(options(clientId, cleanSession));
        return client;
    }

    private MqttConnectOptions options(String clientId, boolean cleanSession) {
        return Devices.options(env.accessKeyId(), env.accessKeySecret(), instance, clientId, cleanSession);
    }

    private void assertRefused(String clientId, MqttConnectOptions options, int reasonCode) throws MqttException {
        MqttClient client = Devices.client(env.mqttUri(), clientId, new Devices.Received());
        assertThatThrownBy(() -> client.connect(options)).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(reasonCode));
        client.close(true);
    }

    private static Message mqttMessage(String topic, String secondTopic, String body) {
        Message message = new Message(topic, body.getBytes(StandardCharsets.UTF_8));
        message.putUserProperty("mqttSecondTopic", secondTopic);
        return message;
    }

    /** One event of a device's connection history, as {@code QueryMqttTraceDevice} answers it. */
    private record Event(String action, String actionInfo, String channelId) {
    }

    /** The device's connection history, oldest first, from the cluster (every bridge answers the same). */
    private List<Event> history(String clientId) throws Exception {
        HttpResponse<String> response = new RawOnsCall("QueryMqttTraceDevice", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Version", "2020-04-20").with("InstanceId", instance).with("ClientId", clientId)
                .with("BeginTime", Long.toString(started - 60_000)).with("EndTime", Long.toString(System.currentTimeMillis() + 60_000))
                .with("Reverse", "false").with("CurrentPage", "1").with("PageSize", "100").send(bridge.hostPort());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        for (JsonNode e : JSON.readTree(response.body()).path("DeviceInfoList")) {
            events.add(new Event(e.path("Action").asText(), e.path("ActionInfo").asText(), e.path("ChannelId").asText()));
        }
        return events;
    }

    // --- MQTT 5 -------------------------------------------------------------------------------

    @Test
    void aPahoMqtt5DeviceConnectsWithSignatureSubscribesWithAWildcardAndReceivesWhatItPublishedAtQos1() throws Exception {
        String clientId = clientId("v5");
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.eclipse.paho.mqttv5.client.MqttClient device = new org.eclipse.paho.mqttv5.client.MqttClient(env.mqttUri(), clientId,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        device.setCallback(new Mqtt5Received(received));
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        options.setUserName("Signature|" + env.accessKeyId() + "|" + instance);
        options.setPassword(Devices.password(env.accessKeySecret(), clientId).getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        device.setTimeToWait(10_000);
        device.connect(options);
        try {
            assertThat(device.subscribe("Orders/v5/+", 1).getReasonCodes()).containsExactly(1);
            org.eclipse.paho.mqttv5.common.MqttMessage message = new org.eclipse.paho.mqttv5.common.MqttMessage("hello from 5".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            device.publish("Orders/v5/berlin", message); // returns on the PUBACK: the broker stored it
            awaitUntil(Duration.ofSeconds(10), () -> assertThat(received).containsExactly("Orders/v5/berlin hello from 5"));
        } finally {
            device.disconnect();
            device.close();
        }
    }

    /** What a Paho MQTT 5 device received: {@code topic payload} in order. */
    private record Mqtt5Received(List<String> received) implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            received.add("disconnected " + response.getReturnCode()); // fails the test's exact expectation
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException error) {
            received.add("error " + error.getReasonCode());
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            // the publish above waits for its own PUBACK
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // connect() returns on the CONNACK
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            received.add("auth " + reasonCode);
        }
    }

    private static String clientId(String device) {
        return GROUP + "@@@" + device + "-" + suffix();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
