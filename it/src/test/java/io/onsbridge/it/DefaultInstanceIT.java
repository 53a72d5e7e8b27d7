package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsGroupListResponseBody.OnsGroupListResponseBodyDataSubscribeInfoDo;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListResponseBody.OnsInstanceInServiceListResponseBodyDataInstanceVO;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicListResponseBody.OnsTopicListResponseBodyDataPublishInfoDo;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.junit.jupiter.api.Test;

/**
 * The default instance holds what has no namespace (made by mqadmin, or auto-created by a producer),
 * and no list of any instance ever shows RocketMQ's or the bridge's own topics and groups.
 */
@OnsBridgeTest
class DefaultInstanceIT {
    private final Bridge bridge;

    DefaultInstanceIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void resourcesWithoutNamespaceAreTheDefaultInstancesAndSystemOnesAreNobodys() throws Exception {
        bridge.admin().createAndUpdateTopicConfig(bridge.cluster.brokerAddr(),
                new TopicConfig("Plain", 4, 4, PermName.PERM_READ | PermName.PERM_WRITE));
        SubscriptionGroupConfig group = new SubscriptionGroupConfig();
        group.setGroupName("GID_plain");
        bridge.admin().createAndUpdateSubscriptionGroupConfig(bridge.cluster.brokerAddr(), group);

        OnsInstanceInServiceListResponseBodyDataInstanceVO defaultInstance = instances().get(0);
        assertThat(defaultInstance.getIndependentNaming()).isFalse();
        String id = defaultInstance.getInstanceId();
        // Made outside the bridge: listed once the bridge's tables are read again, within a second (docs/benchmarks.md#scale).
        TopicIT.awaitUntil(Duration.ofSeconds(5), () -> {
            assertThat(topics(id)).extracting(OnsTopicListResponseBodyDataPublishInfoDo::getTopic).contains("Plain");
            assertThat(groups(id)).extracting(OnsGroupListResponseBodyDataSubscribeInfoDo::getGroupId).contains("GID_plain");
        });

        // A producer without namespace sends to a topic nobody made: the broker auto-creates it.
        String auto = "AutoMade_" + UUID.randomUUID().toString().substring(0, 8);
        DefaultMQProducer producer = Clients.producer(bridge, null, "GID_plain_producer");
        try {
            assertThat(producer.send(new Message(auto, "x".getBytes(StandardCharsets.UTF_8))).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        } finally {
            producer.shutdown();
        }
        TopicIT.awaitUntil(Duration.ofSeconds(15),
                () -> assertThat(topics(id)).extracting(OnsTopicListResponseBodyDataPublishInfoDo::getTopic).contains(auto));

        // The cluster does hold system topics and groups, so that the check below could fail.
        ClusterInfo cluster = bridge.admin().examineBrokerClusterInfo();
        Set<String> brokerAndClusterNames = new HashSet<>(cluster.getBrokerAddrTable().keySet());
        brokerAndClusterNames.addAll(cluster.getClusterAddrTable().keySet());
        assertThat(bridge.admin().fetchAllTopicList().getTopicList()).contains("TBW102", "SCHEDULE_TOPIC_XXXX")
                .anyMatch(t -> t.startsWith("RMQ_SYS_")).anyMatch(t -> t.startsWith("%RETRY%")).anyMatch(brokerAndClusterNames::contains);
        assertThat(bridge.admin().getAllSubscriptionGroup(bridge.cluster.brokerAddr(), 5_000).getSubscriptionGroupTable().keySet())
                .contains("TOOLS_CONSUMER").anyMatch(g -> g.startsWith("CID_RMQ_SYS_"));

        List<String> listedTopics = new ArrayList<>();
        List<String> listedGroups = new ArrayList<>();
        for (OnsInstanceInServiceListResponseBodyDataInstanceVO instance : instances()) {
            topics(instance.getInstanceId()).forEach(t -> listedTopics.add(t.getTopic()));
            groups(instance.getInstanceId()).forEach(g -> listedGroups.add(g.getGroupId()));
        }
        Predicate<String> systemTopic = t -> t.startsWith("RMQ_SYS_") || t.startsWith("rmq_sys_") || t.startsWith("%RETRY%")
                || t.startsWith("%DLQ%") || t.equals("TBW102") || t.equals("SCHEDULE_TOPIC_XXXX") || t.equals("OFFSET_MOVED_EVENT")
                || t.equals("ONS_BRIDGE_STATS") || brokerAndClusterNames.contains(t);
        Predicate<String> systemGroup = g -> g.equals("TOOLS_CONSUMER") || g.startsWith("CID_RMQ_SYS_") || g.startsWith("ons_bridge_admin_")
                || g.startsWith("%");
        assertThat(listedTopics).contains("Plain", auto).noneMatch(systemTopic);
        assertThat(listedGroups).contains("GID_plain").noneMatch(systemGroup);
    }

    private List<OnsInstanceInServiceListResponseBodyDataInstanceVO> instances() throws Exception {
        return bridge.tea().onsInstanceInServiceList(new OnsInstanceInServiceListRequest()).getBody().getData().getInstanceVO();
    }

    private List<OnsTopicListResponseBodyDataPublishInfoDo> topics(String instance) throws Exception {
        return bridge.tea().onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo();
    }

    private List<OnsGroupListResponseBodyDataSubscribeInfoDo> groups(String instance) throws Exception {
        return bridge.tea().onsGroupList(new OnsGroupListRequest().setInstanceId(instance)).getBody().getData().getSubscribeInfoDo();
    }
}
