package io.onsbridge.group;

import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;

/** One group of an instance as the brokers hold it, with its metadata record. */
public record GroupView(String brokerName, String groupId, SubscriptionGroupConfig config, GroupRecord record) {
}
