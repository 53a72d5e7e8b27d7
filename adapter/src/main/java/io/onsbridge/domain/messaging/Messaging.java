package io.onsbridge.domain.messaging;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterPops;
import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.ClusterFailures;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.RecentlyFound;
import io.onsbridge.domain.group.GroupRecord;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * Publishing, consuming and acking as ONS's HTTP data plane does, on the cluster's pop consumption: the
 * instance, topic and group are ONS's names, checked like the ONS API checks them; the front door (the MQ
 * HTTP protocol) knows nothing of RocketMQ. Checks block on the cluster (call them on a worker); a consume
 * or ack then answers later, so that a long poll holds no thread.
 */
public final class Messaging {
    /** RocketMQ's (and ONS's) limit of a message body. */
    public static final int MAX_BODY_BYTES = 4 << 20;
    /** ONS's reserved properties the HTTP SDKs set. */
    public static final String KEYS = "KEYS";
    public static final String START_DELIVER_TIME = "__STARTDELIVERTIME";
    public static final String SHARDING_KEY = "__SHARDINGKEY";
    /** Seconds until a transactional (half) message is first offered to its producer's check. */
    public static final String TRANS_CHECK = "__TransCheckT";
    private static final long MAX_CHECK_SECONDS = 86_400;

    private final Instances instances;
    private final Topics topics;
    private final Groups groups;
    private final Cluster cluster;
    private final Duration invisible;
    private final HalfMessages halves;
    private final HttpConsumers seen;
    /**
     * What a name resolved to, for under a second ({@link RecentlyFound#KEPT_FOR}, as every read cache of
     * what other bridges can change): a publish or consume would otherwise read the instance and the topic
     * (and group) from the cluster every time, several round trips before the message itself. A topic or
     * group deleted meanwhile is refused by the broker instead. A name in use is read again in the background
     * after {@link #REFRESH_AFTER}, so that no publish waits for the cluster once a second (every thread publishing
     * to the topic would queue behind the one reading); a read that no longer finds it drops the name, and the
     * next call asks the cluster and answers its error.
     */
    private final LoadingCache<Name, Object> resolved = Caffeine.newBuilder().executor(Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "ons-bridge-name-refresh"); // at most one refresh per name runs or waits
                thread.setDaemon(true);
                return thread;
            }))
            .expireAfterWrite(RecentlyFound.KEPT_FOR).refreshAfterWrite(REFRESH_AFTER).maximumSize(10_000).build(new CacheLoader<>() {
                @Override
                public Object load(Name name) {
                    return name.group() == null ? readBrokerTopic(name) : readSubscription(name);
                }

                @Override
                public Object reload(Name name, Object known) {
                    try {
                        return load(name);
                    } catch (RuntimeException e) { // gone, or the cluster unreachable: the next call reads it itself
                        return null;
                    }
                }
            });

    private static final Duration REFRESH_AFTER = RecentlyFound.KEPT_FOR.dividedBy(2);

    /** A topic of an instance, or (with a group) a subscription. */
    private record Name(String instanceId, String topic, String group) {
    }

    /**
     * @param invisible how long a consumed message stays hidden from its group unless acked (ONS: 5 minutes)
     * @param seen      told of every poll, delivery and ack, for the ONS API's consumer actions
     */
    public Messaging(Instances instances, Topics topics, Groups groups, Cluster cluster, Duration invisible, HttpConsumers seen) {
        this.seen = seen;
        this.instances = instances;
        this.topics = topics;
        this.groups = groups;
        this.cluster = cluster;
        this.invisible = invisible;
        this.halves = new HalfMessages(cluster);
    }

    /** The instance a request without {@code ns} means: the one holding the cluster's resources without a namespace. */
    public String defaultInstanceId() {
        return instances.defaultInstanceId();
    }

    /**
     * Sends one message; answers its message ID (the one {@code OnsMessageGetByMsgId} finds).
     *
     * @param properties the application's properties with ONS's reserved ones ({@link #KEYS}, {@link #START_DELIVER_TIME}, ...)
     */
    public CompletableFuture<String> publish(String instanceId, String topicName, String tag, byte[] body, Map<String, String> properties) {
        checkBody(body);
        Map<String, String> sent = new HashMap<>(properties);
        String keys = sent.remove(KEYS);
        timer(sent);
        // no thread waits for the broker: the answer is written when it stored the message
        return ClusterFailures.guarded(() -> cluster.messages().sendAsync(new OutgoingMessage(brokerTopic(instanceId, topicName),
                tag == null || tag.isEmpty() ? null : tag, keys, body, 0, sent))).exceptionallyCompose(Messaging::translated);
    }

    /** What a transactional publish answers: the message's id and the handle that commits or rolls it back. */
    public record Published(String messageId, String receiptHandle) {
    }

    /**
     * Stores a half message ({@link #TRANS_CHECK} set): delivered once committed; offered to {@link #consumeHalves}
     * from {@code TRANS_CHECK} seconds on until committed or rolled back.
     */
    public Published publishHalf(String instanceId, String topicName, String tag, byte[] body, Map<String, String> properties) {
        checkBody(body);
        long checkSeconds = number(TRANS_CHECK, properties.get(TRANS_CHECK), "seconds until the first check");
        if (checkSeconds < 0 || checkSeconds > MAX_CHECK_SECONDS) {
            throw OnsErrors.fieldCheckInvalid(TRANS_CHECK, "the first check comes 0 to " + MAX_CHECK_SECONDS + " seconds after the publish.");
        }
        return ClusterFailures.guarded(() -> {
            String topic = brokerTopic(instanceId, topicName);
            Map<String, String> held = new HashMap<>(properties);
            String keys = held.remove(KEYS);
            String id = halves.publish(topic, tag == null || tag.isEmpty() ? null : tag, keys, body, held,
                    System.currentTimeMillis() + checkSeconds * 1000);
            return new Published(id, id);
        });
    }

    /** Half messages of the topic due for the group's check; an empty list when none came within the wait. */
    public CompletableFuture<List<Delivery>> consumeHalves(Subscription subscription, int max, Duration wait) {
        return ClusterFailures.guarded(() -> halves.consume(subscription.topic(), subscription.group(), max, wait))
                .exceptionallyCompose(Messaging::translated);
    }

    /** Commits (or rolls back) each half message by its handle; answers those not accepted, each with why. */
    public CompletableFuture<Map<String, AckFailure>> decide(Subscription subscription, List<String> handles, boolean commit) {
        return halves.decide(subscription.topic(), subscription.group(), handles, commit).exceptionallyCompose(Messaging::translated);
    }

    private static void checkBody(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw OnsErrors.fieldCheckInvalid("MessageBody", "a message body has at most " + MAX_BODY_BYTES + " bytes.");
        }
    }

    private String brokerTopic(String instanceId, String topicName) {
        return (String) resolved.get(new Name(instanceId, topicName, null));
    }

    private String readBrokerTopic(Name name) {
        return topics.require(instances.require("ns", name.instanceId()), name.topic()).brokerName();
    }

    /** ONS's {@link #START_DELIVER_TIME} in the future as RocketMQ 5's timer; the property stays. */
    static void timer(Map<String, String> properties) {
        String startDeliverTime = properties.get(START_DELIVER_TIME);
        if (startDeliverTime != null) {
            long at = number(START_DELIVER_TIME, startDeliverTime, "the delivery time in milliseconds since the epoch");
            if (at > System.currentTimeMillis()) {
                properties.put(MessageProperties.TIMER_DELIVER_MS, Long.toString(at));
            }
        }
    }

    private static long number(String name, String value, String what) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw OnsErrors.fieldCheckInvalid(name, name + " is " + what + ", not \"" + value + "\".");
        }
    }

    /** The instance's topic and group a consume or ack names, or the ONS error that says which is unknown. */
    public record Subscription(String topic, String group) {
    }

    public Subscription subscription(String instanceId, String topicName, String groupId) {
        return ClusterFailures.guarded(() -> (Subscription) resolved.get(new Name(instanceId, topicName, groupId)));
    }

    private Subscription readSubscription(Name name) {
        InstanceRecord instance = instances.require("ns", name.instanceId());
        TopicView topic = topics.require(instance, name.topic());
        GroupView group = groups.require(instance, name.group());
        // As on ONS, tcp and http groups are not shared: an HTTP consumer of a tcp group is refused (docs/mqhttp.md#groups).
        String type = group.record().groupType();
        if (!GroupRecord.HTTP.equals(type)) {
            throw OnsErrors.groupOfOtherProtocol(name.group(), type);
        }
        return new Subscription(topic.brokerName(), group.brokerName());
    }

    /**
     * Up to {@code max} messages for the group, waiting up to {@code wait} for the first; an empty list when none came.
     *
     * @param tags    ONS's tag expression: {@code *}, {@code A}, {@code A||B}
     * @param ordered ONS's ordered consumption: per sharding key (queue) in order, the next only once the last is acked
     */
    public CompletableFuture<List<Delivery>> consume(Subscription subscription, String tags, int max, Duration wait, boolean ordered) {
        seen.polled(subscription.group());
        return cluster.pops().pop(new ClusterPops.PopRequest(subscription.topic(), subscription.group(),
                        tags == null || tags.isBlank() ? "*" : tags, max, invisible, wait, ordered, false, true))
                .thenApply(popped -> {
                    if (!ordered) {
                        // An ordered pop moves the group's offset only at the ack: the broker counts those itself.
                        popped.forEach(p -> seen.delivered(subscription.group(), subscription.topic(), p.handle(), p.nextVisible()));
                    }
                    return popped.stream().map(Messaging::delivery).toList();
                })
                .exceptionallyCompose(Messaging::translated);
    }

    /** Acks every handle; answers those that were not accepted, each with why. */
    public CompletableFuture<Map<String, AckFailure>> ack(Subscription subscription, List<String> handles) {
        List<CompletableFuture<ClusterPops.AckOutcome>> outcomes = new ArrayList<>();
        for (String handle : handles) {
            outcomes.add(cluster.pops().ack(subscription.topic(), subscription.group(), handle));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, AckFailure> failures = new LinkedHashMap<>();
            for (int i = 0; i < handles.size(); i++) {
                switch (outcomes.get(i).join()) {
                    case INVALID -> failures.put(handles.get(i), AckFailure.INVALID);
                    case EXPIRED -> failures.put(handles.get(i), AckFailure.EXPIRED);
                    case ACKED -> seen.acked(subscription.group(), handles.get(i));
                }
            }
            return failures;
        }).exceptionallyCompose(Messaging::translated);
    }

    private static <T> CompletableFuture<T> translated(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return CompletableFuture.failedFuture(cause instanceof ClusterException e ? ClusterFailures.translate(e) : cause);
    }

    private static Delivery delivery(ClusterPops.Popped popped) {
        StoredMessage message = popped.message();
        return new Delivery(message.uniqueId(), message.body(), message.tags(), applicationProperties(message), message.bornTimestamp(),
                popped.handle(), popped.nextVisible(), popped.firstPopTime(), message.reconsumeTimes() + 1);
    }

    /** The properties an application set (RocketMQ's reserved ones left out) with ONS's KEYS and sharding key. */
    static Map<String, String> applicationProperties(StoredMessage message) {
        Map<String, String> properties = new LinkedHashMap<>();
        message.properties().forEach((name, value) -> {
            if (!MessageProperties.isReserved(name) || name.equals(SHARDING_KEY)) {
                properties.put(name, value);
            }
        });
        if (message.keys() != null) {
            properties.put(KEYS, message.keys());
        }
        return properties;
    }
}
