package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image built from this checkout, running next to apache/rocketmq containers, as a user's test
 * drives it: ONS calls with the Tea SDK, messages with a RocketMQ client from this JVM. Needs a Docker
 * engine; skipped (not failed) without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class OnsBridgeContainerTest {
    @Container
    private static final OnsBridgeContainer ONS = new OnsBridgeContainer(OnsBridgeImage.fromSources(Repository.ROOT));

    @Test
    void healthIsUpAndTheImageRunsAsItsOwnUser() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ONS.endpointUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"").contains("reachable");
        assertThat(ONS.getContainerInfo().getConfig().getUser()).isEqualTo("ons");
        assertThat(ONS.getContainerInfo().getConfig().getHealthcheck().getTest()).contains("/opt/ons-bridge/healthcheck.sh");
        assertThat(ONS.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
    }

    @Test
    void sdkCallsAndRocketmqClientsMeetOnTheSameCluster() throws Exception {
        Client tea = OnsBridgeEnvironment.teaClient(ONS.endpoint(), ONS.accessKeyId(), ONS.accessKeySecret());
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("containers"))
                .getBody().getData().getInstanceId();
        assertThat(tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance))
                .getBody().getInstanceBaseInfo().getEndpoints().getTcpEndpoint())
                .isEqualTo("http://" + instance + "." + ONS.namesrvAddress() + ";" + ONS.namesrvAddress());
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Containers").setMessageType(0));

        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_containers", null);
        producer.setNamesrvAddr(ONS.namesrvAddress());
        producer.setInstanceName("testcontainers");
        producer.start();
        try {
            assertThat(producer.send(new Message("Containers", "hello".getBytes(StandardCharsets.UTF_8))).getSendStatus())
                    .isEqualTo(SendStatus.SEND_OK);
        } finally {
            producer.shutdown();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tea.onsTopicStatus(
                new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Containers")).getBody().getData().getTotalCount())
                .isEqualTo(1L));
    }

    @Test
    void theImagePrintsItsSettings() {
        try (GenericContainer<?> help = new GenericContainer<>(ONS.getDockerImageName())
                .withCommand("--help")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
            help.start();
            assertThat(help.getLogs()).contains("ONS_BRIDGE_NAMESRV", "ONS_BRIDGE_DATA_DIR");
        }
    }
}
