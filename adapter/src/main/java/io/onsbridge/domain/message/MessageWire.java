package io.onsbridge.domain.message;

import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    public static WireObject of(StoredMessage message, InstanceRecord instance, boolean bareProperties, boolean withBody) {
        return of(message, message.topic(), instance, bareProperties, withBody);
    }

    /** @param brokerTopic the topic to show: a dead letter shows the topic it was first sent to */
    public static WireObject of(StoredMessage message, String brokerTopic, InstanceRecord instance, boolean bareProperties,
                                boolean withBody) {
        List<WireObject> properties = new ArrayList<>();
        properties(message, instance).forEach((name, value) -> properties.add(WireObject.of().with("Name", name).with("Value", value)));
        return WireObject.of()
                .with("MsgId", message.uniqueId())
                .with("OffsetId", message.offsetId())
                .with("InstanceId", instance.instanceId())
                .with("Topic", InstanceRecord.userName(brokerTopic))
                .with("BornHost", message.bornHost())
                .with("BornTimestamp", message.bornTimestamp())
                .with("StoreHost", message.storeHost())
                .with("StoreTimestamp", message.storeTimestamp())
                .with("StoreSize", message.storeSize())
                .with("BodyCRC", message.bodyCrc())
                .with("ReconsumeTimes", message.reconsumeTimes())
                .with("Flag", message.flag())
                .with("Body", withBody && message.body() != null ? Base64.getEncoder().encodeToString(message.body()) : null)
                .with("PropertyList", bareProperties ? WireList.bare("MessageProperty", properties)
                        : WireList.wrapped("MessageProperty", properties));
    }

    static Map<String, String> properties(StoredMessage message, InstanceRecord instance) {
        Map<String, String> properties = new TreeMap<>(message.properties());
        properties.putIfAbsent(MessageProperties.INSTANCE_ID, instance.instanceId());
        return properties;
    }
}
