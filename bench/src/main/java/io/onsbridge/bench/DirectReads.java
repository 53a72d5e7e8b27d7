package io.onsbridge.bench;

import java.util.HashSet;
import java.util.Set;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** The baselines' reads: what a user of MQAdminExt does to get the answers the bridge gives. */
final class DirectReads {
    private DirectReads() {
    }

    /** Every topic of every master, as a user of MQAdminExt lists them: the masters first, then their tables. */
    static Set<String> allTopicConfigs(DefaultMQAdminExt admin) throws Exception {
        Set<String> topics = new HashSet<>();
        for (BrokerData broker : admin.examineBrokerClusterInfo().getBrokerAddrTable().values()) {
            String master = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
            topics.addAll(admin.getAllTopicConfig(master, 5_000).getTopicConfigTable().keySet());
        }
        return topics;
    }

    static boolean online(DefaultMQAdminExt admin, String group) throws Exception {
        try {
            return !admin.examineConsumerConnectionInfo(group).getConnectionSet().isEmpty();
        } catch (MQBrokerException e) {
            if (e.getResponseCode() == ResponseCode.CONSUMER_NOT_ONLINE) {
                return false;
            }
            throw e;
        }
    }

    /** A benchmark's answers are checked, so that a fast wrong answer is not measured. */
    static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected answer: expected " + what);
        }
    }
}
