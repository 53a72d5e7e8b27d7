package io.onsbridge.domain.trace;

import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.tracecollector.MessageTrace;
import io.onsbridge.tracecollector.TraceEvent;
import java.util.List;
import java.util.stream.Stream;

/** The SDK shape of OnsTraceGetResult (trace.md): TraceData with wrapped TraceMapDo, SubMapDo, SubClientInfoDo lists. */
final class TraceWire {
    private TraceWire() {
    }

    static WireObject traceData(String queryId, TraceQuery query, TraceTasks.State state, String userId) {
        List<WireObject> traces = state.result().stream().map(found -> traceMap(found, query.topic())).toList();
        return WireObject.of()
                .with("QueryId", queryId)
                .with("Status", state.status().name())
                .with("CreateTime", query.createdAt())
                .with("UpdateTime", state.updatedAt())
                .with("InstanceId", query.instanceId())
                .with("Topic", query.topic())
                .with(query.byKey() ? "MsgKey" : "MsgId", query.value())
                .with("UserId", userId)
                .with("TraceList", WireList.wrapped("TraceMapDo", traces));
    }

    /**
     * One message. The send record wins; a producer without tracing still shows what the broker stored
     * (tag, keys, born time and host, producer group).
     */
    private static WireObject traceMap(TraceLookup.Found found, String topic) {
        StoredMessage message = found.located().message();
        MessageTrace trace = found.trace();
        TraceEvent pub = trace.pub();
        String group = pub != null ? pub.group() : InstanceRecord.userName(nonNull(message.property(MessageProperties.PRODUCER_GROUP)));
        return WireObject.of()
                .with("MsgId", trace.msgId())
                .with("MsgKey", pub != null ? pub.keys() : message.keys())
                .with("Tag", pub != null ? pub.tags() : message.tags())
                .with("Topic", topic)
                .with("Status", sendStatus(found))
                .with("PubTime", pub != null ? pub.timestamp() : message.bornTimestamp())
                .with("CostTime", pub != null ? pub.costTime() : 0)
                .with("PubGroupName", group)
                .with("BornHost", pub != null ? pub.host() : message.bornIp())
                .with("SubList", WireList.wrapped("SubMapDo", Stream.concat(
                        trace.groups().stream().map(TraceWire::subMap),
                        found.consumedByOffset().stream().map(TraceWire::consumedByOffset)).toList()));
    }

    /**
     * A group the broker's offsets say consumed the message, without a record of it: one success, no client
     * (which client and when are not known).
     */
    private static WireObject consumedByOffset(String brokerGroup) {
        return WireObject.of()
                .with("SubGroupName", InstanceRecord.userName(brokerGroup))
                .with("SuccessCount", 1)
                .with("FailCount", 0)
                .with("ClientList", WireList.wrapped("SubClientInfoDo", List.of()));
    }

    private static WireObject subMap(MessageTrace.GroupConsumptions group) {
        return WireObject.of()
                .with("SubGroupName", group.group())
                .with("SuccessCount", group.successCount())
                .with("FailCount", group.failCount())
                .with("ClientList", WireList.wrapped("SubClientInfoDo", group.consumptions().stream().map(c -> WireObject.of()
                        .with("ClientHost", c.clientHost())
                        .with("SubGroupName", c.group())
                        .with("Status", c.status().name())
                        .with("SubTime", c.subTime())
                        .with("CostTime", c.costTime())
                        .with("ReconsumeTimes", c.reconsumeTimes())).toList()));
    }

    /**
     * SEND_FAILED from the send record; for a transaction the producer's last decision (a message that
     * reached its topic was committed); SEND_DELAY while a delayed message waits; else SEND_SUCCESS.
     */
    static String sendStatus(TraceLookup.Found found) {
        MessageTrace trace = found.trace();
        boolean delivered = found.located().delivered();
        if (trace.hasPub() && !trace.pub().success()) {
            return "SEND_FAILED";
        }
        if (trace.isTransactional() || trace.transaction() != null || found.located().transactionHalf()) {
            if (delivered || trace.transaction() == TraceEvent.TxState.COMMIT) {
                return "SEND_SUCCESS";
            }
            return trace.transaction() == TraceEvent.TxState.ROLLBACK ? "SEND_ROLLBACK" : "SEND_UNKNOWN";
        }
        return delivered ? "SEND_SUCCESS" : "SEND_DELAY";
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
