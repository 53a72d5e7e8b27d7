package io.onsbridge.backend;

import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Topic and consume stats asked of each broker of the route and summed, for RocketMQ 4 brokers. The 5.x
 * admin client's cluster-wide calls also ask every broker for the topic's config (GET_TOPIC_CONFIG, to map
 * 5.x static topics), a request RocketMQ 4 answers "not supported"; static topics do not exist there, so
 * the per-broker figures are the whole answer.
 */
final class PerBrokerStats {
    private PerBrokerStats() {
    }

    /** The cluster answered "request type not supported": a broker older than the admin client. */
    static boolean olderBroker(ClusterException e) {
        return e.kind() == ClusterException.Kind.REJECTED && e.responseCode() == ResponseCode.REQUEST_CODE_NOT_SUPPORTED;
    }

    static TopicStatsTable topicStats(DefaultMQAdminExt admin, String topic) throws Exception {
        TopicStatsTable all = new TopicStatsTable();
        for (BrokerData broker : admin.examineTopicRouteInfo(topic).getBrokerDatas()) {
            String addr = broker.selectBrokerAddr();
            if (addr != null) {
                all.getOffsetTable().putAll(admin.examineTopicStats(addr, topic).getOffsetTable());
            }
        }
        return all;
    }

    /** Like the 5.x call: the brokers are those of the group's retry topic; none there means no offsets. */
    static ConsumeStats consumeStats(DefaultMQAdminExt admin, String group, long timeoutMillis) throws Exception {
        ConsumeStats all = new ConsumeStats();
        for (BrokerData broker : admin.examineTopicRouteInfo(MixAll.getRetryTopic(group)).getBrokerDatas()) {
            String addr = broker.selectBrokerAddr();
            if (addr != null) {
                ConsumeStats stats = admin.examineConsumeStats(addr, group, null, timeoutMillis);
                all.getOffsetTable().putAll(stats.getOffsetTable());
                all.setConsumeTps(all.getConsumeTps() + stats.getConsumeTps());
            }
        }
        if (all.getOffsetTable().isEmpty()) {
            throw new MQClientException(ResponseCode.CONSUMER_NOT_ONLINE, "no consume offsets of " + group);
        }
        return all;
    }
}
