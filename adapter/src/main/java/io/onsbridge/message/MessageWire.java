package io.onsbridge.message;

import io.onsbridge.backend.MessageClient;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * A stored message as ONS shows it ({@code OnsRestMessageDo}, message.md): the id ONS knows (UNIQ_KEY),
 * the topic without the namespace, hosts as host:port, and the message's properties as stored, with
 * INSTANCE_ID always present. Properties naming topics (RETRY_TOPIC, REAL_TOPIC) keep the namespace, as
 * ONS's own dead-letter sample shows {@code RETRY_TOPIC = {InstanceId}%{topic}} (dlq.md). Used by the
 * message and dead-letter actions alike.
 */
public final class MessageWire {
    private MessageWire() {
    }

    /** The fields of every message answer; the body only where the action returns it. */
    public static WireObject of(MessageExt message, InstanceRecord instance, boolean bareProperties, boolean withBody) {
        return of(message, message.getTopic(), instance, bareProperties, withBody);
    }

    /** @param brokerTopic the topic to show: a dead letter shows the topic it was first sent to */
    public static WireObject of(MessageExt message, String brokerTopic, InstanceRecord instance, boolean bareProperties,
                                boolean withBody) {
        List<WireObject> properties = new ArrayList<>();
        properties(message, instance).forEach((name, value) -> properties.add(WireObject.of().with("Name", name).with("Value", value)));
        return WireObject.of()
                .with("MsgId", MessageClient.uniqueId(message))
                .with("OffsetId", MessageClient.offsetId(message))
                .with("InstanceId", instance.instanceId())
                .with("Topic", InstanceRecord.userName(brokerTopic))
                .with("BornHost", host(message.getBornHost()))
                .with("BornTimestamp", message.getBornTimestamp())
                .with("StoreHost", host(message.getStoreHost()))
                .with("StoreTimestamp", message.getStoreTimestamp())
                .with("StoreSize", message.getStoreSize())
                .with("BodyCRC", message.getBodyCRC())
                .with("ReconsumeTimes", message.getReconsumeTimes())
                .with("Flag", message.getFlag())
                .with("Body", withBody && message.getBody() != null ? Base64.getEncoder().encodeToString(message.getBody()) : null)
                .with("PropertyList", bareProperties ? WireList.bare("MessageProperty", properties)
                        : WireList.wrapped("MessageProperty", properties));
    }

    static Map<String, String> properties(MessageExt message, InstanceRecord instance) {
        Map<String, String> properties = new TreeMap<>(message.getProperties());
        properties.putIfAbsent(MessageConst.PROPERTY_INSTANCE_ID, instance.instanceId());
        return properties;
    }

    static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? null : address.toString();
    }
}
