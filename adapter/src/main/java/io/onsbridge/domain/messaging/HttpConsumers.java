package io.onsbridge.domain.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this bridge has seen of its HTTP consumers, for the ONS API's consumer actions (docs/mqhttp.md#seen-by-the-ons-api).
 * RocketMQ keeps no trace of either: a pop consumer holds no connection, and a pop moves the group's offset before the
 * ack (the broker's count of popped, unacked messages is not exposed to clients). So a group is online here while one
 * of its consumers polled within the last {@link #ONLINE_WINDOW}, and every message handed out (not in order) and not
 * yet acked counts as backlog until it is acked or becomes visible again (then the broker's retry topic counts it).
 */
public final class HttpConsumers {
    /** Twice the longest long poll (30 s): a consumer that keeps polling is never seen offline between two polls. */
    public static final Duration ONLINE_WINDOW = Duration.ofSeconds(60);
    /** Messages tracked at once; beyond, deliveries are not counted (the backlog reads low, never high). */
    static final int MAX_TRACKED = 100_000;

    private record InFlight(String topic, long nextVisible) {
    }

    private final Clock clock;
    private final ConcurrentMap<String, Long> lastPoll = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, InFlight>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger tracked = new AtomicInteger();

    public HttpConsumers(Clock clock) {
        this.clock = clock;
    }

    void polled(String group) {
        lastPoll.put(group, clock.millis());
    }

    void delivered(String group, String topic, String handle, long nextVisible) {
        if (tracked.incrementAndGet() > MAX_TRACKED) {
            tracked.decrementAndGet();
            inFlight.keySet().forEach(this::inFlight); // drops what became visible again, then tries once more
            if (tracked.incrementAndGet() > MAX_TRACKED) {
                tracked.decrementAndGet();
                return;
            }
        }
        if (inFlight.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(handle, new InFlight(topic, nextVisible)) != null) {
            tracked.decrementAndGet();
        }
    }

    void acked(String group, String handle) {
        Map<String, InFlight> handles = inFlight.get(group);
        if (handles != null && handles.remove(handle) != null) {
            tracked.decrementAndGet();
        }
    }

    /** An HTTP consumer of the (broker's) group polled through this bridge within {@link #ONLINE_WINDOW}. */
    public boolean online(String group) {
        Long last = lastPoll.get(group);
        return last != null && clock.millis() - last <= ONLINE_WINDOW.toMillis();
    }

    /** Messages of the group handed out and neither acked nor visible again, by (broker's) topic; expired ones are dropped. */
    public Map<String, Long> inFlight(String group) {
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
}
