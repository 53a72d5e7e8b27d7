package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsGroupListResponseBody.OnsGroupListResponseBodyDataSubscribeInfoDo;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicListResponseBody.OnsTopicListResponseBodyDataPublishInfoDo;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;

/**
 * A master that was down while topics and groups were created and deleted: once it is back, it has what was
 * created meanwhile and nothing of what was deleted (before, a deleted topic or group came back with it, old
 * messages included, and a topic created meanwhile never got the returning master's queues).
 */
class MasterReturnIT {
    private final String accessKeyId = "LTAIret" + UUID.randomUUID().toString().substring(0, 8);
    private final String secret = UUID.randomUUID().toString();

    @Test
    void aReturningMasterGetsWhatWasCreatedAndLosesWhatWasDeletedWhileItWasDown() throws Exception {
        Path data = Path.of("target", "it-" + getClass().getSimpleName(), Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        try (ChildJvmCluster cluster = ChildJvmCluster.builder(data).masters(2).start();
             OnsBridgeServer bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret))) {
            Client tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), accessKeyId, secret);
            String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("returning")).getBody().getData().getInstanceId();
            for (String topic : List.of("Kept", "Doomed", "Reborn")) {
                tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
            }
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("GlobalOrder").setMessageType(2));
            for (String group : List.of("GID_kept", "GID_doomed")) {
                tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("tcp"));
            }
            String brokerB = cluster.brokerAddrs().get(1);
            DefaultMQAdminExt admin = new DefaultMQAdminExt();
            admin.setNamesrvAddr(cluster.namesrvAddr());
            admin.setInstanceName("it-master-return-admin");
            admin.start();
            try {
                assertThat(topicsOn(admin, brokerB)).contains(instance + "%Doomed", instance + "%Reborn");

                cluster.killBroker(1);
                awaitUntil(Duration.ofSeconds(30), () -> assertThat(masters(admin)).doesNotContain(brokerB));
                tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Doomed"));
                tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Reborn"));
                tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Reborn").setMessageType(0));
                tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Born").setMessageType(4)); // transactional
                tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("PartitionOrder").setMessageType(1));
                tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance).setGroupId("GID_doomed"));
                tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_born").setGroupType("tcp"));
                // The global-order topic's one queue may be on broker-b, so it may be missing meanwhile.
                assertThat(topics(tea, instance)).contains("Kept", "Reborn", "Born", "PartitionOrder").doesNotContain("Doomed");

                cluster.restartBroker(1);
                awaitUntil(Duration.ofSeconds(30), () -> {
                    assertThat(topicsOn(admin, brokerB)).contains(instance + "%Kept", instance + "%Reborn", instance + "%Born")
                            .doesNotContain(instance + "%Doomed");
                    assertThat(groupsOn(admin, brokerB)).contains(instance + "%GID_kept", instance + "%GID_born")
                            .doesNotContain(instance + "%GID_doomed");
                });
                assertThat(routeBrokers(admin, instance + "%Born")).containsExactlyInAnyOrder("broker-a", "broker-b");
                assertThat(admin.examineTopicConfig(brokerB, instance + "%Born").getAttributes()).containsEntry("message.type", "TRANSACTION");
                // Order topics keep their queues: a sharding key must not move, global order stays one queue.
                assertThat(routeBrokers(admin, instance + "%GlobalOrder")).hasSize(1);
                assertThat(routeBrokers(admin, instance + "%PartitionOrder")).containsExactly("broker-a");
                assertThat(topicsOn(admin, brokerB)).contains("%RETRY%" + instance + "%GID_born")
                        .doesNotContain("%RETRY%" + instance + "%GID_doomed");
                assertThat(topics(tea, instance)).containsExactlyInAnyOrder("Kept", "Reborn", "Born", "GlobalOrder", "PartitionOrder");
                assertThat(groups(tea, instance)).containsExactlyInAnyOrder("GID_kept", "GID_born");
            } finally {
                admin.shutdown();
            }
        }
    }

    private static List<String> topics(Client tea, String instance) throws Exception {
        return tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo().stream()
                .map(OnsTopicListResponseBodyDataPublishInfoDo::getTopic).toList();
    }

    private static List<String> groups(Client tea, String instance) throws Exception {
        return tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)).getBody().getData().getSubscribeInfoDo().stream()
                .map(OnsGroupListResponseBodyDataSubscribeInfoDo::getGroupId).toList();
    }

    private static Set<String> topicsOn(DefaultMQAdminExt admin, String broker) throws Exception {
        return admin.getAllTopicConfig(broker, 5000).getTopicConfigTable().keySet();
    }

    private static Set<String> groupsOn(DefaultMQAdminExt admin, String broker) throws Exception {
        return admin.getAllSubscriptionGroup(broker, 5000).getSubscriptionGroupTable().keySet();
    }

    private static Set<String> masters(DefaultMQAdminExt admin) throws Exception {
        return admin.examineBrokerClusterInfo().getBrokerAddrTable().values().stream()
                .map(b -> b.getBrokerAddrs().get(0L)).collect(java.util.stream.Collectors.toSet());
    }

    private static List<String> routeBrokers(DefaultMQAdminExt admin, String topic) throws Exception {
        return admin.examineTopicRouteInfo(topic).getBrokerDatas().stream().map(BrokerData::getBrokerName).toList();
    }
}
