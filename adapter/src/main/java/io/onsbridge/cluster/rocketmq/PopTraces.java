package io.onsbridge.cluster.rocketmq;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.rocketmq.client.AccessChannel;
import org.apache.rocketmq.client.consumer.listener.ConsumeReturnType;
import org.apache.rocketmq.client.trace.AsyncTraceDispatcher;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceType;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message trace of pop consumption, written as a traced push consumer's hook writes it
 * ({@code ConsumeMessageTraceHookImpl}): a {@code SubBefore} when a message is popped and a {@code SubAfter}
 * when it is acked, names without the namespace, through RocketMQ's own {@link AsyncTraceDispatcher} (bounded,
 * batched, off the caller's thread). A pop has no listener call whose request id could pair the two: the id is
 * drawn from the group, the message and its attempt (reconsume times), which the ack's handle carries, so any
 * bridge that takes the ack writes the matching {@code SubAfter}. An attempt not acked in time is a failed
 * consumption (ONS counts it so): its {@code SubAfter} says so when the message is popped again.
 */
final class PopTraces implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PopTraces.class);
    /** The region of a message without one: an Apache broker's default. Written only into SubBefore records. */
    private static final String DEFAULT_REGION = MixAll.DEFAULT_TRACE_REGION_ID;

    private final ClientFactory clients;
    private volatile AsyncTraceDispatcher dispatcher;
    private volatile boolean closed;

    PopTraces(ClientFactory clients) {
        this.clients = clients;
    }

    /** The request id that pairs the records of one attempt of a group at a message, wherever they are written. */
    static String requestId(String group, String msgId, int attempt) {
        String attemptKey = NamespaceUtil.withoutNamespace(group) + '/' + msgId + '/' + attempt;
        return UUID.nameUUIDFromBytes(attemptKey.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /** A message came back to {@code group} at {@code at}: its attempt before this one ended unacked. */
    void previousAttemptEnded(String group, MessageExt message, long at) {
        if (traced(message) && message.getReconsumeTimes() > 0) {
            append(after(group, message.getTopic(), message.getMsgId(), message.getReconsumeTimes() - 1, at, false, 0));
        }
    }

    /** A message popped by {@code group} at {@code popTime} is delivered: an attempt starts. */
    void started(String group, MessageExt message, long popTime) {
        if (!traced(message)) {
            return;
        }
        TraceBean bean = bean(message.getTopic(), message.getMsgId(), message.getKeys());
        bean.setTags(message.getTags());
        bean.setStoreTime(message.getStoreTimestamp());
        bean.setBodyLength(message.getStoreSize());
        bean.setRetryTimes(message.getReconsumeTimes());
        String region = message.getProperty(MessageConst.PROPERTY_MSG_REGION);
        TraceContext context = context(TraceType.SubBefore, group, requestId(group, message.getMsgId(), message.getReconsumeTimes()), bean);
        context.setRegionId(UtilAll.isBlank(region) ? DEFAULT_REGION : region);
        context.setTimeStamp(popTime);
        append(context);
    }

    /** Unless its producer asked for no trace, as the hook honours. */
    private static boolean traced(MessageExt message) {
        return !"false".equals(message.getProperty(MessageConst.PROPERTY_TRACE_SWITCH));
    }

    /** Attempt {@code attempt} of {@code group} at message {@code msgId} of {@code topic}, popped at {@code popTime}, was acked now. */
    void acked(String topic, String group, String msgId, int attempt, long popTime) {
        long now = System.currentTimeMillis();
        append(after(group, topic, msgId, attempt, now, true, (int) Math.max(0, now - popTime)));
    }

    private static TraceContext after(String group, String topic, String msgId, int attempt, long at, boolean success, int costTime) {
        TraceContext context = context(TraceType.SubAfter, group, requestId(group, msgId, attempt), bean(topic, msgId, null));
        context.setRegionId(DEFAULT_REGION);
        context.setTimeStamp(at);
        context.setCostTime(costTime);
        context.setSuccess(success);
        context.setContextCode((success ? ConsumeReturnType.SUCCESS : ConsumeReturnType.TIME_OUT).ordinal());
        return context;
    }

    private static TraceBean bean(String topic, String msgId, String keys) {
        TraceBean bean = new TraceBean();
        bean.setTopic(NamespaceUtil.withoutNamespace(topic));
        bean.setMsgId(msgId);
        bean.setKeys(keys);
        return bean;
    }

    private static TraceContext context(TraceType type, String group, String requestId, TraceBean bean) {
        TraceContext context = new TraceContext();
        context.setTraceType(type);
        context.setGroupName(NamespaceUtil.withoutNamespace(group));
        context.setRequestId(requestId);
        context.setAccessChannel(AccessChannel.LOCAL);
        context.setTraceBeans(List.of(bean));
        return context;
    }

    private void append(TraceContext context) {
        AsyncTraceDispatcher known = dispatcher();
        if (known != null && !known.append(context)) {
            log.debug("trace queue full: a {} record of {} dropped", context.getTraceType(), context.getGroupName());
        }
    }

    /** Started on first use: a bridge that serves no pop starts no trace producer. */
    private AsyncTraceDispatcher dispatcher() {
        AsyncTraceDispatcher known = dispatcher;
        if (known != null || closed) {
            return known;
        }
        synchronized (this) {
            if (dispatcher == null && !closed) {
                dispatcher = clients.consumeTraces("ons_bridge_pop");
            }
            return dispatcher;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (dispatcher != null) {
            dispatcher.shutdown();
        }
    }
}
