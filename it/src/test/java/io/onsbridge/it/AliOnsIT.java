package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import org.junit.jupiter.api.Test;

/**
 * {@code ali-ons} 3.12.0, Alibaba's Node TCP client, unchanged ({@code it/src/test/node/ali-ons-check.js}), set up as
 * for ONS: {@code nameSrv} the name server, {@code namespace} the instance ID (ali-ons reads no instance from its
 * name server address; docs/tcp-clients.md). Its messages land in the instance, a timed one is delivered at its
 * time (the broker plugin), and ali-ons hands its listener the topic with the namespace, as it does on ONS.
 */
@OnsBridgeTest
class AliOnsIT {
    private final Bridge bridge;

    AliOnsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aliOnsSendsAndConsumesInTheInstance() throws Exception {
        NodeScripts.assumeInstalled("ali-ons");
        String instance = bridge.newInstance("alions");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("NodeTcp").setMessageType(5));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_nodetcp").setGroupType("tcp"));
        String endpoint = bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance))
                .getBody().getInstanceBaseInfo().getEndpoints().getTcpEndpoint();
        // ali-ons takes one plain host:port: the endpoint's plain part, after ONS's form
        String nameSrv = endpoint.substring(endpoint.indexOf(';') + 1);

        JsonNode result = NodeScripts.run("ali-ons-check.js", nameSrv, bridge.accessKeyId, bridge.accessKeySecret, instance, "NodeTcp", "GID_nodetcp");

        assertThat(result.has("error")).as(result.toString()).isFalse();
        assertThat(result.get("sent")).allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("SEND_OK"));
        assertThat(result.get("received")).hasSize(2);
        for (JsonNode received : result.get("received")) {
            assertThat(received.get("topic").asText()).isEqualTo(instance + "%NodeTcp");
        }
        JsonNode timedSent = result.get("sent").get(1);
        JsonNode timedReceived = null;
        for (JsonNode received : result.get("received")) {
            if (received.get("body").asText().equals("ali-ons timed")) {
                timedReceived = received;
            }
        }
        assertThat(timedReceived).as(result.toString()).isNotNull();
        long late = timedReceived.get("at").asLong() - timedSent.get("due").asLong();
        System.out.printf("timed delivery lateness (ali-ons): %d ms%n", late);
        // never before; after it by the broker timer's precision (EmbeddedCluster) and ali-ons's pull
        assertThat(late).as("the timed message came %d ms after its time", late).isBetween(0L, 1_000L);
        // ali-ons answers a send with the broker's offset message ID; the bridge finds the message by it in the instance
        for (JsonNode sent : result.get("sent")) {
            var found = bridge.tea().onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("NodeTcp")
                    .setMsgId(sent.get("id").asText())).getBody().getData();
            assertThat(found.getTopic()).isEqualTo("NodeTcp");
            assertThat(found.getInstanceId()).isEqualTo(instance);
        }
    }
}
