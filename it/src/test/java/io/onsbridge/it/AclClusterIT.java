package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.ons20190214.models.OnsTrendGroupOutputTpsRequest;
import com.aliyun.ons20190214.models.OnsTrendTopicInputTpsRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.cluster.rocketmq.ClusterCredentials;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A broker with RocketMQ 5's authentication and authorization on (rocketmq-auth: local users, one super
 * user), started once for the class in child JVMs. A bridge given that account's credentials signs every
 * call (admin, lookups, sends) with RocketMQ's ACL hook and works; bridges without them, or with a wrong
 * secret, get the cluster's refusal as a clear 403, at once. The signed bridge samples the consumers
 * every second, so its trend curves can be checked against real, signed traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclClusterIT {
    private static final String USER = "onsbridge";
    private static final long MINUTE = 60_000;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private final String accessKeyId = "LTAIacl" + UUID.randomUUID().toString().substring(0, 8);
    private final String secret = UUID.randomUUID().toString();
    private ChildJvmCluster cluster;
    private OnsBridgeServer signed;
    private OnsBridgeServer unsigned;
    private OnsBridgeServer wronglySigned;
    private DefaultMQAdminExt admin;

    @BeforeAll
    void startAclCluster() throws Exception {
        Path data = Path.of("target", "it-acl", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        String provider = "org.apache.rocketmq.auth.%s.provider.%s";
        cluster = ChildJvmCluster.builder(data)
                .brokerProperty("authenticationEnabled", "true")
                .brokerProperty("authenticationProvider", provider.formatted("authentication", "DefaultAuthenticationProvider"))
                .brokerProperty("authenticationMetadataProvider", provider.formatted("authentication", "LocalAuthenticationMetadataProvider"))
                .brokerProperty("authorizationEnabled", "true")
                .brokerProperty("authorizationProvider", provider.formatted("authorization", "DefaultAuthorizationProvider"))
                .brokerProperty("authorizationMetadataProvider", provider.formatted("authorization", "LocalAuthorizationMetadataProvider"))
                .brokerProperty("initAuthenticationUser", "{\"username\":\"" + USER + "\",\"password\":\"" + password + "\"}")
                .brokerProperty("innerClientAuthenticationCredentials", "{\"accessKey\":\"" + USER + "\",\"secretKey\":\"" + password + "\"}")
                .start();
        signed = startBridge(Map.of(Setting.CLUSTER_ACCESS_KEY, USER, Setting.CLUSTER_SECRET_KEY, password,
                Setting.SAMPLE_INTERVAL, "1"));
        unsigned = startBridge(Map.of());
        wronglySigned = startBridge(Map.of(Setting.CLUSTER_ACCESS_KEY, USER, Setting.CLUSTER_SECRET_KEY, "not-" + password));
        admin = new DefaultMQAdminExt(ClusterCredentials.of(USER, password).rpcHook(), 5_000);
        admin.setNamesrvAddr(cluster.namesrvAddr());
        admin.setInstanceName("it-acl-admin");
        admin.start();
    }

    private OnsBridgeServer startBridge(Map<Setting, String> settings) throws InterruptedException {
        return OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), settings, Map.of(accessKeyId, secret));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {admin::shutdown, signed, unsigned, wronglySigned, cluster}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private com.aliyun.ons20190214.Client tea(OnsBridgeServer bridge) {
        return Bridge.tea("127.0.0.1:" + bridge.port(), accessKeyId, secret);
    }

    @Test
    void withTheClusterAccountTheBridgeCreatesSendsAndFinds() throws Exception {
        var tea = tea(signed);
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("acl_" + UUID.randomUUID().toString().substring(0, 6)))
                .getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Guarded").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_guarded"));
        String broker = cluster.brokerAddrs().get(0);
        assertThat(admin.examineTopicConfig(broker, instance + "%Guarded").getWriteQueueNums()).isEqualTo(8);
        assertThat(admin.examineSubscriptionGroupConfig(broker, instance + "%GID_guarded")).isNotNull();
        assertThat(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo())
                .extracting(t -> t.getTopic()).containsExactly("Guarded");
        assertThat(tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)).getBody().getData().getSubscribeInfoDo())
                .extracting(g -> g.getGroupId()).containsExactly("GID_guarded");

        String id = tea.onsMessageSend(new OnsMessageSendRequest().setInstanceId(instance).setTopic("Guarded")
                .setTag("TagA").setKey("ACL-1").setMessage("signed all the way")).getBody().getData();
        assertThat(tea.onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instance).setTopic("Guarded").setKey("ACL-1"))
                .getBody().getData().getOnsRestMessageDo()).extracting(m -> m.getMsgId()).containsExactly(id);
        assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Guarded"))
                .getBody().getData().getTotalCount()).isEqualTo(1);
    }

    @Test
    void withoutTheClusterAccountTheSameCallsAreRefusedClearly() throws Exception {
        String instance = tea(signed).onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("acl_refused_" + UUID.randomUUID().toString().substring(0, 6)))
                .getBody().getData().getInstanceId();
        tea(signed).onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Existing").setMessageType(0));
        // the cluster's own reasons: no user at all, or a signature that does not match the user's secret
        Map<OnsBridgeServer, String> reasons = Map.of(unsigned, "username cannot be null", wronglySigned, "check signature failed");
        for (var bridge : reasons.entrySet()) {
            var tea = tea(bridge.getKey());
            long begin = System.nanoTime();
            assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Sneaky").setMessageType(0)),
                    "Forbidden.RAM", 403, bridge.getValue());
            assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_sneaky")),
                    "Forbidden.RAM", 403, "cluster-access-key");
            assertTeaError(() -> tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)), "Forbidden.RAM", 403, bridge.getValue());
            assertTeaError(() -> tea.onsMessageSend(new OnsMessageSendRequest().setInstanceId(instance).setTopic("Existing").setMessage("x")),
                    "Forbidden.RAM", 403, "refused");
            // refused at once: no hang, no retry until a timeout
            assertThat((System.nanoTime() - begin) / 1_000_000).isLessThan(10_000);
        }
        assertThat(admin.getAllTopicConfig(cluster.brokerAddrs().get(0), 5_000).getTopicConfigTable())
                .containsKey(instance + "%Existing").doesNotContainKey(instance + "%Sneaky");
        assertThat(admin.getAllSubscriptionGroup(cluster.brokerAddrs().get(0), 5_000).getSubscriptionGroupTable())
                .doesNotContainKey(instance + "%GID_sneaky");
    }

    @Test
    void withTheClusterAccountTheCurvesCountWhatSignedClientsSentAndConsumed() throws Exception {
        int n = 30;
        var tea = tea(signed);
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("acl_stats_" + UUID.randomUUID().toString().substring(0, 6)))
                .getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Counted").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_counter"));
        long begin = System.currentTimeMillis() - MINUTE;
        // The group has committed offsets (0) before anything is consumed: the bridge samples it from now on.
        commitStart(instance, "GID_counter", "Counted");

        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_counted_sender", signing(), false, null);
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName("it-acl-producer-" + UUID.randomUUID());
        producer.start();
        try {
            for (int i = 0; i < n; i++) {
                assertThat(producer.send(new Message("Counted", "TagA", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8)))
                        .getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
        } finally {
            producer.shutdown();
        }
        // Input: counted from the store with signed admin calls.
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(inputSum(tea, instance, begin))
                .as("OnsTrendTopicInputTps of %s%%Counted", instance).isEqualTo((double) n));

        // Before consuming, a round has seen the group with all n behind and nothing consumed: the output curve
        // starts from a sample at 0. A round publishes the gauge only after its offset sample was written to the
        // cluster, so a sampler whose writes the ACL refuses never gets past this point.
        Map<String, String> labels = Map.of("group", instance + "%GID_counter", "topic", instance + "%Counted");
        awaitUntil(Duration.ofSeconds(15), () -> assertThat(Scrape.of(signed.endpoint()).gauge("ons_bridge_consumer_backlog_messages", labels))
                .as("backlog gauge of %s, published after the round wrote its offset sample", labels).contains((double) n));

        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(instance, "GID_counter", signing(), new AllocateMessageQueueAveragely(), false, null);
        consumer.setNamesrvAddr(cluster.namesrvAddr());
        consumer.setInstanceName("it-acl-consumer-" + UUID.randomUUID());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1_000);
        consumer.subscribe("Counted", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getMsgId(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        try {
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(received).hasSize(n)); // generous: a loaded machine delays the first rebalance
            // Output: from the bridge's offset samples, within a commit (1 s) and a sampling interval (1 s).
            awaitUntil(Duration.ofSeconds(15), () -> assertThat(outputSum(tea, instance, begin))
                    .as("OnsTrendGroupOutputTps of %s%%GID_counter on %s%%Counted", instance, instance).isEqualTo((double) n));
        } finally {
            consumer.shutdown();
        }
    }

    /** Signs as the cluster's account, as an application of the ACL cluster does. */
    private AclClientRPCHook signing() {
        return new AclClientRPCHook(new SessionCredentials(USER, password));
    }

    private static double inputSum(com.aliyun.ons20190214.Client tea, String instance, long begin) throws Exception {
        return tea.onsTrendTopicInputTps(new OnsTrendTopicInputTpsRequest().setInstanceId(instance).setTopic("Counted")
                        .setType(0).setPeriod(1L).setBeginTime(begin).setEndTime(System.currentTimeMillis() + 2 * MINUTE))
                .getBody().getData().getRecords().getStatsDataDo().stream().mapToDouble(p -> p.getY()).sum();
    }

    private static double outputSum(com.aliyun.ons20190214.Client tea, String instance, long begin) throws Exception {
        return tea.onsTrendGroupOutputTps(new OnsTrendGroupOutputTpsRequest().setInstanceId(instance).setGroupId("GID_counter")
                        .setTopic("Counted").setType(0).setPeriod(1L).setBeginTime(begin).setEndTime(System.currentTimeMillis() + MINUTE))
                .getBody().getData().getRecords().getStatsDataDo().stream().mapToDouble(p -> p.getY()).sum();
    }

    /** Offset 0 of the group on every queue of the topic, committed with the signed admin (see {@link Sampling#commitStart}). */
    private void commitStart(String instance, String group, String topic) throws Exception {
        String brokerTopic = instance + "%" + topic;
        TopicRouteData route = admin.examineTopicRouteInfo(brokerTopic);
        for (BrokerData broker : route.getBrokerDatas()) {
            int queues = route.getQueueDatas().stream().filter(d -> d.getBrokerName().equals(broker.getBrokerName()))
                    .findFirst().orElseThrow().getWriteQueueNums();
            for (int q = 0; q < queues; q++) {
                admin.updateConsumeOffset(broker.selectBrokerAddr(), instance + "%" + group,
                        new MessageQueue(brokerTopic, broker.getBrokerName(), q), 0);
            }
        }
    }
}
