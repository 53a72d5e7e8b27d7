package io.onsbridge.domain.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.RecordWindow;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares what this bridge counts of its HTTP consumers ({@link HttpConsumers}) with the other bridges of the cluster:
 * every {@link #EVERY} it writes its share to the stats topic (tag {@link #TAG}, valid for three rounds) and reads the
 * others' newest valid shares back. So a consumer polling one bridge is online on all of them, and a message handed
 * out by one and acked through another stops counting on both, within a round or two. A bridge that stops cleanly
 * writes an empty share; one that dies stops counting when its last share runs out. Nothing is written while this
 * bridge has nothing to share.
 */
public final class HttpConsumerShares implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpConsumerShares.class);
    /** Not a group name (RocketMQ's names have no ':'), so no stats sample's tag. */
    static final String TAG = "ons-bridge:http-consumers";
    static final Duration EVERY = Duration.ofSeconds(2);
    private static final long VALID_MILLIS = 3 * EVERY.toMillis();
    /** Bridges' clocks differ, and a share is stored after it was taken. */
    private static final long CLOCK_SLACK_MILLIS = 10_000;
    /** Shares read at most a round: 100 bridges' shares over the window. */
    private static final int MAX_READ = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Cluster cluster;
    private final HttpConsumers consumers;
    private final Clock clock;
    private final String bridgeId = UUID.randomUUID().toString().replace("-", "");
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ons-bridge-http-consumer-shares");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong shares = new AtomicLong();
    private volatile boolean lastWrittenEmpty = true;
    private volatile boolean ensured;
    private volatile boolean failing;

    public HttpConsumerShares(Cluster cluster, HttpConsumers consumers, Clock clock) {
        this.cluster = cluster;
        this.consumers = consumers;
        this.clock = clock;
    }

    public HttpConsumerShares start() {
        rounds.scheduleWithFixedDelay(this::round, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Writes this bridge's share, then reads the others'; a cluster that fails is tried again next round. */
    void round() {
        try {
            write(consumers.share(bridgeId, shares.incrementAndGet(), clock.millis() + VALID_MILLIS));
            consumers.others(read());
            if (failing) {
                log.info("HTTP consumers' shares are written and read again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("HTTP consumers' shares: {}; other bridges' HTTP consumers count from their last share until it runs out",
                        e.getMessage());
                failing = true;
            }
        }
    }

    private void write(HttpConsumers.Share share) {
        if (share.holdsNothing() && lastWrittenEmpty) {
            return;
        }
        if (!ensured) {
            cluster.topics().ensure(ResourceNames.STATS_TOPIC, 1);
            ensured = true;
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(share);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the HTTP consumers' share", e);
        }
        // Trace off: a share is not application traffic.
        cluster.messages().sendUntraced(OutgoingMessage.of(ResourceNames.STATS_TOPIC, TAG, null, body));
        lastWrittenEmpty = share.holdsNothing();
    }

    /** Of every other bridge, its newest share if still valid. */
    private List<HttpConsumers.Share> read() {
        long now = clock.millis();
        Map<String, HttpConsumers.Share> newest = new HashMap<>();
        for (StoredMessage message : RecordWindow.read(cluster, ResourceNames.STATS_TOPIC, TAG, now - VALID_MILLIS - CLOCK_SLACK_MILLIS,
                Long.MAX_VALUE, MAX_READ)) {
            HttpConsumers.Share share;
            try {
                share = JSON.readValue(message.body(), HttpConsumers.Share.class);
            } catch (IOException e) {
                log.debug("skipping an unreadable HTTP consumers' share at {}", message.queueOffset(), e);
                continue;
            }
            if (share.bridge() != null && !share.bridge().equals(bridgeId) && share.groups() != null && share.acked() != null) {
                newest.merge(share.bridge(), share, (a, b) -> b.n() > a.n() ? b : a);
            }
        }
        return newest.values().stream().filter(share -> share.until() > now).toList();
    }

    /** Stops the rounds; a share this bridge had written is taken back by an empty one. */
    @Override
    public void close() {
        rounds.shutdownNow();
        if (!lastWrittenEmpty) {
            try {
                write(new HttpConsumers.Share(bridgeId, shares.incrementAndGet(), clock.millis(), Map.of(), List.of()));
            } catch (RuntimeException e) {
                log.debug("the empty HTTP consumers' share was not written; the last one runs out by itself", e);
            }
        }
    }
}
