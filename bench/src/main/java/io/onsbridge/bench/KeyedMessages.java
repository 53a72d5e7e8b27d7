package io.onsbridge.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** The read benchmarks' set-up: messages with keys K0, K1, … on a topic, and a group some messages behind. */
final class KeyedMessages {
    private KeyedMessages() {
    }

    /** Sends {@code count} 100-byte messages with tag TagA and keys K0 … K(count-1), in batches of 100. */
    static void send(String namesrvAddr, String instance, String topic, String producerGroup, int count) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(instance, producerGroup, null, false, null);
        producer.setNamesrvAddr(namesrvAddr);
        producer.setInstanceName(producerGroup + "-" + System.nanoTime());
        producer.start();
        try {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(new Message(topic, "TagA", "K" + i, new byte[100]));
                if (batch.size() == 100) {
                    producer.send(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                producer.send(batch);
            }
        } finally {
            producer.shutdown();
        }
    }

    /**
     * {@link #commitOffsets(DefaultMQAdminExt, String, String, int)} once the broker counts all {@code sent} messages of the
     * topic in its queues: a send returns when the message is in the commit log, and its queue is written a moment later.
     */
    static long commitOffsets(DefaultMQAdminExt admin, String topic, String group, int behind, long sent) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (queued(admin, topic) != sent) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " holds " + queued(admin, topic) + " messages 30 s after " + sent + " were sent");
            }
            Thread.onSpinWait();
        }
        return commitOffsets(admin, topic, group, behind);
    }

    private static long queued(DefaultMQAdminExt admin, String topic) throws Exception {
        return admin.examineTopicStats(topic).getOffsetTable().values().stream().mapToLong(o -> o.getMaxOffset() - o.getMinOffset()).sum();
    }

    /** The group's offset on every queue of the topic, {@code behind} messages before its end; returns the backlog. */
    static long commitOffsets(DefaultMQAdminExt admin, String topic, String group, int behind) throws Exception {
        long backlog = 0;
        for (var queue : admin.examineTopicStats(topic).getOffsetTable().entrySet()) {
            MessageQueue mq = queue.getKey();
            TopicOffset offsets = queue.getValue();
            long offset = Math.max(offsets.getMinOffset(), offsets.getMaxOffset() - behind);
            String brokerAddr = admin.examineBrokerClusterInfo().getBrokerAddrTable().get(mq.getBrokerName()).selectBrokerAddr();
            admin.updateConsumeOffset(brokerAddr, group, mq, offset);
            backlog += offsets.getMaxOffset() - offset;
        }
        return backlog;
    }
}
