package io.onsbridge.cluster.rocketmq;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.cluster.ClusterException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.InvokeCallback;
import org.apache.rocketmq.remoting.netty.ResponseFuture;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.QueryMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

/**
 * The brokers' index asked for one key in several topics at once, from the caller's thread: every request
 * is sent before any answer is awaited, so that four topics cost one round trip, not four, and no pool
 * thread is handed each (what {@code MQAdminExt.queryMessage}, which waits for its own answers, would need).
 * Same requests and the same filtering as {@code MQAdminImpl.queryMessage}.
 *
 * <p>A topic without a route (a holding topic nothing has used yet) is taken as empty, and that is kept
 * for {@link #NO_ROUTE_KEPT}: asking the name server again at each query would be a round trip, and a
 * warning in RocketMQ's log. A topic created meanwhile (the first delayed or transactional message) is
 * thus looked in at most that late.
 */
final class IndexQueries {
    static final Duration NO_ROUTE_KEPT = Duration.ofMillis(500);
    private static final int MAX_TOPICS_WITHOUT_ROUTE = 1_000;

    private final ClientFactory clients;
    private final long timeoutMillis;
    private final Cache<String, Boolean> noRoute = Caffeine.newBuilder().maximumSize(MAX_TOPICS_WITHOUT_ROUTE)
            .expireAfterWrite(NO_ROUTE_KEPT).build();
    private volatile MQClientInstance instance;

    IndexQueries(ClientFactory clients, long timeoutMillis) {
        this.clients = clients;
        this.timeoutMillis = timeoutMillis;
    }

    /** The bridge's shared client instance, started by then by the admin client. */
    private MQClientInstance instance() {
        MQClientInstance known = instance;
        if (known == null) {
            known = clients.clientInstance();
            instance = known;
        }
        return known;
    }

    /**
     * Messages of each topic whose key (or, with {@code uniqueKey}, unique id) is {@code key}, by topic in
     * the order given, at most {@code max} per broker; a topic with none has an empty list.
     */
    Map<String, List<MessageExt>> query(List<String> topics, String key, boolean uniqueKey, int max) {
        return query(topics, key, uniqueKey, max, 0L, Long.MAX_VALUE, new boolean[1]);
    }

    /**
     * Messages of a topic with the key stored in {@code [begin, end]}; {@code full[0]} is set when a broker
     * answered {@code max} of them (before the filtering of hash neighbours), so that it may hold more.
     */
    List<MessageExt> query(String topic, String key, int max, long begin, long end, boolean[] full) {
        return query(List.of(topic), key, false, max, begin, end, full).get(topic);
    }

    private Map<String, List<MessageExt>> query(List<String> topics, String key, boolean uniqueKey, int max, long begin, long end,
                                                boolean[] full) {
        String what = what(key, uniqueKey);
        Map<String, List<CompletableFuture<List<MessageExt>>>> sent = sendAll(topics, key, uniqueKey, max, begin, end);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (List<CompletableFuture<List<MessageExt>>> answers : sent.values()) {
            for (CompletableFuture<List<MessageExt>> answer : answers) {
                full[0] |= await(what, answer, deadline).size() >= max;
            }
        }
        return found(sent, key, uniqueKey);
    }

    /**
     * {@link #query(List, String, boolean, int)} without a thread waiting for the brokers: the requests are sent from
     * the caller's thread and the answer completes on the RocketMQ client's callback thread (a continuation must not
     * block), or with a {@link ClusterException}.
     */
    CompletableFuture<Map<String, List<MessageExt>>> queryAsync(List<String> topics, String key, boolean uniqueKey, int max) {
        String what = what(key, uniqueKey);
        Map<String, List<CompletableFuture<List<MessageExt>>>> sent = sendAll(topics, key, uniqueKey, max, 0L, Long.MAX_VALUE);
        return CompletableFuture.allOf(sent.values().stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .handle((done, failure) -> {
                    if (failure == null) {
                        return found(sent, key, uniqueKey);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof TimeoutException) {
                        throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, what + ": a broker did not answer in time", cause);
                    }
                    throw ClusterErrors.of(what, cause instanceof Exception e ? e : new IllegalStateException(cause));
                });
    }

    private static String what(String key, boolean uniqueKey) {
        return (uniqueKey ? "find message " : "find messages with key ") + key;
    }

    /** Every topic's request to every broker of its route, sent before any answer is awaited. */
    private Map<String, List<CompletableFuture<List<MessageExt>>>> sendAll(List<String> topics, String key, boolean uniqueKey, int max,
                                                                          long begin, long end) {
        Map<String, List<CompletableFuture<List<MessageExt>>>> sent = new LinkedHashMap<>();
        for (String topic : topics) {
            List<CompletableFuture<List<MessageExt>>> answers = new ArrayList<>();
            for (String broker : brokers(topic)) {
                answers.add(send(broker, topic, key, uniqueKey, max, begin, end));
            }
            sent.put(topic, answers);
        }
        return sent;
    }

    /** The answers, all complete by now, filtered as {@link #matches}: by topic in the order asked. */
    private static Map<String, List<MessageExt>> found(Map<String, List<CompletableFuture<List<MessageExt>>>> sent, String key,
                                                       boolean uniqueKey) {
        Map<String, List<MessageExt>> found = new LinkedHashMap<>();
        for (Map.Entry<String, List<CompletableFuture<List<MessageExt>>>> topic : sent.entrySet()) {
            List<MessageExt> messages = new ArrayList<>();
            topic.getValue().forEach(answer -> messages.addAll(answer.join()));
            found.put(topic.getKey(), messages.stream().filter(m -> matches(m, topic.getKey(), key, uniqueKey)).toList());
        }
        return found;
    }

    /** The address of each broker of the topic's route (the master, else a slave); none without a route. */
    private List<String> brokers(String topic) {
        if (noRoute.getIfPresent(topic) != null) {
            return List.of();
        }
        TopicRouteData route = instance().getAnExistTopicRouteData(topic);
        if (route == null) {
            instance().updateTopicRouteInfoFromNameServer(topic);
            route = instance().getAnExistTopicRouteData(topic);
        }
        if (route == null) {
            noRoute.put(topic, Boolean.TRUE);
            return List.of();
        }
        return route.getBrokerDatas().stream().map(BrokerData::selectBrokerAddr).filter(a -> a != null).toList();
    }

    private CompletableFuture<List<MessageExt>> send(String broker, String topic, String key, boolean uniqueKey, int max,
                                                     long begin, long end) {
        QueryMessageRequestHeader header = new QueryMessageRequestHeader();
        header.setTopic(topic);
        header.setKey(key);
        header.setMaxNum(max);
        header.setBeginTimestamp(begin);
        header.setEndTimestamp(end);
        header.setIndexType(uniqueKey ? MessageConst.INDEX_UNIQUE_TYPE : MessageConst.INDEX_KEY_TYPE);
        CompletableFuture<List<MessageExt>> answer = new CompletableFuture<>();
        try {
            instance().getMQClientAPIImpl().queryMessage(broker, header, timeoutMillis, new InvokeCallback() {
                @Override
                public void operationComplete(ResponseFuture responseFuture) {
                    // the two below carry the outcome
                }

                @Override
                public void operationSucceed(RemotingCommand response) {
                    if (response.getCode() != ResponseCode.SUCCESS || response.getBody() == null) {
                        answer.complete(List.of()); // QUERY_NOT_FOUND: nothing under the key
                        return;
                    }
                    try {
                        answer.complete(MessageDecoder.decodes(ByteBuffer.wrap(response.getBody()), true));
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    }
                }

                @Override
                public void operationFail(Throwable throwable) {
                    answer.completeExceptionally(throwable);
                }
            }, uniqueKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.completeExceptionally(e);
        } catch (Exception e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    private static List<MessageExt> await(String what, CompletableFuture<List<MessageExt>> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClusterErrors.of(what, e);
        } catch (ExecutionException e) {
            throw ClusterErrors.of(what, e.getCause() instanceof Exception cause ? cause : e);
        } catch (TimeoutException e) {
            throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, what + ": a broker did not answer in time", e);
        }
    }

    /**
     * As {@code MQAdminImpl}: the index is a hash, so an answer may hold messages of another key or topic. A unique id
     * is held to the topic too (unlike {@code MQAdminImpl}): the id of another namespace's message must not be found
     * through a colliding hash.
     */
    static boolean matches(MessageExt message, String topic, String key, boolean uniqueKey) {
        if (uniqueKey) {
            return topic.equals(message.getTopic()) && key.equals(Values.uniqueId(message));
        }
        String keys = message.getKeys();
        return topic.equals(message.getTopic()) && keys != null && Arrays.asList(keys.split(MessageConst.KEY_SEPARATOR)).contains(key);
    }
}
