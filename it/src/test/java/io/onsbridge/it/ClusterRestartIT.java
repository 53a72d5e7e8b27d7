package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.openservices.ons.api.Action;
import com.aliyun.openservices.ons.api.Consumer;
import com.aliyun.openservices.ons.api.Message;
import com.aliyun.openservices.ons.api.ONSFactory;
import com.aliyun.openservices.ons.api.Producer;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.embedded.EmbeddedCluster;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(unlessUnavailable(() -> tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest()
                    .setInstanceId(instance))).getBody().getInstanceBaseInfo().getInstanceName()).isEqualTo("survivor"));
            // never "does not exist" on the way back: unavailable until the bridge sees the broker, then the topic
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(unlessUnavailable(() -> tea.onsTopicStatus(new OnsTopicStatusRequest()
                    .setInstanceId(instance).setTopic("Kept"))).getBody().getData().getTotalCount()).isEqualTo(1));
            assertThat(tea.onsMessageGetByMsgId(new com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest().setInstanceId(instance)
                    .setTopic("Kept").setMsgId(id)).getBody().getData().getMsgId()).isEqualTo(id);
        } finally {
            cluster.close();
        }
    }

    /**
     * The call's answer; ServiceUnavailable (the cluster is back, and the bridge's view of it, at most a second old, not
     * yet) fails as an assertion, so that the await asks again. Any other error ends the test.
     */
    private static <T> T unlessUnavailable(java.util.concurrent.Callable<T> call) throws Exception {
        try {
            return call.call();
        } catch (com.aliyun.tea.TeaException e) {
            if ("ServiceUnavailable".equals(e.getCode())) {
                throw new AssertionError("the bridge does not see the cluster back yet: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * A timed message of ons-client still waiting in the broker's timer when the cluster restarts: the timer log
     * keeps it, and it is delivered at its time, not lost and not at once (the broker plugin, docs/broker-plugin.md).
     * The restarted store keeps its timer precision.
     */
    @Test
    void aTimedMessageWaitingAcrossABrokerRestartIsDeliveredAtItsTime() throws Exception {
        long late = timedMessageAcrossARestart("timed", dataDir("it-restart-timed"), EmbeddedCluster.NEW_STORE_TIMER_PRECISION_MS, false);
        // never before its time; after it by the timer's precision and a consumer that started a moment ago
        assertThat(late).as("delivered %d ms after its time", late).isBetween(0L, 1_000L);
    }

    /**
     * A store whose timers were written with RocketMQ's default precision (1000 ms), as every store before the finer
     * one and before the broker plugin recorded a store's precision (the record is removed here), restarted by a
     * bridge that gives new stores a finer one: it keeps 1000 ms (the plugin reads it from the timer wheel, or takes
     * RocketMQ's default when the wheel on disk has no timer yet), so its waiting timer is delivered at its time.
     */
    @Test
    void aStoreWrittenWithAnotherTimerPrecisionKeepsIt() throws Exception {
        long late = timedMessageAcrossARestart("timed_old", dataDir("it-restart-precision"), 1000, true);
        assertThat(late).as("delivered %d ms after its time", late).isBetween(0L, 2_000L);
    }

    /**
     * Sends an ons-client timed message 55 s ahead on a new cluster whose store gets timer precision {@code precision},
     * restarts the cluster on the same data dir with the default settings while it waits, and answers how late it came.
     * Both starts run with {@code precision}. {@code unrecorded}: the store's record of its precision is removed before
     * the restart, as for a store from before the plugin recorded it.
     */
    private static long timedMessageAcrossARestart(String name, Path data, int precision, boolean unrecorded) throws Exception {
        int namesrvPort = freePort();
        String accessKeyId = "LTAItimed" + UUID.randomUUID().toString().substring(0, 6);
        String secret = UUID.randomUUID().toString();
        EmbeddedCluster cluster = EmbeddedCluster.builder(data).timerPrecisionMs(precision).namesrvPort(namesrvPort).brokerPort(0).start();
        assertThat(cluster.timerPrecisionMs()).isEqualTo(precision);
        String brokerPort = cluster.brokerAddr().substring(cluster.brokerAddr().lastIndexOf(':') + 1);
        try (OnsBridgeServer bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret))) {
            var tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), accessKeyId, secret);
            String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name)).getBody().getData().getInstanceId();
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Later").setMessageType(5));
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_later").setGroupType("tcp"));
            String endpoint = tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance))
                    .getBody().getInstanceBaseInfo().getEndpoints().getTcpEndpoint();

            Producer producer = ONSFactory.createProducer(untraced(OnsClients.properties(endpoint, accessKeyId, secret, "GID_later")));
            producer.start();
            // far enough ahead for a broker's shutdown (5-8 s since PromptStop; 9-16 s before) and start (up to ~30 s on a
            // busy machine)
            long due = System.currentTimeMillis() + 55_000;
            Message timed = new Message("Later", "TagT", "after the restart".getBytes(StandardCharsets.UTF_8));
            timed.setStartDeliverTime(due);
            producer.send(timed);
            producer.shutdown();

            cluster.close();
            if (unrecorded) {
                Files.delete(data.resolve("store").resolve("ons-bridge-timer-precision"));
            }
            cluster = EmbeddedCluster.builder(data).namesrvPort(namesrvPort).brokerPort(Integer.parseInt(brokerPort)).start();
            long restartedAt = System.currentTimeMillis();
            assertThat(cluster.timerPrecisionMs()).as("the restarted store's timer precision").isEqualTo(precision);

            AtomicLong receivedAt = new AtomicLong();
            Consumer consumer = ONSFactory.createConsumer(untraced(OnsClients.properties(endpoint, accessKeyId, secret, "GID_later")));
            consumer.subscribe("Later", "*", (message, context) -> {
                receivedAt.compareAndSet(0, System.currentTimeMillis());
                return Action.CommitMessage;
            });
            consumer.start();
            try {
                awaitUntil(Duration.ofSeconds(150), () -> assertThat(receivedAt.get()).isPositive());
            } finally {
                consumer.shutdown();
            }
            assertThat(restartedAt).as("the cluster was back before the message's time").isLessThan(due);
            long late = receivedAt.get() - due;
            System.out.printf("timed delivery lateness across a restart (ons-client, %d ms precision): %d ms%n", precision, late);
            return late;
        } finally {
            cluster.close();
        }
    }

    /**
     * Without traces: ons-client's one trace producer per JVM would otherwise take this short-lived cluster's name
     * server for every later test of the JVM (OnsClientIT).
     */
    private static java.util.Properties untraced(java.util.Properties properties) {
        properties.put(com.aliyun.openservices.ons.api.PropertyKeyConst.MsgTraceSwitch, "false");
        return properties;
    }

    private static Path dataDir(String name) throws java.io.IOException {
        return Files.createDirectories(Path.of("target", name, Long.toString(System.currentTimeMillis())).toAbsolutePath());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
