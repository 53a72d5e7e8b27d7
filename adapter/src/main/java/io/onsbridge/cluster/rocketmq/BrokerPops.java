package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterPops;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.AckCallback;
import org.apache.rocketmq.client.consumer.AckResult;
import org.apache.rocketmq.client.consumer.AckStatus;
import org.apache.rocketmq.client.consumer.PopCallback;
import org.apache.rocketmq.client.consumer.PopResult;
import org.apache.rocketmq.client.consumer.PopStatus;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.ThreadFactoryImpl;
import org.apache.rocketmq.common.constant.ConsumeInitMode;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.consumer.ReceiptHandle;
import org.apache.rocketmq.common.filter.ExpressionType;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.exception.RemotingCommandException;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.AckMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.ChangeInvisibleTimeRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.NotificationRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.NotificationResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.PopMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pop and ack through the client's own API calls ({@code MQClientAPIImpl.popMessageAsync}, {@code ackMessageAsync}),
 * as Apache's proxy does: a pop asks one master for any of its queues of the topic (queue -1), masters taken in
 * turn; a pop that may wait, on a topic of several masters, watches them all ({@link PopAcrossMasters}). The handle given out is the broker's check point ({@code POP_CK}), Base64url so that it is one word.
 */
final class BrokerPops implements ClusterPops, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerPops.class);
    private static final long GROUP_CONFIG_TTL_MILLIS = 60_000;
    /** RocketMQ's (and ONS's) default retryMaxTimes of a group. */
    private static final int DEFAULT_RETRY_LIMIT = 16;
    /** The broker may hold a pop this long beyond the wait before it answers; the client's timeout allows for it. */
    private static final long ANSWER_MARGIN_MILLIS = 5_000;
    private static final long ROUTE_TTL_MILLIS = 30_000;
    private static final int MAX_MASTERS_SEEN = 1_024;
    /** Separates a handle's check point (words separated by spaces) from the traced message's id. */
    private static final String TRACED = "\n";

    private final ClientFactory clients;
    private final ClusterAdmin admin;
    private final long timeoutMillis;
    /** Where messages past their group's retry limit are moved to its dead-letter topic: off RocketMQ's callback threads. */
    private final ExecutorService burials = Executors.newFixedThreadPool(2, new ThreadFactoryImpl("ons-bridge-dead-letters-"));
    private final Map<String, long[]> retryLimits = new ConcurrentHashMap<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    /** Names of the masters the topics' routes named: a handle naming one that is gone is of a master away, not forged. */
    private final Set<String> mastersSeen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger turn = new AtomicInteger();
    private final PopTraces traces;
    private volatile MQClientAPIImpl api;

    private record Target(String brokerName, String address) {
    }

    /** @param cluster the cluster's masters when it was read: a master that joins or returns makes it stale */
    private record Route(List<Target> readable, Map<String, String> masters, long fetched, Set<String> cluster) {
    }

    BrokerPops(ClientFactory clients, ClusterAdmin admin, long timeoutMillis) {
        this.clients = clients;
        this.admin = admin;
        this.timeoutMillis = timeoutMillis;
        this.traces = new PopTraces(clients);
    }

    /** Made on first use: a bridge that serves no pop does not start the client instance for it. */
    private MQClientAPIImpl api() {
        MQClientAPIImpl known = api;
        if (known == null) {
            synchronized (this) {
                if (api == null) {
                    api = clients.clientInstance().getMQClientAPIImpl();
                }
                known = api;
            }
        }
        return known;
    }

    @Override
    public CompletableFuture<List<Popped>> pop(PopRequest request) {
        List<Target> readable;
        try {
            readable = route(request.topic()).readable();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(ClusterErrors.of("pop " + request.topic(), e));
        }
        if (readable.isEmpty()) {
            return CompletableFuture.failedFuture(new ClusterException(ClusterException.Reason.TOPIC_NOT_FOUND, -1,
                    "topic " + request.topic() + " has no readable queue", null));
        }
        int first = Math.floorMod(turn.getAndIncrement(), readable.size());
        if (readable.size() == 1) {
            Target only = readable.get(0);
            return popFrom(only, request, request.poll().toMillis()).whenComplete((found, error) -> unreachable(request.topic(), only, error));
        }
        List<Target> inTurn = new ArrayList<>(readable.subList(first, readable.size()));
        inTurn.addAll(readable.subList(0, first));
        // Masters that did not answer a moment ago are left out while another may answer: a watch held by a hung
        // master would hold up every round until its timeout.
        if (inTurn.stream().anyMatch(target -> !admin.isSuspect(target.address()))) {
            inTurn.removeIf(target -> admin.isSuspect(target.address()));
        }
        return PopAcrossMasters.pop(inTurn, request.poll().toMillis(), (target, poll) -> popFrom(target, request, poll),
                (target, poll) -> watch(target, request, poll), (target, error) -> unreachable(request.topic(), target, error));
    }

    /**
     * Whether a pop or watch failed because its master cannot be reached: the pop goes on with the topic's other
     * masters, and the topic's route is read again at the next pop (a master that crashed has left the name server).
     */
    private boolean unreachable(String topic, Target target, Throwable error) {
        if (error == null) {
            return false;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        boolean unreachable = cause instanceof ClusterException e && e.is(ClusterException.Reason.UNAVAILABLE);
        if (unreachable) {
            routes.remove(topic);
            if (ClusterErrors.noAnswer(cause)) {
                admin.unreachable(target.address());
            }
        }
        return unreachable;
    }

    /** One pop of one master, holding up to {@code pollMillis} when it has nothing. */
    private CompletableFuture<List<Popped>> popFrom(Target target, PopRequest request, long pollMillis) {
        CompletableFuture<List<Popped>> answer = new CompletableFuture<>();
        try {
            PopMessageRequestHeader header = new PopMessageRequestHeader();
            header.setConsumerGroup(request.group());
            header.setTopic(request.topic());
            header.setQueueId(-1);
            header.setMaxMsgNums(request.max());
            header.setInvisibleTime(request.invisible().toMillis());
            header.setPollTime(pollMillis);
            header.setBornTime(System.currentTimeMillis());
            header.setInitMode(request.fromStart() ? ConsumeInitMode.MIN : ConsumeInitMode.MAX);
            header.setExpType(ExpressionType.TAG);
            header.setExp(request.tags());
            header.setOrder(request.ordered());
            String what = "pop " + request.topic() + " for " + request.group();
            api().popMessageAsync(target.brokerName(), target.address(), header, pollMillis + ANSWER_MARGIN_MILLIS,
                    new PopCallback() {
                        @Override
                        public void onSuccess(PopResult result) {
                            if (request.traced() && result.getMsgFoundList() != null) {
                                // Before any is moved to the dead-letter topic: its last attempt ended too.
                                result.getMsgFoundList().forEach(m -> traces.previousAttemptEnded(request.group(), m, result.getPopTime()));
                            }
                            if (result.getPopStatus() == PopStatus.FOUND && result.getMsgFoundList() != null
                                    && result.getMsgFoundList().stream().anyMatch(m -> m.getReconsumeTimes() > 0)) {
                                burials.execute(() -> answer.complete(popped(withoutDeadLetters(result, target, request.group()), request)));
                            } else {
                                answer.complete(popped(result, request));
                            }
                        }

                        @Override
                        public void onException(Throwable e) {
                            answer.completeExceptionally(failure(what, e));
                        }
                    });
        } catch (Exception e) {
            answer.completeExceptionally(ClusterErrors.of("pop " + request.topic(), e));
        }
        return answer;
    }

    /**
     * Whether the master has a message for the group (RocketMQ 5's {@code NOTIFICATION}, as its proxy's clients
     * use it): answered at once when it has, else held up to {@code pollMillis} like a pop, but taking nothing.
     */
    private CompletableFuture<Boolean> watch(Target target, PopRequest request, long pollMillis) {
        NotificationRequestHeader header = new NotificationRequestHeader();
        header.setConsumerGroup(request.group());
        header.setTopic(request.topic());
        header.setQueueId(-1);
        header.setPollTime(pollMillis);
        header.setBornTime(System.currentTimeMillis());
        header.setOrder(request.ordered());
        String what = "watch " + request.topic() + " for " + request.group();
        try {
            return api().getRemotingClient().invoke(target.address(), RemotingCommand.createRequestCommand(RequestCode.NOTIFICATION, header),
                    pollMillis + ANSWER_MARGIN_MILLIS).handle((response, error) -> {
                        if (error != null) {
                            throw failure(what, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                        }
                        if (response.getCode() != ResponseCode.SUCCESS) {
                            throw failure(what, new MQBrokerException(response.getCode(), response.getRemark(), target.address()));
                        }
                        try {
                            return response.decodeCommandCustomHeader(NotificationResponseHeader.class).isHasMsg();
                        } catch (RemotingCommandException e) {
                            throw failure(what, e);
                        }
                    });
        } catch (Exception e) {
            return CompletableFuture.failedFuture(ClusterErrors.of(what, e));
        }
    }

    private List<Popped> popped(PopResult result, PopRequest request) {
        if (result.getPopStatus() != PopStatus.FOUND || result.getMsgFoundList() == null) {
            return List.of();
        }
        List<Popped> popped = new ArrayList<>();
        long nextVisible = result.getPopTime() + result.getInvisibleTime();
        for (MessageExt message : result.getMsgFoundList()) {
            String checkPoint = message.getProperty(MessageConst.PROPERTY_POP_CK);
            String first = message.getProperty(MessageConst.PROPERTY_FIRST_POP_TIME);
            message.getProperties().remove(MessageConst.PROPERTY_POP_CK);
            String handle = encode(checkPoint);
            if (request.traced()) {
                traces.started(request.group(), message, result.getPopTime());
                handle = tracedHandle(checkPoint, message.getMsgId(), message.getReconsumeTimes());
            }
            popped.add(new Popped(Values.stored(message), handle, result.getPopTime(), nextVisible,
                    first == null ? result.getPopTime() : Long.parseLong(first)));
        }
        return popped;
    }

    /**
     * As Apache's proxy does for its pop consumers (the broker does not): a message delivered more often than its
     * group's retry limit allows goes to the group's dead-letter topic and is acked instead of delivered. One that
     * cannot be moved now is held back; it comes back after its invisible time and is tried again.
     */
    private PopResult withoutDeadLetters(PopResult result, Target target, String group) {
        List<MessageExt> deliver = new ArrayList<>();
        int limit;
        try {
            limit = retryLimit(target, group);
        } catch (Exception e) {
            log.warn("cannot read the retry limit of {} on {}; delivering its retried messages", group, target.brokerName(), e);
            return result;
        }
        for (MessageExt message : result.getMsgFoundList()) {
            if (message.getReconsumeTimes() <= limit) {
                deliver.add(message);
                continue;
            }
            try {
                api().consumerSendMessageBack(target.address(), target.brokerName(), message, group, -1, timeoutMillis, limit);
                ReceiptHandle receipt = ReceiptHandle.decode(message.getProperty(MessageConst.PROPERTY_POP_CK));
                ack(message.getTopic(), group, encode(receipt.getReceiptHandle()));
            } catch (Exception e) {
                log.warn("cannot move message {} of {} to the dead-letter topic of {}; it comes back later", message.getMsgId(),
                        message.getTopic(), group, e);
            }
        }
        PopResult kept = new PopResult(result.getPopStatus(), deliver);
        kept.setPopTime(result.getPopTime());
        kept.setInvisibleTime(result.getInvisibleTime());
        return kept;
    }

    /** The group's retryMaxTimes on that broker, asked at most every minute. */
    private int retryLimit(Target target, String group) throws Exception {
        String key = target.brokerName() + "/" + group;
        long[] known = retryLimits.get(key);
        if (known != null && System.currentTimeMillis() - known[1] < GROUP_CONFIG_TTL_MILLIS) {
            return (int) known[0];
        }
        SubscriptionGroupConfig config = admin.call("read the group " + group,
                a -> a.examineSubscriptionGroupConfig(target.address(), group));
        int limit = config == null ? DEFAULT_RETRY_LIMIT : config.getRetryMaxTimes();
        retryLimits.put(key, new long[] {limit, System.currentTimeMillis()});
        return limit;
    }

    @Override
    public void close() {
        burials.shutdownNow();
        traces.close();
    }

    @Override
    public CompletableFuture<AckOutcome> ack(String topic, String group, String handle) {
        CompletableFuture<AckOutcome> outcome = onHandle("ack", topic, group, handle, (address, receipt, callback) -> {
            AckMessageRequestHeader header = new AckMessageRequestHeader();
            header.setConsumerGroup(group);
            header.setTopic(receipt.getRealTopic(topic, group));
            header.setQueueId(receipt.getQueueId());
            header.setExtraInfo(receipt.getReceiptHandle());
            header.setOffset(receipt.getOffset());
            api().ackMessageAsync(address, timeoutMillis, callback, header);
        });
        String[] traced = payload(handle).split(TRACED);
        if (traced.length == 3) {
            outcome.thenAccept(o -> {
                if (o == AckOutcome.ACKED) { // so the handle is one this bridge gave out
                    traces.acked(topic, group, traced[1], Integer.parseInt(traced[2]), ReceiptHandle.decode(traced[0]).getRetrieveTime());
                }
            });
        }
        return outcome;
    }

    @Override
    public CompletableFuture<AckOutcome> changeInvisible(String topic, String group, String handle, Duration invisible) {
        return onHandle("hide", topic, group, handle, (address, receipt, callback) -> {
            ChangeInvisibleTimeRequestHeader header = new ChangeInvisibleTimeRequestHeader();
            header.setConsumerGroup(group);
            header.setTopic(receipt.getRealTopic(topic, group));
            header.setQueueId(receipt.getQueueId());
            header.setExtraInfo(receipt.getReceiptHandle());
            header.setOffset(receipt.getOffset());
            header.setInvisibleTime(invisible.toMillis());
            api().changeInvisibleTimeAsync(receipt.getBrokerName(), address, header, timeoutMillis, callback);
        });
    }

    private interface HandleCall {
        void send(String address, ReceiptHandle receipt, AckCallback callback) throws Exception;
    }

    /** A call on a popped message's handle (ack, change of invisible time), answered as an {@link AckOutcome}. */
    private CompletableFuture<AckOutcome> onHandle(String verb, String topic, String group, String handle, HandleCall call) {
        CompletableFuture<AckOutcome> answer = new CompletableFuture<>();
        ReceiptHandle receipt = decode(handle);
        if (receipt == null) {
            return CompletableFuture.completedFuture(AckOutcome.INVALID);
        }
        if (receipt.isExpired()) {
            return CompletableFuture.completedFuture(AckOutcome.EXPIRED);
        }
        try {
            String address = route(topic).masters().get(receipt.getBrokerName());
            if (address == null && !mastersSeen.contains(receipt.getBrokerName())) {
                return CompletableFuture.completedFuture(AckOutcome.INVALID); // no broker of this topic has that name
            }
            if (address == null || admin.suspect(address)) {
                // Not the caller's mistake: the message is kept there, and comes back after its invisible time unless the
                // call is made again, with the same handle, once the master is back (docs/mqhttp.md, "Ack").
                return CompletableFuture.failedFuture(new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, verb + " a message of "
                        + topic + ": its master " + receipt.getBrokerName() + " is not answering now; try again once it is back", null));
            }
            String what = verb + " a message of " + topic + " for " + group + " on " + receipt.getBrokerName();
            call.send(address, receipt, new AckCallback() {
                @Override
                public void onSuccess(AckResult result) {
                    answer.complete(result.getStatus() == AckStatus.OK ? AckOutcome.ACKED : AckOutcome.EXPIRED);
                }

                @Override
                public void onException(Throwable e) {
                    ClusterException error = failure(what, e);
                    // The broker refuses a handle that names no queue or offset of the topic: the caller's mistake.
                    if (error.is(ClusterException.Reason.UNAVAILABLE) || error.is(ClusterException.Reason.BUSY)) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(AckOutcome.INVALID);
                    }
                }
            });
        } catch (Exception e) {
            answer.completeExceptionally(ClusterErrors.of(verb + " a message of " + topic, e));
        }
        return answer;
    }

    /** A handle: the check point, then (for a traced pop) the message id and attempt its ack's trace names, each after {@link #TRACED}. */
    static String encode(String payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The handle of a traced pop: its ack writes the attempt's SubAfter, naming the message. */
    static String tracedHandle(String checkPoint, String msgId, int attempt) {
        return encode(checkPoint + TRACED + msgId + TRACED + attempt);
    }

    /** What a handle carries; empty when it is not Base64. */
    private static String payload(String handle) {
        try {
            return new String(Base64.getUrlDecoder().decode(handle.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // not Base64
            return "";
        }
    }

    /** The check point in a handle; null when the handle is not one {@link #encode} made. */
    static ReceiptHandle decode(String handle) {
        try {
            return ReceiptHandle.decode(payload(handle).split(TRACED, 2)[0]);
        } catch (IllegalArgumentException e) { // too few fields, or a field that is not a number
            return null;
        }
    }

    /** The cluster's masters as of the last second; null when the name server cannot say. */
    private Set<String> clusterMasters() {
        try {
            return admin.knownMastersOrNone();
        } catch (ClusterException e) {
            return null;
        }
    }

    private static ClusterException failure(String what, Throwable e) {
        return ClusterErrors.of(what, e instanceof Exception exception ? exception : new IllegalStateException(e));
    }

    /**
     * The topic's masters, asked of the name server at most every 30 s, and again when the cluster's masters changed
     * (as of the last second): a master that comes back is popped at once, not up to 30 s later.
     */
    private Route route(String topic) throws Exception {
        Route known = routes.get(topic);
        Set<String> cluster = clusterMasters();
        if (known != null && System.currentTimeMillis() - known.fetched() < ROUTE_TTL_MILLIS
                && (cluster == null || cluster.equals(known.cluster()))) {
            return known;
        }
        TopicRouteData data = api().getTopicRouteInfoFromNameServer(topic, timeoutMillis);
        Map<String, String> masters = new java.util.HashMap<>();
        for (BrokerData broker : data.getBrokerDatas()) {
            String address = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
            if (address != null) {
                masters.put(broker.getBrokerName(), address);
            }
        }
        List<Target> readable = new ArrayList<>();
        for (QueueData queues : data.getQueueDatas()) {
            if (PermName.isReadable(queues.getPerm()) && queues.getReadQueueNums() > 0 && masters.containsKey(queues.getBrokerName())) {
                readable.add(new Target(queues.getBrokerName(), masters.get(queues.getBrokerName())));
            }
        }
        if (mastersSeen.size() < MAX_MASTERS_SEEN) {
            mastersSeen.addAll(masters.keySet());
        }
        Route route = new Route(List.copyOf(readable), Map.copyOf(masters), System.currentTimeMillis(), cluster);
        routes.put(topic, route);
        return route;
    }
}
