package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * MQTT devices while one of two masters is down: a cluster of its own in child JVMs, one broker killed (as a crash
 * does) and started again on its store.
 */
class MqttBrokerOutageIT {
    private static final String GROUP = "GID_outage";
    private final String accessKeyId = "LTAIout" + UUID.randomUUID().toString().substring(0, 8);
    private final String secret = UUID.randomUUID().toString();

    /**
     * A persistent session whose backlog lies partly on a broker that is down resumes, gets what the other broker
     * holds, stays connected, and gets the returning broker's messages once it is back (before, it was closed at
     * every resume until the broker returned).
     */
    @Test
    void aPersistentSessionResumesWhileABrokerIsDownAndGetsItsMessagesOnceItReturns() throws Exception {
        Path data = Path.of("target", "it-" + getClass().getSimpleName(), Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        try (ChildJvmCluster cluster = ChildJvmCluster.builder(data).masters(2).start();
             OnsBridgeServer bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret))) {
            Client tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), accessKeyId, secret);
            String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("outage")).getBody().getData().getInstanceId();
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0));
            tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId(GROUP).setTopic("Orders"));
            String uri = "tcp://127.0.0.1:" + bridge.mqttPort();
            String clientId = GROUP + "@@@device-" + UUID.randomUUID().toString().substring(0, 8);
            MqttClient first = Devices.client(uri, clientId, new Devices.Received());
            first.connect(Devices.options(accessKeyId, secret, instance, clientId, false));
            first.subscribe("Orders/#", 1);
            first.disconnect();
            first.close();

            DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr(), instance, "GID_outage_producer");
            try {
                cluster.killBroker(1);
                SendResult whileDown = producer.send(message("while broker-b is down")); // the client moves on to broker-a
                assertThat(whileDown.getMessageQueue().getBrokerName()).isEqualTo("broker-a");

                Devices.Received received = new Devices.Received();
                MqttClient again = Devices.client(uri, clientId, received);
                assertThat(again.connectWithResult(Devices.options(accessKeyId, secret, instance, clientId, false)).getSessionPresent()).isTrue();
                try {
                    awaitUntil(Duration.ofSeconds(30), () -> assertThat(received.payloads("Orders/outage")).containsExactly("while broker-b is down"));

                    cluster.restartBroker(1);
                    awaitUntil(Duration.ofSeconds(60), () -> assertThat(producer.fetchPublishMessageQueues("Orders"))
                            .extracting(MessageQueue::getBrokerName).contains("broker-b"));
                    // A new producer: the first one forgot broker-b's address and looks again only every 30 s.
                    DefaultMQProducer later = Clients.producer(cluster.namesrvAddr(), instance, "GID_outage_producer");
                    try {
                        MessageQueue onB = later.fetchPublishMessageQueues("Orders").stream()
                                .filter(q -> q.getBrokerName().equals("broker-b")).findFirst().orElseThrow();
                        later.send(message("broker-b is back"), onB);
                    } finally {
                        later.shutdown();
                    }
                    awaitUntil(Duration.ofSeconds(60), () -> assertThat(received.payloads("Orders/outage"))
                            .containsExactly("while broker-b is down", "broker-b is back"));
                    assertThat(received.lost).as("the connection was never closed").isNull();
                    assertThat(again.isConnected()).isTrue();
                } finally {
                    if (again.isConnected()) {
                        again.disconnect();
                    }
                }
            } finally {
                producer.shutdown();
            }
        }
    }

    /**
     * One of two masters hangs (SIGSTOP: it keeps its connections and its place at the name server): devices stay
     * connected, their publishes are acknowledged, and what the other master holds reaches them; once it runs again,
     * delivery goes on through both.
     */
    @Test
    void whileAMasterHangsDevicesStayConnectedAndGetWhatTheOtherHolds() throws Exception {
        Path data = Path.of("target", "it-" + getClass().getSimpleName(), "hung-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(data);
        try (ChildJvmCluster cluster = ChildJvmCluster.builder(data).masters(2).start();
             OnsBridgeServer bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret))) {
            Client tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), accessKeyId, secret);
            String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("hung")).getBody().getData().getInstanceId();
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0));
            tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId(GROUP).setTopic("Orders"));
            String uri = "tcp://127.0.0.1:" + bridge.mqttPort();
            String subscriberId = GROUP + "@@@sub-" + UUID.randomUUID().toString().substring(0, 8);
            String publisherId = GROUP + "@@@pub-" + UUID.randomUUID().toString().substring(0, 8);
            Devices.Received received = new Devices.Received();
            MqttClient subscriber = Devices.client(uri, subscriberId, received);
            subscriber.connect(Devices.options(accessKeyId, secret, instance, subscriberId, true));
            subscriber.subscribe("Orders/#", 1);
            MqttClient publisher = Devices.client(uri, publisherId, new Devices.Received());
            publisher.setTimeToWait(30_000);
            publisher.connect(Devices.options(accessKeyId, secret, instance, publisherId, true));
            publisher.publish("Orders/before", "before".getBytes(StandardCharsets.UTF_8), 1, false);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received.payloads("Orders/before")).contains("before"));
            java.util.List<String> published = new java.util.ArrayList<>();
            cluster.freezeBroker(1);
            try {
                for (int i = 0; i < 10; i++) {
                    String payload = "while broker-b hangs " + i;
                    publisher.publish("Orders/hung", payload.getBytes(StandardCharsets.UTF_8), 1, false); // waits for its PUBACK
                    published.add(payload);
                }
                // All of them, some maybe twice: a publish whose first send reached broker-b as it froze is stored there too.
                awaitUntil(Duration.ofSeconds(60), () -> assertThat(received.payloads("Orders/hung")).containsAll(published));
                assertThat(received.lost).as("the subscriber's connection was never closed").isNull();
                assertThat(publisher.isConnected()).isTrue();
            } finally {
                cluster.thawBroker(1);
            }
            publisher.publish("Orders/after", "after".getBytes(StandardCharsets.UTF_8), 1, false);
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(received.payloads("Orders/after")).contains("after"));
            assertThat(received.lost).isNull();
            publisher.disconnect();
            subscriber.disconnect();
        }
    }

    private static Message message(String body) {
        Message message = new Message("Orders", body.getBytes(StandardCharsets.UTF_8));
        message.putUserProperty("mqttSecondTopic", "/outage");
        return message;
    }
}
