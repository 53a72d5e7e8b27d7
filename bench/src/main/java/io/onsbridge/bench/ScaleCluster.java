package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.TagResourcesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The set-up of {@code bin/bench scale}, not timed: instances created through the bridge (each has its
 * record), their topics and groups made straight on the master in one batch call per instance (as
 * {@code mqadmin updateTopicList} would; the bridge lists those too), each group with its retry topic and
 * a committed offset on one queue (so that the consumer sampler has a figure to take and a sample to
 * store, as for a group that consumes), and the measured instances' topics tagged through the bridge.
 *
 * <p>Instance 0 holds ten times the share ({@value #BIG_TOPICS} topics, {@value #BIG_GROUPS} groups), the
 * next {@value #SHARED} one share each ({@value #TOPICS} topics, {@value #GROUPS} groups), the rest
 * nothing: {@value #INSTANCES} instances, 10,000 topics and 5,000 groups.
 */
final class ScaleCluster {
    static final int INSTANCES = 100;
    static final int SHARED = 90;
    static final int TOPICS = 100;
    static final int GROUPS = 50;
    static final int BIG_TOPICS = 10 * TOPICS;
    static final int BIG_GROUPS = 10 * GROUPS;
    private static final int QUEUES = 8;
    private static final int TAG_BATCH = 50; // ResourceIds per TagResources call, the API's limit

    private final BenchContext context;
    private final com.aliyun.ons20190214.Client tea;
    private final DefaultMQAdminExt admin;
    private final List<String> instances = new ArrayList<>();

    ScaleCluster(BenchContext context, com.aliyun.ons20190214.Client tea, DefaultMQAdminExt admin) {
        this.context = context;
        this.tea = tea;
        this.admin = admin;
    }

    /** Instance 0: ten times the share. */
    String big() {
        return instances.get(0);
    }

    /** Instance 1: one share. */
    String share() {
        return instances.get(1);
    }

    int instanceCount() {
        return instances.size();
    }

    /** Creates instances up to {@code count} (in order, so the first ones are the measured ones) with their resources. */
    void growTo(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2); // the broker persists its table per batch: 2 cores
        try {
            List<Future<?>> made = new ArrayList<>();
            for (int i = instances.size(); i < count; i++) {
                String id = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(String.format("scale_%03d", i)))
                        .getBody().getData().getInstanceId();
                instances.add(id);
                int topics = i == 0 ? BIG_TOPICS : i <= SHARED ? TOPICS : 0;
                int groups = i == 0 ? BIG_GROUPS : i <= SHARED ? GROUPS : 0;
                made.add(pool.submit(() -> {
                    resources(id, topics, groups);
                    return null;
                }));
            }
            for (Future<?> f : made) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The instance's topics and groups, each group's retry topic and one committed offset per group. */
    private void resources(String instance, int topics, int groups) throws Exception {
        if (topics == 0) {
            return;
        }
        String master = context.cluster().brokerAddr();
        List<TopicConfig> configs = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            TopicConfig config = new TopicConfig(topic(instance, t), QUEUES, QUEUES, PermName.PERM_READ | PermName.PERM_WRITE);
            config.setAttributes(java.util.Map.of("+message.type", "NORMAL"));
            configs.add(config);
        }
        List<SubscriptionGroupConfig> groupConfigs = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            configs.add(new TopicConfig(MixAll.getRetryTopic(group(instance, g)), 1, 1, PermName.PERM_READ | PermName.PERM_WRITE));
            SubscriptionGroupConfig config = new SubscriptionGroupConfig();
            config.setGroupName(group(instance, g));
            groupConfigs.add(config);
        }
        admin.createAndUpdateTopicConfigList(master, configs);
        admin.createAndUpdateSubscriptionGroupConfigList(master, groupConfigs);
        String brokerName = admin.examineBrokerClusterInfo().getBrokerAddrTable().values().stream()
                .filter(b -> master.equals(b.getBrokerAddrs().get(MixAll.MASTER_ID))).findFirst().orElseThrow().getBrokerName();
        for (int g = 0; g < groups; g++) {
            admin.updateConsumeOffset(master, group(instance, g), new MessageQueue(topic(instance, g % topics), brokerName, 0), 0);
        }
    }

    /** One tag on every topic of the instance, through the bridge (the tags live in the topics' records). */
    void tagTopics(String instance, int topics) throws Exception {
        for (int from = 0; from < topics; from += TAG_BATCH) {
            List<String> ids = new ArrayList<>();
            for (int t = from; t < Math.min(topics, from + TAG_BATCH); t++) {
                ids.add(userTopic(t));
            }
            TagResourcesRequest request = new TagResourcesRequest().setResourceType("TOPIC").setInstanceId(instance).setResourceId(ids)
                    .setTag(List.of(new TagResourcesRequest.TagResourcesRequestTag().setKey("team").setValue("scale")));
            for (int attempt = 1; ; attempt++) {
                try {
                    tea.tagResources(request);
                    break;
                } catch (com.aliyun.tea.TeaException e) {
                    // A loaded broker answers "busy" (ServiceUnavailable) now and then; this is set-up, so it is asked again.
                    if (attempt == 5 || !String.valueOf(e.getMessage()).contains("busy")) {
                        throw e;
                    }
                    Thread.sleep(200L * attempt);
                }
            }
        }
    }

    static String userTopic(int t) {
        return String.format("T%05d", t);
    }

    private static String topic(String instance, int t) {
        return instance + "%" + userTopic(t);
    }

    private static String group(String instance, int g) {
        return String.format("%s%%GID_G%05d", instance, g);
    }
}
