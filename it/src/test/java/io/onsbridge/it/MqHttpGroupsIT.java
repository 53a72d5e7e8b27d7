package io.onsbridge.it;

import static io.onsbridge.it.MqHttpSdkIT.code;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateResponseBody.OnsConsumerAccumulateResponseBodyData;
import com.aliyun.ons20190214.models.OnsConsumerStatusRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusResponseBody.OnsConsumerStatusResponseBodyData;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Groups and the MQ HTTP protocol as ONS has them: tcp and http groups are not shared (an HTTP consumer of a tcp
 * group is refused), and the ONS API's consumer actions see HTTP consumers: online while they poll, and the
 * messages they were handed but have not acked still count as backlog (in the backlog metric too), on every bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqHttpGroupsIT {
    private final Bridge bridge;
    private String instance;
    private OnsBridgeServer server;
    private com.aliyun.ons20190214.Client tea;
    private MQClient client;

    MqHttpGroupsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void bridgeSamplingEverySecond() throws Exception {
        // A second bridge, whose sampler feeds the metrics at once; what it counts of its HTTP consumers is shared with the first.
        server = bridge.startServer(Map.of(Setting.SAMPLE_INTERVAL, "1"));
        tea = Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret);
        instance = bridge.newInstance("mqgroups");
        client = new MQClient(server.endpoint(), bridge.accessKeyId, bridge.accessKeySecret);
    }

    @AfterAll
    void close() {
        client.close();
        server.close();
    }

    @Test
    void anHttpConsumerOfATcpGroupIsRefusedAsTheGroupOfAnotherProtocol() throws Exception {
        topic("ForTcp");
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_tcp_only").setGroupType("tcp"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_untyped"));
        MQConsumer tcpGroup = client.getConsumer(instance, "ForTcp", "GID_tcp_only", null);
        assertThat(code(() -> tcpGroup.consumeMessage(1, 0))).isEqualTo("SubscriptionNotExist");
        assertThat(code(() -> tcpGroup.ackMessage(List.of("aGVsbG8")))).isEqualTo("SubscriptionNotExist");
        // OnsGroupCreate's default type is tcp.
        assertThat(code(() -> client.getConsumer(instance, "ForTcp", "GID_untyped", null).consumeMessage(1, 0)))
                .isEqualTo("SubscriptionNotExist");
    }

    @Test
    void consumerActionsSeeHttpConsumersOnlineAndUnackedMessagesAsBacklog() throws Exception {
        topic("Seen");
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_http_seen").setGroupType("http"));
        assertThat(accumulate().getOnline()).isFalse();
        MQConsumer consumer = client.getConsumer(instance, "Seen", "GID_http_seen", null);
        assertThat(consumer.consumeMessage(1, 1)).isNull(); // the group's offsets exist before the messages
        assertThat(accumulate().getOnline()).isTrue();
        assertThat(status().getOnline()).isTrue();
        assertThat(status().getConsumeModel()).isEqualTo("CLUSTERING");

        for (int i = 0; i < 3; i++) {
            client.getProducer(instance, "Seen").publishMessage(new TopicMessage(("seen " + i).getBytes(StandardCharsets.UTF_8)));
        }
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(accumulate().getTotalDiff()).isEqualTo(3L));
        List<Message> received = new ArrayList<>(MqHttpSdkIT.receive(consumer, 3).values());
        // Handed out, not acked: still backlog, as ONS counts it (the broker's offsets moved at the pop).
        assertThat(accumulate().getTotalDiff()).isEqualTo(3L);
        assertThat(status().getTotalDiff()).isEqualTo(3L);
        Map<String, String> series = Map.of("group", instance + "%GID_http_seen", "topic", instance + "%Seen");
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_consumer_backlog_messages", series))
                .contains(3.0));
        consumer.ackMessage(List.of(received.get(0).getReceiptHandle(), received.get(1).getReceiptHandle()));
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(accumulate().getTotalDiff()).isEqualTo(1L));
        consumer.ackMessage(List.of(received.get(2).getReceiptHandle()));
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(status().getTotalDiff()).isZero());
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_consumer_backlog_messages", series))
                .contains(0.0));
    }

    /**
     * Two bridges behind one load balancer: a consumer polls one, is acked through the other; both bridges' consumer
     * actions see it online and count its unacked messages, and the ack taken by the second stops them on both.
     */
    @Test
    void everyBridgeSeesTheHttpConsumersOfTheOthers() throws Exception {
        topic("Shared");
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_http_shared").setGroupType("http"));
        com.aliyun.ons20190214.Client viaFirst = bridge.tea();
        assertThat(accumulate(viaFirst, "GID_http_shared").getOnline()).isFalse();
        MQConsumer onSecond = client.getConsumer(instance, "Shared", "GID_http_shared", null);
        assertThat(onSecond.consumeMessage(1, 1)).isNull(); // the group's offsets exist before the messages
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(accumulate(viaFirst, "GID_http_shared").getOnline()).isTrue());
        assertThat(tea.onsConsumerStatus(new OnsConsumerStatusRequest().setInstanceId(instance).setGroupId("GID_http_shared"))
                .getBody().getData().getOnline()).isTrue();

        for (int i = 0; i < 2; i++) {
            client.getProducer(instance, "Shared").publishMessage(new TopicMessage(("shared " + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<Message> received = new ArrayList<>(MqHttpSdkIT.receive(onSecond, 2).values());
        // Handed out by the second bridge, counted as backlog by the first too.
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(accumulate(viaFirst, "GID_http_shared").getTotalDiff()).isEqualTo(2L));
        assertThat(accumulate(tea, "GID_http_shared").getTotalDiff()).isEqualTo(2L);

        MQClient first = new MQClient("http://" + bridge.hostPort(), bridge.accessKeyId, bridge.accessKeySecret);
        try {
            first.getConsumer(instance, "Shared", "GID_http_shared", null).ackMessage(List.of(received.get(0).getReceiptHandle()));
        } finally {
            first.close();
        }
        // Acked through the first bridge: the second, which handed it out, stops counting it as well.
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(accumulate(tea, "GID_http_shared").getTotalDiff()).isEqualTo(1L));
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(accumulate(viaFirst, "GID_http_shared").getTotalDiff()).isEqualTo(1L));
        onSecond.ackMessage(List.of(received.get(1).getReceiptHandle()));
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(accumulate(viaFirst, "GID_http_shared").getTotalDiff()).isZero());
        assertThat(accumulate(tea, "GID_http_shared").getTotalDiff()).isZero();
    }

    private OnsConsumerAccumulateResponseBodyData accumulate(com.aliyun.ons20190214.Client via, String group) throws Exception {
        return via.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId(group)).getBody().getData();
    }

    private void topic(String name) throws Exception {
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(name).setMessageType(0));
    }

    private OnsConsumerAccumulateResponseBodyData accumulate() throws Exception {
        return tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId("GID_http_seen"))
                .getBody().getData();
    }

    private OnsConsumerStatusResponseBodyData status() throws Exception {
        return tea.onsConsumerStatus(new OnsConsumerStatusRequest().setInstanceId(instance).setGroupId("GID_http_seen"))
                .getBody().getData();
    }
}
