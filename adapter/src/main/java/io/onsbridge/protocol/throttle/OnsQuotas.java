package io.onsbridge.protocol.throttle;

import java.util.Map;

/**
 * ONS's own per-account limits for the 2019-02-14 API, as Alibaba's quota page lists them today
 * ("API rate quotas", api-ons-2019-02-14-quota: N calls per window, dimension region + API + parent
 * account); where that page is silent, the older "API rate limits" page (calls per second per user)
 * and the action's own reference page. Every row and its source is in docs/throttling.md; actions
 * listed nowhere (OnsMessageDetail, OnsWarnCreate, OnsWarnDelete) are not limited.
 */
final class OnsQuotas {
    private OnsQuotas() {
    }

    static final Map<String, Quota> LIMITS = Map.ofEntries(
            // quota page
            Map.entry("OpenOnsService", Quota.perSecond(10)),
            Map.entry("OnsInstanceBaseInfo", Quota.perMinute(3000)),
            Map.entry("OnsInstanceInServiceList", Quota.perMinute(3000)),
            Map.entry("OnsInstanceUpdate", Quota.perMinute(600)),
            Map.entry("OnsInstanceDelete", Quota.perMinute(600)),
            Map.entry("OnsTopicCreate", Quota.perSecond(10)),
            Map.entry("OnsTopicDelete", Quota.perSecond(10)),
            Map.entry("OnsTopicList", Quota.perMinute(600)),
            Map.entry("OnsTopicSubDetail", Quota.perMinute(600)),
            Map.entry("OnsGroupDelete", Quota.perSecond(10)),
            Map.entry("OnsGroupSubDetail", Quota.perMinute(600)),
            Map.entry("TagResources", Quota.perMinute(300)),
            Map.entry("ListTagResources", Quota.perMinute(600)),
            Map.entry("UntagResources", Quota.perMinute(600)),
            Map.entry("OnsConsumerAccumulate", Quota.perSecond(10)),
            Map.entry("OnsConsumerStatus", Quota.perSecond(10)),
            Map.entry("OnsConsumerTimeSpan", Quota.perSecond(10)),
            Map.entry("OnsMessagePush", Quota.perMinute(600)),
            Map.entry("OnsMessageTrace", Quota.perSecond(10)),
            Map.entry("OnsMessageGetByMsgId", Quota.perSecond(10)),
            Map.entry("OnsMessageGetByKey", Quota.perSecond(10)),
            Map.entry("OnsMessagePageQueryByTopic", Quota.perMinute(10)),
            Map.entry("OnsDLQMessageGetById", Quota.perMinute(600)),
            Map.entry("OnsDLQMessagePageQueryByGroupId", Quota.perMinute(600)),
            Map.entry("OnsDLQMessageResendById", Quota.perMinute(600)),
            Map.entry("OnsTrendTopicInputTps", Quota.perMinute(15)),
            Map.entry("OnsTrendGroupOutputTps", Quota.perMinute(15)),
            Map.entry("OnsTraceQueryByMsgKey", Quota.perMinute(30)),
            Map.entry("OnsTraceGetResult", Quota.perSecond(10)),
            // the "API rate limits" page (per second per user)
            Map.entry("OnsRegionList", Quota.perSecond(50)),
            Map.entry("OnsInstanceCreate", Quota.perSecond(10)),
            Map.entry("OnsTopicStatus", Quota.perSecond(1)),
            Map.entry("OnsTopicUpdate", Quota.perSecond(10)),
            Map.entry("OnsGroupCreate", Quota.perSecond(10)),
            Map.entry("OnsGroupList", Quota.perSecond(10)),
            Map.entry("OnsGroupConsumerUpdate", Quota.perSecond(10)),
            Map.entry("OnsConsumerGetConnection", Quota.perSecond(10)),
            Map.entry("OnsConsumerResetOffset", Quota.perSecond(10)),
            // the action's own page ("up to 30 times per minute")
            Map.entry("OnsTraceQueryByMsgId", Quota.perMinute(30)),
            // ApsaraMQ for MQTT's limits page: 500 calls per second per account
            Map.entry("QueryMqttTraceDevice", Quota.perSecond(500)));
}
