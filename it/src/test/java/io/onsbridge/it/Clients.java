package io.onsbridge.it;

import java.util.UUID;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;

/** RocketMQ clients as an application of an instance makes them: namespace = instance ID, message trace on. */
final class Clients {
    private Clients() {
    }

    static DefaultMQProducer producer(Bridge bridge, String instanceId, String group) throws MQClientException {
        return producer(bridge.cluster.namesrvAddr(), instanceId, group);
    }

    static DefaultMQProducer producer(String namesrvAddr, String instanceId, String group) throws MQClientException {
        DefaultMQProducer producer = new DefaultMQProducer(instanceId, group, null, true, null);
        producer.setNamesrvAddr(namesrvAddr);
        producer.setInstanceName("it-producer-" + UUID.randomUUID());
        producer.start();
        return producer;
    }

    /** Not started: the caller subscribes and registers a listener first. */
    static DefaultMQPushConsumer consumer(Bridge bridge, String instanceId, String group) {
        return consumer(bridge.cluster.namesrvAddr(), instanceId, group);
    }

    static DefaultMQPushConsumer consumer(String namesrvAddr, String instanceId, String group) {
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(instanceId, group, null, new AllocateMessageQueueAveragely(), true, null);
        consumer.setNamesrvAddr(namesrvAddr);
        consumer.setInstanceName("it-consumer-" + UUID.randomUUID());
        // A RocketMQ 5 consumer bumps its subscription version on every rebalance and tells the broker in a
        // heartbeat that it skips when another heartbeat holds the lock; the broker then refuses its pulls
        // ("subscription is not latest") until the next heartbeat, 30 s later by default. Seen twice in CI
        // as a first delivery that took 30 s. Heartbeats every 2 s bound that stall; the bridge is not involved.
        consumer.setHeartbeatBrokerInterval(2_000);
        return consumer;
    }
}
