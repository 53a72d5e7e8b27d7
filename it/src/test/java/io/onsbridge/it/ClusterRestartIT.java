package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.embedded.EmbeddedCluster;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A cluster that goes away and comes back on the same data dir: while it is down the bridge answers a
 * clear 503; afterwards the same bridge serves again without a restart, and instances, topics and
 * messages are all still there (a second start on a data dir keeps everything).
 */
class ClusterRestartIT {

    @Test
    void theBridgeRecoversWhenTheClusterReturnsAndNothingIsLost() throws Exception {
        Path data = Path.of("target", "it-restart", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        int namesrvPort = freePort();
        String accessKeyId = "LTAIrestart" + UUID.randomUUID().toString().substring(0, 6);
        String secret = UUID.randomUUID().toString();
        EmbeddedCluster cluster = EmbeddedCluster.builder(data).namesrvPort(namesrvPort).brokerPort(0).start();
        String brokerPort = cluster.brokerAddr().substring(cluster.brokerAddr().lastIndexOf(':') + 1);
        try (OnsBridgeServer bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret))) {
            var tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), accessKeyId, secret);
            String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("survivor")).getBody().getData().getInstanceId();
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Kept").setMessageType(0));
            String id = tea.onsMessageSend(new OnsMessageSendRequest().setInstanceId(instance).setTopic("Kept").setMessage("still here"))
                    .getBody().getData();

            cluster.close();
            assertTeaError(() -> tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()), "ServiceUnavailable", 503, "not reachable");

            cluster = EmbeddedCluster.builder(data).namesrvPort(namesrvPort).brokerPort(Integer.parseInt(brokerPort)).start();
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest()
                    .setInstanceId(instance)).getBody().getInstanceBaseInfo().getInstanceName()).isEqualTo("survivor"));
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance)
                    .setTopic("Kept")).getBody().getData().getTotalCount()).isEqualTo(1));
            assertThat(tea.onsMessageGetByMsgId(new com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest().setInstanceId(instance)
                    .setTopic("Kept").setMsgId(id)).getBody().getData().getMsgId()).isEqualTo(id);
        } finally {
            cluster.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
