package io.onsbridge.domain.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the bridges have seen of their HTTP consumers, for the ONS API's consumer actions (docs/mqhttp.md#seen-by-the-ons-api).
 * RocketMQ keeps no trace of either: a pop consumer holds no connection, and a pop moves the group's offset before the
 * ack (the broker's count of popped, unacked messages is not exposed to clients). So a group is online while one of its
 * consumers polled within the last {@link #ONLINE_WINDOW}, and every message handed out (not in order) and not yet acked
 * counts as backlog until it is acked or becomes visible again (then the broker's retry topic counts it).
 *
 * <p>Each bridge counts what it served and, through {@link HttpConsumerShares}, shares it with the others: its
 * {@link Share} (polls and messages in flight per group, and the handles it acked that another bridge handed out) is
 * written to the cluster every few seconds; the others' valid shares are added to its own counts, and a handle another
 * bridge acked stops counting here.
 */
public final class HttpConsumers {
    /** Twice the longest long poll (30 s): a consumer that keeps polling is never seen offline between two polls. */
    public static final Duration ONLINE_WINDOW = Duration.ofSeconds(60);
    /** Messages tracked at once; beyond, deliveries are not counted (the backlog reads low, never high). */
    static final int MAX_TRACKED = 100_000;
    /** An ack of another bridge's handle is shared this long: every other bridge reads it in some share by then. */
    static final long FOREIGN_ACK_KEPT_MILLIS = 15_000;
    /** Foreign acks shared at once; beyond, the bridge that handed the message out counts it until it is visible again. */
    static final int MAX_FOREIGN_ACKS = 20_000;

    private record InFlight(String topic, long nextVisible) {
    }

    /** One group as a bridge shares it: its last poll there, and its messages in flight there by (broker's) topic. */
    public record GroupShare(long lastPoll, Map<String, Long> inFlight) {
    }

    /**
     * What one bridge shares (its {@code n}th share): its groups, and digests of the handles it acked that it had not
     * handed out; counted by the others until {@code until}.
     */
    public record Share(String bridge, long n, long until, Map<String, GroupShare> groups, List<Long> acked) {
        boolean holdsNothing() {
            return groups.isEmpty() && acked.isEmpty();
        }
    }

    private final Clock clock;
    private final ConcurrentMap<String, Long> lastPoll = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, InFlight>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger tracked = new AtomicInteger();
    /** Digests of handles acked here that this bridge did not hand out, until when they are shared. */
    private final ConcurrentMap<Long, Long> foreignAcks = new ConcurrentHashMap<>();
    private volatile List<Share> others = List.of();

    public HttpConsumers(Clock clock) {
        this.clock = clock;
    }

    void polled(String group) {
        lastPoll.put(group, clock.millis());
    }

    void delivered(String group, String topic, String handle, long nextVisible) {
        if (tracked.incrementAndGet() > MAX_TRACKED) {
            tracked.decrementAndGet();
            inFlight.keySet().forEach(this::localInFlight); // drops what became visible again, then tries once more
            if (tracked.incrementAndGet() > MAX_TRACKED) {
                tracked.decrementAndGet();
                return;
            }
        }
        if (inFlight.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(handle, new InFlight(topic, nextVisible)) != null) {
            tracked.decrementAndGet();
        }
    }

    /** The broker took the ack: the message stops counting here, or, handed out by another bridge, there. */
    void acked(String group, String handle) {
        Map<String, InFlight> handles = inFlight.get(group);
        if (handles != null && handles.remove(handle) != null) {
            tracked.decrementAndGet();
        } else if (foreignAcks.size() < MAX_FOREIGN_ACKS) {
            foreignAcks.put(digest(handle), clock.millis() + FOREIGN_ACK_KEPT_MILLIS);
        }
    }

    /** An HTTP consumer of the (broker's) group polled through any bridge within {@link #ONLINE_WINDOW}. */
    public boolean online(String group) {
        long since = clock.millis() - ONLINE_WINDOW.toMillis();
        Long last = lastPoll.get(group);
        if (last != null && last >= since) {
            return true;
        }
        for (Share share : others) {
            GroupShare other = share.groups().get(group);
            if (other != null && other.lastPoll() >= since) {
                return true;
            }
        }
        return false;
    }

    /** Messages of the group handed out by any bridge and neither acked nor visible again, by (broker's) topic. */
    public Map<String, Long> inFlight(String group) {
        Map<String, Long> byTopic = localInFlight(group);
        for (Share share : others) {
            GroupShare other = share.groups().get(group);
            if (other != null) {
                other.inFlight().forEach((topic, count) -> byTopic.merge(topic, count, Long::sum));
            }
        }
        return byTopic;
    }

    /** What this bridge shares now: groups polled within {@link #ONLINE_WINDOW} or with messages in flight here. */
    Share share(String bridge, long n, long until) {
        long since = clock.millis() - ONLINE_WINDOW.toMillis();
        Map<String, GroupShare> groups = new TreeMap<>();
        Set<String> names = new HashSet<>(lastPoll.keySet());
        names.addAll(inFlight.keySet());
        for (String group : names) {
            Long last = lastPoll.get(group);
            Map<String, Long> counts = localInFlight(group);
            if (last != null && last < since) {
                lastPoll.remove(group, last);
            }
            if ((last != null && last >= since) || !counts.isEmpty()) {
                groups.put(group, new GroupShare(last == null ? 0 : last, counts));
            }
        }
        long now = clock.millis();
        foreignAcks.values().removeIf(kept -> kept <= now);
        return new Share(bridge, n, until, groups, List.copyOf(foreignAcks.keySet()));
    }

    /** The other bridges' valid shares: counted from now on; a handle one of them acked stops counting here. */
    void others(List<Share> shares) {
        Set<Long> ackedElsewhere = new HashSet<>();
        shares.forEach(share -> ackedElsewhere.addAll(share.acked()));
        if (!ackedElsewhere.isEmpty()) {
            inFlight.values().forEach(handles -> handles.keySet().removeIf(handle -> {
                boolean gone = ackedElsewhere.contains(digest(handle));
                if (gone) {
                    tracked.decrementAndGet();
                }
                return gone;
            }));
        }
        others = List.copyOf(shares);
    }

    /** This bridge's own deliveries of the group in flight, by topic; those visible again are dropped. */
    private Map<String, Long> localInFlight(String group) {
        Map<String, Long> byTopic = new TreeMap<>();
        Map<String, InFlight> handles = inFlight.get(group);
        if (handles == null) {
            return byTopic;
        }
        long now = clock.millis();
        handles.forEach((handle, message) -> {
            if (message.nextVisible() <= now) {
                if (handles.remove(handle, message)) {
                    tracked.decrementAndGet();
                }
            } else {
                byTopic.merge(message.topic(), 1L, Long::sum);
            }
        });
        return byTopic;
    }

    /** 64 bits of the handle's MD5: what a share names instead of the handle itself (shorter, and no use to a reader). */
    static long digest(String handle) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(handle.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = (value << 8) | (md5[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
