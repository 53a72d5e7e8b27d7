package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/** RocketMQ's value types to the port's and back: the one place they are converted. */
final class Values {
    private Values() {
    }

    static Queue queue(MessageQueue queue) {
        return new Queue(queue.getTopic(), queue.getBrokerName(), queue.getQueueId());
    }

    static MessageQueue messageQueue(Queue queue) {
        return new MessageQueue(queue.topic(), queue.broker(), queue.queueId());
    }

    static StoredMessage stored(MessageExt m) {
        Map<String, String> properties = m.getProperties() == null ? Map.of() : m.getProperties();
        return new StoredMessage(m.getTopic(), m.getBrokerName(), m.getQueueId(), m.getQueueOffset(), m.getCommitLogOffset(),
                uniqueId(m), offsetId(m), host(m.getBornHost()), m.getBornTimestamp(), host(m.getStoreHost()), m.getStoreTimestamp(),
                m.getStoreSize(), m.getBodyCRC(), m.getReconsumeTimes(), m.getFlag(), m.getBody(), properties);
    }

    /** What RocketMQ's message track reads of a message: where it is stored, its tags and properties. */
    static MessageExt messageExt(StoredMessage m) {
        MessageExt ext = new MessageExt();
        ext.setTopic(m.topic());
        ext.setBrokerName(m.broker());
        ext.setQueueId(m.queueId());
        ext.setQueueOffset(m.queueOffset());
        ext.setCommitLogOffset(m.commitLogOffset());
        ext.setStoreHost(address(m.storeHost()));
        ext.setBornHost(address(m.bornHost()));
        ext.setStoreTimestamp(m.storeTimestamp());
        ext.setBornTimestamp(m.bornTimestamp());
        ext.setBody(m.body());
        ext.setFlag(m.flag());
        m.properties().forEach((name, value) -> MessageAccessor.putProperty(ext, name, value));
        ext.setMsgId(m.offsetId());
        return ext;
    }

    /** The id ONS shows: UNIQ_KEY where the producer set one, else the broker's offset id. */
    static String uniqueId(MessageExt message) {
        String unique = message.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
        return unique != null ? unique : offsetId(message);
    }

    static String offsetId(MessageExt message) {
        return MessageDecoder.createMessageId(message.getStoreHost(), message.getCommitLogOffset());
    }

    static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? null : address.toString();
    }

    private static InetSocketAddress address(String host) {
        if (host == null || host.lastIndexOf(':') < 0) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        return new InetSocketAddress(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)));
    }
}
