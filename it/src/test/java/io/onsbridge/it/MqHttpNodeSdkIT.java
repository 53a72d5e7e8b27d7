package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Alibaba's Node MQ HTTP SDK ({@code @aliyunmq/mq-http-sdk} 1.0.4, unchanged; {@code it/src/test/node}) against
 * the bridge: it signs differently from Java's (its own query order, Content-MD5 as Base64 of the hex MD5) and
 * parses errors only from {@code text/xml}. Runs where {@code npm ci --prefix it/src/test/node} was run and
 * {@code node} is on the PATH; skipped elsewhere.
 */
@OnsBridgeTest
class MqHttpNodeSdkIT {
    private final Bridge bridge;

    MqHttpNodeSdkIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void theNodeSdkPublishesConsumesAcksAndReadsRefusals() throws Exception {
        NodeScripts.assumeInstalled("@aliyunmq/mq-http-sdk");
        String instance = bridge.newInstance("nodesdk");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("NodeOrders").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_node").setGroupType("http"));
        String endpoint = bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody()
                .getInstanceBaseInfo().getEndpoints().getHttpInternetEndpoint();

        JsonNode result = NodeScripts.run("mq-http-sdk-check.js", endpoint, bridge.accessKeyId, bridge.accessKeySecret, instance, "NodeOrders", "GID_node");

        List<String> published = new ArrayList<>();
        for (JsonNode p : result.get("published")) {
            assertThat(p.get("code").asInt()).isEqualTo(201);
            assertThat(p.get("md5").asText()).matches("[0-9A-F]{32}");
            published.add(p.get("id").asText());
        }
        assertThat(result.get("received")).hasSize(2);
        for (JsonNode m : result.get("received")) {
            assertThat(published).contains(m.get("id").asText());
            assertThat(m.get("body").asText()).startsWith("node body ");
            assertThat(m.get("tag").asText()).isEqualTo("TagN");
            assertThat(m.get("key").asText()).isEqualTo("node-key-" + m.get("body").asText().substring(10));
            assertThat(m.get("lang").asText()).isEqualTo("node");
            assertThat(m.get("consumedTimes").asText()).isEqualTo("1");
        }
        assertThat(result.get("ackCode").asInt()).isEqualTo(204);
        assertThat(result.get("afterAck").asText()).isEqualTo("MessageNotExist");
        assertThat(result.get("badAck").get("code").asInt()).isEqualTo(404);
        assertThat(result.get("badAck").get("errors").toString()).contains("ReceiptHandleError").contains("not-a-handle");
        assertThat(result.get("unknownTopic").asText()).isEqualTo("TopicNotExist");
        assertThat(result.get("wrongSecret").asText()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void theNodeSdkCommitsRollsBackAndChecksHalfMessagesAndConsumesInOrder() throws Exception {
        NodeScripts.assumeInstalled("@aliyunmq/mq-http-sdk");
        String instance = bridge.newInstance("nodetx");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("NodePayments").setMessageType(4));
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("NodeSteps").setMessageType(1));
        for (String group : List.of("GID_node_tx", "GID_node_tx_consumer", "GID_node_steps")) {
            bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
        }
        String endpoint = bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody()
                .getInstanceBaseInfo().getEndpoints().getHttpInternetEndpoint();

        JsonNode result = NodeScripts.run("mq-http-sdk-transaction.js", endpoint, bridge.accessKeyId, bridge.accessKeySecret, instance,
                "NodePayments", "GID_node_tx", "GID_node_tx_consumer", "NodeSteps", "GID_node_steps");

        List<String> ids = new ArrayList<>();
        for (JsonNode p : result.get("published")) {
            assertThat(p.get("code").asInt()).isEqualTo(201);
            assertThat(p.get("handle").asBoolean()).as("a transactional publish answers a receipt handle").isTrue();
            ids.add(p.get("id").asText());
        }
        assertThat(result.get("commit").asInt()).isEqualTo(204);
        assertThat(result.get("rollback").asInt()).isEqualTo(204);
        // Only the undecided one is checked, under the id its publish answered.
        assertThat(result.get("checked")).hasSize(1);
        assertThat(result.get("checked").get(0).get("id").asText()).isEqualTo(ids.get(2));
        assertThat(result.get("checked").get(0).get("key").asText()).isEqualTo("tx-undecided");
        assertThat(result.get("checkCommit").asInt()).isEqualTo(204);
        // Delivered: the committed ones, never the rolled-back one.
        List<String> delivered = new ArrayList<>();
        result.get("delivered").forEach(m -> delivered.add(m.get("body").asText()));
        assertThat(delivered).containsExactlyInAnyOrder("paid", "undecided");
        assertThat(result.get("ack").asInt()).isEqualTo(204);
        // Each sharding key's messages in the order they were published.
        for (String key : List.of("A", "B")) {
            List<String> steps = new ArrayList<>();
            result.get("ordered").forEach(m -> {
                if (m.get("body").asText().startsWith(key)) {
                    assertThat(m.get("shardingKey").asText()).isEqualTo("key-" + key);
                    steps.add(m.get("body").asText());
                }
            });
            assertThat(steps).containsExactly(key + "0", key + "1", key + "2");
        }
    }
}
