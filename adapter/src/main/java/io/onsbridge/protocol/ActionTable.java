package io.onsbridge.protocol;

import io.onsbridge.domain.ClusterFailures;
import io.onsbridge.domain.alarm.AlarmActions;
import io.onsbridge.domain.consumer.ConsumerActions;
import io.onsbridge.domain.dlq.DlqActions;
import io.onsbridge.domain.group.GroupActions;
import io.onsbridge.domain.instance.InstanceActions;
import io.onsbridge.domain.message.MessageActions;
import io.onsbridge.domain.region.RegionActions;
import io.onsbridge.domain.service.ServiceActions;
import io.onsbridge.domain.stats.StatsActions;
import io.onsbridge.domain.tag.TagActions;
import io.onsbridge.domain.topic.TopicActions;
import io.onsbridge.domain.trace.TraceActions;

/** Every action the bridge serves, by its exact Action name: the one dispatch table. */
public final class ActionTable {
    private static final String ONS_VERSION = ActionRegistry.ONS_VERSION;

    private ActionTable() {
    }

    public static ActionRegistry build(ServiceActions service, RegionActions region, InstanceActions instance,
                                       TopicActions topic, GroupActions group, TagActions tag, MessageActions message, DlqActions dlq,
                                       ConsumerActions consumer, TraceActions trace, StatsActions stats, AlarmActions alarm) {
        ActionRegistry registry = new ActionRegistry();
        registry.register(ONS_VERSION, "OpenOnsService", guarded(service::openOnsService))
                .register(ONS_VERSION, "OnsRegionList", guarded(region::onsRegionList))
                .register(ONS_VERSION, "OnsInstanceCreate", guarded(instance::onsInstanceCreate))
                .register(ONS_VERSION, "OnsInstanceBaseInfo", guarded(instance::onsInstanceBaseInfo))
                .register(ONS_VERSION, "OnsInstanceDelete", guarded(instance::onsInstanceDelete))
                .register(ONS_VERSION, "OnsInstanceUpdate", guarded(instance::onsInstanceUpdate))
                .register(ONS_VERSION, "OnsInstanceInServiceList", guarded(instance::onsInstanceInServiceList))
                .register(ONS_VERSION, "OnsTopicCreate", guarded(topic::onsTopicCreate))
                .register(ONS_VERSION, "OnsTopicDelete", guarded(topic::onsTopicDelete))
                .register(ONS_VERSION, "OnsTopicStatus", guarded(topic::onsTopicStatus))
                .register(ONS_VERSION, "OnsTopicList", guarded(topic::onsTopicList))
                .register(ONS_VERSION, "OnsTopicUpdate", guarded(topic::onsTopicUpdate))
                .register(ONS_VERSION, "OnsTopicSubDetail", guarded(topic::onsTopicSubDetail))
                .register(ONS_VERSION, "OnsGroupCreate", guarded(group::onsGroupCreate))
                .register(ONS_VERSION, "OnsGroupDelete", guarded(group::onsGroupDelete))
                .register(ONS_VERSION, "OnsGroupList", guarded(group::onsGroupList))
                .register(ONS_VERSION, "OnsGroupSubDetail", guarded(group::onsGroupSubDetail))
                .register(ONS_VERSION, "OnsGroupConsumerUpdate", guarded(group::onsGroupConsumerUpdate))
                .register(ONS_VERSION, "TagResources", guarded(tag::tagResources))
                .register(ONS_VERSION, "ListTagResources", guarded(tag::listTagResources))
                .register(ONS_VERSION, "UntagResources", guarded(tag::untagResources))
                .register(ONS_VERSION, "OnsMessageTrace", guarded(message::onsMessageTrace))
                .register(ONS_VERSION, "OnsMessageGetByMsgId", guarded(message::onsMessageGetByMsgId))
                .register(ONS_VERSION, "OnsMessageGetByKey", guarded(message::onsMessageGetByKey))
                .register(ONS_VERSION, "OnsMessagePageQueryByTopic", guarded(message::onsMessagePageQueryByTopic))
                .register(ONS_VERSION, "OnsMessageDetail", guarded(message::onsMessageDetail))
                .register(ONS_VERSION, "OnsMessageSend", guarded(message::onsMessageSend))
                .register(ONS_VERSION, "OnsDLQMessageGetById", guarded(dlq::onsDLQMessageGetById))
                .register(ONS_VERSION, "OnsDLQMessagePageQueryByGroupId", guarded(dlq::onsDLQMessagePageQueryByGroupId))
                .register(ONS_VERSION, "OnsDLQMessageResendById", guarded(dlq::onsDLQMessageResendById))
                .register(ONS_VERSION, "OnsConsumerAccumulate", guarded(consumer::onsConsumerAccumulate))
                .register(ONS_VERSION, "OnsConsumerStatus", guarded(consumer::onsConsumerStatus))
                .register(ONS_VERSION, "OnsConsumerGetConnection", guarded(consumer::onsConsumerGetConnection))
                .register(ONS_VERSION, "OnsConsumerResetOffset", guarded(consumer::onsConsumerResetOffset))
                .register(ONS_VERSION, "OnsConsumerTimeSpan", guarded(consumer::onsConsumerTimeSpan))
                .register(ONS_VERSION, "OnsMessagePush", guarded(consumer::onsMessagePush))
                .register(ONS_VERSION, "OnsTraceQueryByMsgId", guarded(trace::onsTraceQueryByMsgId))
                .register(ONS_VERSION, "OnsTraceQueryByMsgKey", guarded(trace::onsTraceQueryByMsgKey))
                .register(ONS_VERSION, "OnsTraceGetResult", guarded(trace::onsTraceGetResult))
                .register(ONS_VERSION, "OnsTrendTopicInputTps", guarded(stats::onsTrendTopicInputTps))
                .register(ONS_VERSION, "OnsTrendGroupOutputTps", guarded(stats::onsTrendGroupOutputTps))
                .register(ONS_VERSION, "OnsWarnCreate", guarded(alarm::onsWarnCreate))
                .register(ONS_VERSION, "OnsWarnDelete", guarded(alarm::onsWarnDelete));
        return registry;
    }

    /** Every action runs inside the domain's one translation of cluster failures into ONS errors. */
    private static OnsAction guarded(OnsAction action) {
        return params -> ClusterFailures.guarded(() -> action.handle(params));
    }
}
