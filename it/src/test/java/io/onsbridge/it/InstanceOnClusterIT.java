package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.InstanceIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceDeleteRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListResponseBody.OnsInstanceInServiceListResponseBodyDataInstanceVO;
import com.aliyun.ons20190214.models.OnsInstanceUpdateRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.junit.jupiter.api.Test;

/** Instances as RocketMQ sees them: namespaces on the real broker, metadata in the cluster, not in a bridge. */
@OnsBridgeTest
class InstanceOnClusterIT {
    private final Bridge bridge;

    InstanceOnClusterIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aProducerWithTheInstanceIdAsNamespaceSendsThroughTheReturnedEndpoint() throws Exception {
        var tea = bridge.tea();
        String id = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(uniqueName("producer")))
                .getBody().getData().getInstanceId();
        String endpoint = tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(id))
                .getBody().getInstanceBaseInfo().getEndpoints().getTcpEndpoint();
        // Topic actions arrive with their own issue; until then the test creates the namespaced topic itself.
        String brokerTopic = id + "%Orders";
        bridge.admin().createAndUpdateTopicConfig(bridge.cluster.brokerAddr(),
                new TopicConfig(brokerTopic, 2, 2, PermName.PERM_READ | PermName.PERM_WRITE));

        DefaultMQProducer producer = new DefaultMQProducer(id, "GID_orders_producer", null, true, null);
        // Apache's client 5 tries one name server per call: it takes the endpoint's plain part (docs/tcp-clients.md)
        producer.setNamesrvAddr(endpoint.substring(endpoint.indexOf(';') + 1));
        producer.setInstanceName("it-" + id);
        producer.start();
        try {
            SendResult result = producer.send(new Message("Orders", "TagA", "KEY-1", "hello".getBytes(StandardCharsets.UTF_8)));
            assertThat(result.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        } finally {
            producer.shutdown();
        }
        TopicStatsTable stats = bridge.admin().examineTopicStats(brokerTopic);
        long stored = stats.getOffsetTable().values().stream().mapToLong(o -> o.getMaxOffset() - o.getMinOffset()).sum();
        assertThat(stored).isEqualTo(1);

        // An instance with resources is not deleted; once they are gone, it is.
        assertTeaError(() -> tea.onsInstanceDelete(new OnsInstanceDeleteRequest().setInstanceId(id)),
                "BIZ_INSTANCE_NOT_EMPTY", 400, id);
        bridge.admin().deleteTopic(brokerTopic, "DefaultCluster");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bridge.admin().fetchAllTopicList().getTopicList()).doesNotContain(brokerTopic));
        tea.onsInstanceDelete(new OnsInstanceDeleteRequest().setInstanceId(id));
        assertThat(listIds(bridge.tea())).doesNotContain(id);
    }

    @Test
    void aNamespaceCreatedOutsideTheBridgeIsListedAsAnInstance() throws Exception {
        String namespace = "MQ_INST_123456789012_" + uniqueName("ext").substring(4);
        bridge.admin().createAndUpdateTopicConfig(bridge.cluster.brokerAddr(),
                new TopicConfig(namespace + "%Migrated", 1, 1, PermName.PERM_READ | PermName.PERM_WRITE));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(listIds(bridge.tea())).contains(namespace));
        var info = bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(namespace))
                .getBody().getInstanceBaseInfo();
        assertThat(info.getIndependentNaming()).isTrue();
        assertThat(info.getInstanceName()).isEqualTo(namespace);
    }

    @Test
    void twoBridgesOnOneClusterSeeEachOthersWritesAtOnce() throws Exception {
        try (OnsBridgeServer second = bridge.startServer(Map.of())) {
            var first = bridge.tea();
            var other = Bridge.tea("127.0.0.1:" + second.port(), bridge.accessKeyId, bridge.accessKeySecret);
            String name = uniqueName("shared");
            String id = first.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name))
                    .getBody().getData().getInstanceId();
            assertThat(listIds(other)).contains(id);
            other.onsInstanceUpdate(new OnsInstanceUpdateRequest().setInstanceId(id).setRemark("written by the second bridge"));
            assertThat(first.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(id))
                    .getBody().getInstanceBaseInfo().getRemark()).isEqualTo("written by the second bridge");
            // The name is taken for every bridge, not only the one that created it.
            assertTeaError(() -> other.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name)),
                    "BIZ_INSTANCE_NAME_EXISTED", 400, name);
        }
    }

    @Test
    void theInstanceQuotaCountsEveryInstanceInTheCluster() throws Exception {
        bridge.tea().onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(uniqueName("quota")));
        long registered = listIds(bridge.tea()).stream().filter(i -> i.matches("MQ_INST_000000000000_[A-Za-z0-9]{8}")).count();
        try (OnsBridgeServer limited = bridge.startServer(Map.of(Setting.MAX_INSTANCES, Long.toString(registered)))) {
            var tea = Bridge.tea("127.0.0.1:" + limited.port(), bridge.accessKeyId, bridge.accessKeySecret);
            assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(uniqueName("over"))),
                    "BIZ_INSTANCE_QUOTA_EXCEEDED", 400, Long.toString(registered));
        }
    }

    @Test
    void healthSaysWhetherTheClusterIsReachable() throws Exception {
        java.net.http.HttpResponse<String> up = RawOnsCall.send(java.net.URI.create("http://" + bridge.hostPort() + "/health"));
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"cluster\":\"reachable\"");
        // each master: the broker plugin, the region and trace flag ONS's clients read, and the timer's precision, 100 ms
        // for the embedded broker's new store (docs/broker-plugin.md)
        assertThat(up.body()).contains("\"address\":\"" + bridge.cluster.brokerAddr() + "\",\"brokerPlugin\":\"loaded\","
                + "\"regionId\":\"" + Bridge.REGION + "\",\"traceOn\":true,\"timerPrecisionMs\":100");
        try (OnsBridgeServer orphan = bridge.startServer("127.0.0.1:1", Map.of())) {
            java.net.http.HttpResponse<String> down = RawOnsCall.send(java.net.URI.create("http://127.0.0.1:" + orphan.port() + "/health"));
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("unreachable");
        }
    }

    @Test
    void anUnreachableClusterIsAClear503AndNotAStackTrace() throws Exception {
        try (OnsBridgeServer orphan = bridge.startServer("127.0.0.1:1", Map.of())) {
            var tea = Bridge.tea("127.0.0.1:" + orphan.port(), bridge.accessKeyId, bridge.accessKeySecret);
            assertTeaError(() -> tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()),
                    "ServiceUnavailable", 503, "not reachable");
        }
    }

    static Set<String> listIds(com.aliyun.ons20190214.Client tea) throws Exception {
        return Set.copyOf(tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()).getBody().getData().getInstanceVO()
                .stream().map(OnsInstanceInServiceListResponseBodyDataInstanceVO::getInstanceId).toList());
    }
}
