package io.onsbridge.cluster.rocketmq;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.common.utils.NetworkUtil;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * What RocketMQ 4 brokers need from the 5.x admin client. (Topic and consume stats need nothing: the bridge
 * asks each master for its own figures, which RocketMQ 4 answers as 5 does; the 5.x client's cluster-wide calls
 * also ask for the topic's config, request 351, which 4.9 answers "not supported".)
 * <ul>
 * <li>Which brokers are older than 5 (their time search answers the nearest message, not the first at or
 * after the time): asked once per broker name, by a request only RocketMQ 5 knows (GET_TOPIC_CONFIG of
 * SELF_TEST_TOPIC, which every broker creates). Not the version in the runtime stats: a RocketMQ 4.9
 * broker answers those with an error for its first seconds (an empty snapshot list).</li>
 * </ul>
 */
final class OlderBrokers {
    private static final int MAX_REMEMBERED_BROKERS = 1_024;
    private final Map<String, Boolean> older = new ConcurrentHashMap<>();

    boolean isOlderThan5(DefaultMQAdminExt admin, String brokerName) throws Exception {
        Boolean known = older.get(brokerName);
        if (known != null) {
            return known;
        }
        BrokerData broker = admin.examineBrokerClusterInfo().getBrokerAddrTable().get(brokerName);
        String addr = broker == null ? null : broker.selectBrokerAddr();
        if (addr == null) {
            return false; // not there now: ask again next time
        }
        boolean answer;
        try {
            admin.examineTopicConfig(addr, TopicValidator.RMQ_SYS_SELF_TEST_TOPIC);
            answer = false;
        } catch (MQBrokerException e) {
            // Any answer but "not supported" comes from a broker that knows the request.
            answer = e.getResponseCode() == ResponseCode.REQUEST_CODE_NOT_SUPPORTED;
        }
        if (older.size() >= MAX_REMEMBERED_BROKERS) {
            older.clear();
        }
        older.put(brokerName, answer);
        return answer;
    }

    /**
     * Whether the group has consumed the message, the way the 5.x client's message track decides it (its
     * consume offset on the message's queue is past the message), from figures RocketMQ 4 can give.
     */
    static boolean consumed(ClusterAdmin cluster, Optional<ConsumeStats> stats, MessageExt message) {
        if (stats.isEmpty()) {
            return false;
        }
        var brokers = cluster.brokers();
        String storeHost = NetworkUtil.socketAddress2String(message.getStoreHost());
        for (var entry : stats.get().getOffsetTable().entrySet()) {
            MessageQueue queue = entry.getKey();
            BrokerData broker = brokers.get(queue.getBrokerName());
            if (queue.getTopic().equals(message.getTopic()) && queue.getQueueId() == message.getQueueId() && broker != null
                    && storeHost.equals(NetworkUtil.convert2IpString(broker.getBrokerAddrs().get(MixAll.MASTER_ID)))) {
                return entry.getValue().getConsumerOffset() > message.getQueueOffset();
            }
        }
        return false;
    }
}
