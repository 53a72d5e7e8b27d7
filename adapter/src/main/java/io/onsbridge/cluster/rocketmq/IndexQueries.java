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
    /** What a broker that did not answer (a connection failure, no answer in time) answered: told apart by identity. */
    private static final List<MessageExt> NO_ANSWER = java.util.Collections.unmodifiableList(new ArrayList<>());

    private final ClientFactory clients;
    private final ClusterAdmin admin;
    private final long timeoutMillis;
    private final Cache<String, Boolean> noRoute = Caffeine.newBuilder().maximumSize(MAX_TOPICS_WITHOUT_ROUTE)
            .expireAfterWrite(NO_ROUTE_KEPT).build();
    private volatile MQClientInstance instance;
    /** Where the requests go: answered on its event loop ({@link ClientFactory#answeringOnItsEventLoop}); made at first use. */
    private volatile MQClientInstance asking;
    private volatile boolean closed;

    /** A request to one broker, and its answer ({@link #NO_ANSWER} when it gave none). */
    private record Asked(String broker, CompletableFuture<List<MessageExt>> answer) {
    }

    /** Every topic's requests, and whether a broker of their routes was left out (it did not answer a moment ago). */
    private record Sent(Map<String, List<Asked>> byTopic, boolean leftOut) {
    }

    IndexQueries(ClientFactory clients, ClusterAdmin admin, long timeoutMillis) {
        this.clients = clients;
        this.admin = admin;
        this.timeoutMillis = timeoutMillis;
    }

    /** The instance the requests are sent through, made at the first one. */
    private MQClientInstance asking() {
        MQClientInstance known = asking;
        if (known != null && !closed) {
            return known;
        }
        synchronized (this) {
            if (closed) {
                throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "the bridge is stopping", null);
            }
            if (asking == null) {
                asking = clients.answeringOnItsEventLoop("index");
            }
            return asking;
        }
    }

    synchronized void close() {
        closed = true;
        if (asking != null) {
            asking.shutdown();
        }
    }

    /** The bridge's shared client instance, started by then by the admin client: its routes are what the bridge's producers keep fresh. */
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
     * the order given, at most {@code max} per broker; a topic with none has an empty list. A broker that does not
     * answer while another does is left out of the answer (and made suspect, {@link SuspectMasters}), unless nothing
     * was found: then the message may be on it, and the query fails as the outage it is.
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
        Sent sent = sendAll(what, topics, key, uniqueKey, max, begin, end);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (List<Asked> answers : sent.byTopic().values()) {
            for (Asked asked : answers) {
                full[0] |= await(what, asked, deadline).size() >= max;
            }
        }
        return found(what, sent, key, uniqueKey);
    }

    /**
     * {@link #query(List, String, boolean, int)} without a thread waiting for the brokers: the requests are sent from
     * the caller's thread and the answer completes on the event loop of the connection the last reply came on (see
     * {@link ClientFactory#answeringOnItsEventLoop}), or with a {@link ClusterException}. So a continuation must not
     * block: while it runs, no other answer of that broker is read; one that may hands its work to a pool.
     */
    CompletableFuture<Map<String, List<MessageExt>>> queryAsync(List<String> topics, String key, boolean uniqueKey, int max) {
        String what = what(key, uniqueKey);
        Sent sent = sendAll(what, topics, key, uniqueKey, max, 0L, Long.MAX_VALUE);
        return CompletableFuture.allOf(sent.byTopic().values().stream().flatMap(List::stream)
                        .map(asked -> asked.answer().completeOnTimeout(NO_ANSWER, timeoutMillis, TimeUnit.MILLISECONDS))
                        .toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    if (failure == null) {
                        return found(what, sent, key, uniqueKey);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    throw ClusterErrors.of(what, cause instanceof Exception e ? e : new IllegalStateException(cause));
                });
    }

    private static String what(String key, boolean uniqueKey) {
        return (uniqueKey ? "find message " : "find messages with key ") + key;
    }

    /** Every topic's request to every broker of its route that answers, sent before any answer is awaited. */
    private Sent sendAll(String what, List<String> topics, String key, boolean uniqueKey, int max, long begin, long end) {
        Map<String, List<Asked>> sent = new LinkedHashMap<>();
        boolean leftOut = false;
        for (String topic : topics) {
            List<String> brokers = brokers(topic);
            List<String> answering = brokers.stream().filter(broker -> !admin.suspect(broker)).toList();
            if (answering.isEmpty()) {
                answering = brokers; // every one suspect: asked all the same, and failing as the outage it is
            }
            leftOut |= answering.size() < brokers.size();
            List<Asked> answers = new ArrayList<>();
            for (String broker : answering) {
                answers.add(new Asked(broker, send(what, broker, topic, key, uniqueKey, max, begin, end)));
            }
            sent.put(topic, answers);
        }
        return new Sent(sent, leftOut);
    }

    /**
     * The answers, all complete by now, filtered as {@link #matches}: by topic in the order asked; fails when nothing
     * was found and a broker was left out or did not answer.
     */
    private Map<String, List<MessageExt>> found(String what, Sent sent, String key, boolean uniqueKey) {
        Map<String, List<MessageExt>> found = new LinkedHashMap<>();
        String unanswered = null;
        boolean any = false;
        for (Map.Entry<String, List<Asked>> topic : sent.byTopic().entrySet()) {
            List<MessageExt> messages = new ArrayList<>();
            for (Asked asked : topic.getValue()) {
                List<MessageExt> answer = asked.answer().join();
                if (answer == NO_ANSWER) {
                    admin.unreachable(asked.broker());
                    unanswered = asked.broker();
                }
                messages.addAll(answer);
            }
            List<MessageExt> matching = messages.stream().filter(m -> matches(m, topic.getKey(), key, uniqueKey)).toList();
            any |= !matching.isEmpty();
            found.put(topic.getKey(), matching);
        }
        if (!any && (unanswered != null || sent.leftOut())) {
            throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, what + ": " + (unanswered != null
                    ? "broker " + unanswered + " did not answer" : "a master that did not answer a moment ago was left out")
                    + ", and the others hold no such message", null);
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

    private CompletableFuture<List<MessageExt>> send(String what, String broker, String topic, String key, boolean uniqueKey, int max,
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
            asking().getMQClientAPIImpl().queryMessage(broker, header, timeoutMillis, new InvokeCallback() {
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
                    failed(what, answer, throwable);
                }
            }, uniqueKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.completeExceptionally(e);
        } catch (Exception e) {
            failed(what, answer, e);
        }
        return answer;
    }

    /** A broker that gave no answer answered {@link #NO_ANSWER}; any other failure fails the query. */
    private static void failed(String what, CompletableFuture<List<MessageExt>> answer, Throwable failure) {
        if (ClusterErrors.noAnswer(ClusterErrors.of(what, failure instanceof Exception e ? e : new IllegalStateException(failure)))) {
            answer.complete(NO_ANSWER);
        } else {
            answer.completeExceptionally(failure);
        }
    }

    private static List<MessageExt> await(String what, Asked asked, long deadline) {
        try {
            return asked.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClusterErrors.of(what, e);
        } catch (ExecutionException e) {
            throw ClusterErrors.of(what, e.getCause() instanceof Exception cause ? cause : e);
        } catch (TimeoutException e) {
            asked.answer().complete(NO_ANSWER); // read as such by found()
            return NO_ANSWER;
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
