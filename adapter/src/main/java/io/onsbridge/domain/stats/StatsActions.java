package io.onsbridge.domain.stats;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.util.List;

/**
 * The statistics curves of stats.md. Topic input is exact, counted from the store by time
 * ({@link TopicInput}); group output comes from the consumer-offset samples the bridge keeps in the
 * cluster ({@link ConsumerSampler}), so it is true to within one sampling interval.
 */
public final class StatsActions {
    /** How far before the first bucket to look for the sample that gives the offset at its start. */
    private static final int LOOKBACK_INTERVALS = 10;

    private final Instances instances;
    private final Topics topics;
    private final Groups groups;
    private final TopicInput input;
    private final ConsumerSampler sampler;

    public StatsActions(Instances instances, Topics topics, Groups groups, Cluster cluster, ConsumerSampler sampler) {
        this.instances = instances;
        this.topics = topics;
        this.groups = groups;
        this.input = new TopicInput(cluster.offsets());
        this.sampler = sampler;
    }

    public WireObject onsTrendTopicInputTps(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        int type = request.requiredInt("Type", 0, 1);
        Buckets buckets = Buckets.of(request);
        long[] counts = input.counts(topic.brokerName(), buckets);
        String title = instance.instanceId() + "%" + topic.name() + " 接收 " + (type == 0 ? "总量" : "TPS") + " 趋势图";
        return buckets.curve(title, type == 0 ? "msg" : "msg/s", counts, type);
    }

    public WireObject onsTrendGroupOutputTps(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        int type = request.requiredInt("Type", 0, 1);
        Buckets buckets = Buckets.of(request);
        long lookback = LOOKBACK_INTERVALS * sampler.interval().toMillis();
        List<SampledCounts.Sample> samples = sampler.samples(group.brokerName(), topic.brokerName(),
                buckets.start(0) - lookback, buckets.start(buckets.count()));
        long[] counts = SampledCounts.counts(samples, buckets.boundaries());
        String title = instance.instanceId() + "%" + topic.name() + "@" + instance.instanceId() + "%" + group.groupId()
                + " 投递 " + (type == 0 ? "总量" : "TPS") + " 趋势图";
        return buckets.curve(title, type == 0 ? "数量" : "msg/s", counts, type);
    }
}
