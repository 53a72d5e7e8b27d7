package io.onsbridge.protocol;

import io.onsbridge.domain.ClusterFailures;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.alarm.AlarmActions;
import io.onsbridge.domain.consumer.ConsumerActions;
import io.onsbridge.domain.dlq.DlqActions;
import io.onsbridge.domain.group.GroupActions;
import io.onsbridge.domain.instance.InstanceActions;
import io.onsbridge.domain.message.MessageActions;
import io.onsbridge.domain.mqtt.MqttActions;
import io.onsbridge.domain.region.RegionActions;
import io.onsbridge.domain.service.ServiceActions;
import io.onsbridge.domain.stats.StatsActions;
import io.onsbridge.domain.tag.TagActions;
import io.onsbridge.domain.topic.TopicActions;
import io.onsbridge.domain.trace.TraceActions;
import io.onsbridge.protocol.access.AccessRule;
import io.onsbridge.protocol.access.ListFilter;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Every action the bridge serves, by its exact Action name: the one dispatch table. Each comes with its
 * {@link AccessRule}: the RAM action and resource access policies must allow (docs/access.md has the table).
 */
public final class ActionTable {
    private static final String ONS_VERSION = ActionRegistry.ONS_VERSION;
    private static final String MQTT_VERSION = ActionRegistry.ONS_MQTT_VERSION;

    private ActionTable() {
    }

    public static ActionRegistry build(ServiceActions service, RegionActions region, InstanceActions instance,
                                       TopicActions topic, GroupActions group, TagActions tag, MessageActions message, DlqActions dlq,
                                       ConsumerActions consumer, TraceActions trace, StatsActions stats, AlarmActions alarm,
                                       MqttActions mqtt) {
        ActionRegistry registry = new ActionRegistry();
        registry.register(ONS_VERSION, "OpenOnsService", guarded(service::openOnsService),
                        AccessRule.all("mq:OpenOnsService"))
                .register(ONS_VERSION, "OnsRegionList", guarded(region::onsRegionList),
                        AccessRule.all("mq:ListRegion"))
                .register(ONS_VERSION, "OnsInstanceCreate", guarded(instance::onsInstanceCreate),
                        AccessRule.all("mq:CreateInstance"))
                .register(ONS_VERSION, "OnsInstanceBaseInfo", guarded(instance::onsInstanceBaseInfo),
                        AccessRule.instance("mq:QueryInstanceBaseInfo"))
                .register(ONS_VERSION, "OnsInstanceDelete", guarded(instance::onsInstanceDelete),
                        AccessRule.instance("mq:DeleteInstance"))
                .register(ONS_VERSION, "OnsInstanceUpdate", guarded(instance::onsInstanceUpdate),
                        AccessRule.instance("mq:UpdateInstance"))
                .register(ONS_VERSION, "OnsInstanceInServiceList", guarded(instance::onsInstanceInServiceList),
                        AccessRule.listedBy("mq:QueryInstanceBaseInfo", ListFilter.INSTANCES))
                .register(ONS_VERSION, "OnsTopicCreate", guarded(topic::onsTopicCreate),
                        AccessRule.topic("mq:CreateTopic"))
                .register(ONS_VERSION, "OnsTopicDelete", guarded(topic::onsTopicDelete),
                        AccessRule.topic("mq:DeleteTopic"))
                .register(ONS_VERSION, "OnsTopicStatus", guarded(topic::onsTopicStatus),
                        AccessRule.topic("mq:QueryTopicStatus"))
                .register(ONS_VERSION, "OnsTopicList", guarded(topic::onsTopicList),
                        AccessRule.instance("mq:ListTopic").listing(ListFilter.TOPICS))
                .register(ONS_VERSION, "OnsTopicUpdate", guarded(topic::onsTopicUpdate),
                        AccessRule.topic("mq:UpdateTopic"))
                .register(ONS_VERSION, "OnsTopicSubDetail", guarded(topic::onsTopicSubDetail),
                        AccessRule.topic("mq:QueryTopicSubDetail"))
                .register(ONS_VERSION, "OnsGroupCreate", guarded(group::onsGroupCreate),
                        AccessRule.group("mq:CreateGroup"))
                .register(ONS_VERSION, "OnsGroupDelete", guarded(group::onsGroupDelete),
                        AccessRule.group("mq:DeleteGroup"))
                .register(ONS_VERSION, "OnsGroupList", guarded(group::onsGroupList),
                        AccessRule.instance("mq:ListGroup").listing(ListFilter.GROUPS))
                .register(ONS_VERSION, "OnsGroupSubDetail", guarded(group::onsGroupSubDetail),
                        AccessRule.group("mq:QueryGroupSubDetail"))
                .register(ONS_VERSION, "OnsGroupConsumerUpdate", guarded(group::onsGroupConsumerUpdate),
                        AccessRule.group("mq:UpdateGroupConsumer"))
                .register(ONS_VERSION, "TagResources", guarded(tag::tagResources),
                        AccessRule.tagged("mq:TagResources"))
                .register(ONS_VERSION, "ListTagResources", guarded(tag::listTagResources),
                        AccessRule.all("mq:ListTagResources").listing(ListFilter.TAG_RESOURCES))
                .register(ONS_VERSION, "UntagResources", guarded(tag::untagResources),
                        AccessRule.tagged("mq:UntagResources"))
                .register(ONS_VERSION, "OnsMessageTrace", guarded(message::onsMessageTrace),
                        AccessRule.topic("mq:QueryMessageTrace"))
                .register(ONS_VERSION, "OnsMessageGetByMsgId", guarded(message::onsMessageGetByMsgId),
                        AccessRule.topic("mq:QueryMessage"))
                .register(ONS_VERSION, "OnsMessageGetByKey",
                        guardedAsync(message::onsMessageGetByKey, message::onsMessageGetByKeyWithoutBlocking),
                        AccessRule.topic("mq:QueryMessage"))
                .register(ONS_VERSION, "OnsMessagePageQueryByTopic", guarded(message::onsMessagePageQueryByTopic),
                        AccessRule.topic("mq:QueryMessage"))
                .register(ONS_VERSION, "OnsMessageDetail", guarded(message::onsMessageDetail),
                        AccessRule.topic("mq:QueryMessage"))
                .register(ONS_VERSION, "OnsMessageSend", guarded(message::onsMessageSend),
                        AccessRule.topic("mq:PUB"))
                .register(ONS_VERSION, "OnsDLQMessageGetById", guarded(dlq::onsDLQMessageGetById),
                        AccessRule.group("mq:QueryDLQMessage"))
                .register(ONS_VERSION, "OnsDLQMessagePageQueryByGroupId", guarded(dlq::onsDLQMessagePageQueryByGroupId),
                        AccessRule.group("mq:QueryDLQMessage"))
                .register(ONS_VERSION, "OnsDLQMessageResendById", guarded(dlq::onsDLQMessageResendById),
                        AccessRule.group("mq:ResendDLQMessage"))
                .register(ONS_VERSION, "OnsConsumerAccumulate", guarded(consumer::onsConsumerAccumulate),
                        AccessRule.group("mq:QueryConsumerAccumulate"))
                .register(ONS_VERSION, "OnsConsumerStatus", guarded(consumer::onsConsumerStatus),
                        AccessRule.group("mq:QueryConsumerStatus"))
                .register(ONS_VERSION, "OnsConsumerGetConnection", guarded(consumer::onsConsumerGetConnection),
                        AccessRule.group("mq:QueryConsumerConnection"))
                .register(ONS_VERSION, "OnsConsumerResetOffset", guarded(consumer::onsConsumerResetOffset),
                        AccessRule.group("mq:ResetConsumerOffset"))
                .register(ONS_VERSION, "OnsConsumerTimeSpan", guarded(consumer::onsConsumerTimeSpan),
                        AccessRule.topic("mq:QueryConsumerTimeSpan"))
                .register(ONS_VERSION, "OnsMessagePush", guarded(consumer::onsMessagePush),
                        AccessRule.topic("mq:SUB"))
                .register(ONS_VERSION, "OnsTraceQueryByMsgId", guarded(trace::onsTraceQueryByMsgId),
                        AccessRule.topic("mq:QueryTrace"))
                .register(ONS_VERSION, "OnsTraceQueryByMsgKey", guarded(trace::onsTraceQueryByMsgKey),
                        AccessRule.topic("mq:QueryTrace"))
                .register(ONS_VERSION, "OnsTraceGetResult", guardedAsync(trace::onsTraceGetResult),
                        AccessRule.instanceIfGiven("mq:GetTraceResult"))
                .register(ONS_VERSION, "OnsTrendTopicInputTps", guarded(stats::onsTrendTopicInputTps),
                        AccessRule.topic("mq:QueryTrendTopicInputTps"))
                .register(ONS_VERSION, "OnsTrendGroupOutputTps", guarded(stats::onsTrendGroupOutputTps),
                        AccessRule.group("mq:QueryTrendGroupOutputTps"))
                .register(ONS_VERSION, "OnsWarnCreate", guarded(alarm::onsWarnCreate),
                        AccessRule.group("mq:CreateWarn"))
                .register(ONS_VERSION, "OnsWarnDelete", guarded(alarm::onsWarnDelete),
                        AccessRule.group("mq:DeleteWarn"))
                .register(ONS_VERSION, "OnsMqttGroupIdCreate", guarded(mqtt::onsMqttGroupIdCreate),
                        AccessRule.mqttInstance("mq:CreateMqttGroup"))
                .register(ONS_VERSION, "OnsMqttGroupIdDelete", guarded(mqtt::onsMqttGroupIdDelete),
                        AccessRule.mqttInstance("mq:DeleteMqttGroup"))
                .register(ONS_VERSION, "OnsMqttGroupIdList", guarded(mqtt::onsMqttGroupIdList),
                        AccessRule.mqttInstance("mq:ListMqttGroup"))
                .register(ONS_VERSION, "OnsMqttQueryClientByClientId", guarded(mqtt::onsMqttQueryClientByClientId),
                        AccessRule.mqttInstance("mq:QueryMqttClientByClientId"))
                .register(ONS_VERSION, "OnsMqttQueryClientByGroupId", guarded(mqtt::onsMqttQueryClientByGroupId),
                        AccessRule.mqttInstance("mq:QueryMqttClientByGroupId"))
                .register(ONS_VERSION, "OnsMqttQueryClientByTopic", guarded(mqtt::onsMqttQueryClientByTopic),
                        AccessRule.mqttInstance("mq:QueryMqttClientByTopic"))
                .register(ONS_VERSION, "OnsMqttQueryHistoryOnline", guarded(mqtt::onsMqttQueryHistoryOnline),
                        AccessRule.mqttInstance("mq:QueryMqttHistoryOnline"))
                .register(ONS_VERSION, "OnsMqttQueryMsgTransTrend", guarded(mqtt::onsMqttQueryMsgTransTrend),
                        AccessRule.mqttInstance("mq:QueryMqttMsgTransTrend"))
                .register(MQTT_VERSION, "QueryMqttTraceDevice", guarded(mqtt::queryMqttTraceDevice),
                        AccessRule.mqttInstance("mq:QueryMqttDeviceTrace"));
        return registry;
    }

    /** Every action runs inside the domain's one translation of cluster failures into ONS errors. */
    private static OnsAction guarded(OnsAction action) {
        return params -> ClusterFailures.guarded(() -> action.handle(params));
    }

    /** {@link #guarded} for an action answering as a future ({@link OnsAction#async}). */
    private static OnsAction guardedAsync(Function<Params, CompletableFuture<WireObject>> action) {
        return OnsAction.async(params -> ClusterFailures.guardedAsync(() -> action.apply(params)));
    }

    /** {@link #guardedAsync(Function)} with a start that does not block ({@link OnsAction#startWithoutBlocking}), guarded too. */
    private static OnsAction guardedAsync(Function<Params, CompletableFuture<WireObject>> action,
                                          Function<Params, CompletableFuture<WireObject>> withoutBlocking) {
        return OnsAction.async(params -> ClusterFailures.guardedAsync(() -> action.apply(params)),
                params -> ClusterFailures.guardedAsync(() -> withoutBlocking.apply(params)));
    }
}
