package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.trace.AsyncTraceDispatcher;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceDispatcher;
import org.apache.rocketmq.client.trace.TraceType;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageType;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;

/**
 * The traced asynchronous sends of one topic, a batch at a time while the topic's earlier sends are in flight: a
 * topic with many messages at once (devices publishing, MQ HTTP publishers) costs the broker one request per batch,
 * not one per message, and each message waits at most for the sends ahead of it. A send that finds fewer than
 * {@value #IN_FLIGHT} sends of its topic in flight and none queued goes out alone at once, through the traced
 * producer, exactly as before; the messages queued meanwhile go together (RocketMQ's batch send: one request, one
 * queue, each message stored on its own with its own id and properties) through the untraced producer, and each
 * one's {@code Pub} trace record is written as the traced producer's hook ({@code SendMessageTraceHookImpl}) writes
 * it, through that producer's own trace dispatcher: a trace query cannot tell the two apart. Only plain messages
 * are batched ({@link #batchable}): timed, delayed, ordered and transactional ones always go alone.
 */
final class SendBatches {
    /** Sends of one topic in flight before the next messages queue for a batch. */
    static final int IN_FLIGHT = 2;
    private static final int MAX_MESSAGES = 64;
    private static final int MAX_BYTES = 512 * 1024;
    /** Per topic: beyond it a message goes alone (the queue is bounded; the senders' own windows bound it first). */
    private static final int MAX_QUEUED = 4096;
    /** Properties of messages that must go alone: RocketMQ refuses them in a batch, or they need a queue of their own. */
    private static final Set<String> ALONE = Set.of(MessageConst.PROPERTY_DELAY_TIME_LEVEL, MessageConst.PROPERTY_TIMER_DELIVER_MS,
            MessageConst.PROPERTY_TIMER_DELAY_SEC, MessageConst.PROPERTY_TIMER_DELAY_MS, MessageConst.PROPERTY_TRANSACTION_PREPARED,
            MessageConst.PROPERTY_SHARDING_KEY, "__STARTDELIVERTIME");

    private final DefaultMQProducer traced;
    private final DefaultMQProducer untraced;
    private final Function<Message, CompletableFuture<String>> alone;
    private final BiFunction<String, Exception, ClusterException> failure;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final LongAdder batched = new LongAdder();

    /**
     * @param alone   sends one message through {@code traced}
     * @param failure what a failed batch send (of a topic) is to its messages' callers
     */
    SendBatches(DefaultMQProducer traced, DefaultMQProducer untraced, Function<Message, CompletableFuture<String>> alone,
                BiFunction<String, Exception, ClusterException> failure) {
        this.traced = traced;
        this.untraced = untraced;
        this.alone = alone;
        this.failure = failure;
    }

    /** Whether a message may share a batch: no timer, delay, sharding key or transaction, not a retry or DLQ topic. */
    static boolean batchable(Message message) {
        Map<String, String> properties = message.getProperties();
        if (properties != null) {
            for (String name : ALONE) {
                if (properties.containsKey(name)) {
                    return false;
                }
            }
        }
        String topic = message.getTopic();
        return !topic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX) && !topic.startsWith(MixAll.DLQ_GROUP_TOPIC_PREFIX)
                && (message.getBody() == null || message.getBody().length <= MAX_BYTES);
    }

    /** Messages stored as part of a batch so far. */
    long batched() {
        return batched.sum();
    }

    /** Completes with the message's id once the broker stored it; {@link #batchable} messages only. */
    CompletableFuture<String> send(Message message) {
        Lane lane = lanes.computeIfAbsent(message.getTopic(), Lane::new);
        CompletableFuture<String> stored = new CompletableFuture<>();
        boolean now;
        synchronized (lane) {
            now = lane.queued.isEmpty() && lane.inFlight < IN_FLIGHT;
            if (now) {
                lane.inFlight++;
            } else if (lane.queued.size() < MAX_QUEUED) {
                lane.queued.add(new Pending(message, stored));
                return stored;
            }
        }
        if (!now) {
            return alone.apply(message); // the queue is full: on its own, outside the lane's count
        }
        lane.sendAlone(new Pending(message, stored));
        return stored;
    }

    private record Pending(Message message, CompletableFuture<String> stored) {
        int bytes() {
            return message.getBody() == null ? 0 : message.getBody().length;
        }
    }

    /** One topic's sends: how many are in flight, and what waits for the next batch. */
    private final class Lane {
        private final String topic;
        private final ArrayDeque<Pending> queued = new ArrayDeque<>();
        private int inFlight;

        Lane(String topic) {
            this.topic = topic;
        }

        /** A send of this topic completed (on the client's callback thread): the next batch goes out, if any waits. */
        void sent() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                inFlight--;
                int bytes = 0;
                while (!queued.isEmpty() && batch.size() < MAX_MESSAGES && (batch.isEmpty() || bytes + queued.peek().bytes() <= MAX_BYTES)) {
                    Pending next = queued.poll();
                    bytes += next.bytes();
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    if (inFlight == 0) {
                        // idle: a later send makes a new lane (one that found this lane just before still completes
                        // through it: what it queues here is sent by this lane's own completions)
                        lanes.remove(topic, this);
                    }
                    return;
                }
                inFlight++;
            }
            if (batch.size() == 1) {
                sendAlone(batch.get(0));
            } else {
                sendBatch(batch);
            }
        }

        /** One message through the traced producer, counted as one of the lane's sends in flight. */
        void sendAlone(Pending pending) {
            alone.apply(pending.message()).whenComplete((id, error) -> {
                sent();
                if (error == null) {
                    pending.stored().complete(id);
                } else {
                    pending.stored().completeExceptionally(error);
                }
            });
        }

        private void sendBatch(List<Pending> batch) {
            List<Message> messages = batch.stream().map(Pending::message).toList();
            long begin = System.currentTimeMillis();
            try {
                untraced.send(messages, new SendCallback() {
                    @Override
                    public void onSuccess(SendResult result) {
                        sent();
                        batched.add(batch.size());
                        String[] offsetIds = result.getOffsetMsgId() == null ? new String[0] : result.getOffsetMsgId().split(",");
                        for (int i = 0; i < batch.size(); i++) {
                            Message message = batch.get(i).message();
                            String id = MessageClientIDSetter.getUniqID(message);
                            trace(message, id, offsetIds.length == batch.size() ? offsetIds[i] : null, result, begin);
                            batch.get(i).stored().complete(id);
                        }
                    }

                    @Override
                    public void onException(Throwable e) {
                        sent();
                        Exception cause = e instanceof Exception exception ? exception : new RuntimeException(e);
                        if (failure.apply(topic, cause).is(ClusterException.Reason.UNAVAILABLE)) {
                            // A master that did not answer: each message on its own, which tries another master.
                            batch.forEach(p -> alone.apply(p.message()).whenComplete((id, error) -> {
                                if (error == null) {
                                    p.stored().complete(id);
                                } else {
                                    p.stored().completeExceptionally(error);
                                }
                            }));
                        } else {
                            failAll(batch, cause);
                        }
                    }
                });
            } catch (Exception e) {
                sent();
                failAll(batch, e);
            }
        }

        private void failAll(List<Pending> batch, Exception e) {
            ClusterException error = failure.apply("send " + batch.size() + " messages to " + topic, e);
            batch.forEach(p -> p.stored().completeExceptionally(error));
        }
    }

    /** The {@code Pub} record the traced producer's hook writes for a message it sent, for one sent in a batch. */
    private void trace(Message message, String id, String offsetId, SendResult result, long begin) {
        TraceDispatcher dispatcher = traced.getTraceDispatcher();
        if (!(dispatcher instanceof AsyncTraceDispatcher async) || result.getRegionId() == null || !result.isTraceOn()) {
            return; // as the hook: no trace where the broker's answer turns it off
        }
        int costTime = (int) (System.currentTimeMillis() - begin);
        TraceContext context = new TraceContext();
        context.setTraceType(TraceType.Pub);
        context.setGroupName(NamespaceUtil.withoutNamespace(traced.getProducerGroup()));
        context.setTimeStamp(begin);
        context.setCostTime(costTime);
        context.setSuccess(result.getSendStatus() == SendStatus.SEND_OK);
        context.setRegionId(result.getRegionId());
        TraceBean bean = new TraceBean();
        bean.setTopic(NamespaceUtil.withoutNamespace(message.getTopic()));
        bean.setTags(message.getTags());
        bean.setKeys(message.getKeys());
        bean.setStoreHost(untraced.getDefaultMQProducerImpl().getMqClientFactory()
                .findBrokerAddressInPublish(result.getMessageQueue().getBrokerName()));
        bean.setBodyLength(message.getBody() == null ? 0 : message.getBody().length);
        bean.setMsgType(MessageType.Normal_Msg);
        bean.setMsgId(id);
        bean.setOffsetMsgId(offsetId);
        bean.setStoreTime(begin + costTime / 2);
        context.setTraceBeans(new ArrayList<>(List.of(bean)));
        async.append(context);
    }
}
