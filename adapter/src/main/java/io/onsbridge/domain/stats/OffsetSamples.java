package io.onsbridge.domain.stats;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-offset samples kept in the cluster, on the bridge's topic {@code ONS_BRIDGE_STATS}: one
 * message per group and sampling round, tagged with the group, holding per topic the sum of the group's
 * committed offsets. The broker only keeps current offsets; these samples are their history.
 *
 * <p>Why a topic of the cluster (and not consume traces, nor memory): history survives bridge restarts,
 * every bridge of the cluster reads the same samples, retention is the broker's own, and it works for
 * every client, traced or not. Samples hold absolute offsets, not deltas, so several bridges sampling the
 * same group simply add points to the same step function and never count twice.
 */
final class OffsetSamples {
    private static final Logger log = LoggerFactory.getLogger(OffsetSamples.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int READ_BATCH = 32;
    /** Bounds the work of one curve: a day of one-second samples of one group. */
    static final int MAX_SAMPLES_READ = 100_000;

    /** The wire form of a sample. */
    record Body(long t, String g, Map<String, Long> c) {
    }

    private final Cluster cluster;

    OffsetSamples(Cluster cluster) {
        this.cluster = cluster;
    }

    /** One sample of a group: per topic, the sum of its committed offsets at {@code time}. */
    void write(String brokerGroup, long time, Map<String, Long> consumedByTopic) {
        cluster.topics().ensure(ResourceNames.STATS_TOPIC, 1); // samples are small and few: one queue a master
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new Body(time, brokerGroup, consumedByTopic));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a stats sample of " + brokerGroup, e);
        }
        // Trace off: our samples are not application traffic and must not show up as traces.
        cluster.messages().sendUntraced(OutgoingMessage.of(ResourceNames.STATS_TOPIC, brokerGroup, null, body));
    }

    /** The group's samples of the topic taken in {@code [from, to]}, by time. */
    List<SampledCounts.Sample> read(String brokerGroup, String brokerTopic, long from, long to) {
        List<SampledCounts.Sample> samples = new ArrayList<>();
        for (ClusterOffsets.QueueStats stats : cluster.offsets().queueStats(ResourceNames.STATS_TOPIC)) {
            Queue queue = stats.queue();
            long cursor = cluster.offsets().offsetAt(queue, from);
            long stop = cluster.offsets().offsetAt(queue, to + 1);
            while (cursor < stop && samples.size() < MAX_SAMPLES_READ) {
                ClusterMessages.Batch batch = cluster.messages().read(queue, brokerGroup, cursor, READ_BATCH);
                for (StoredMessage message : batch.messages()) {
                    if (message.queueOffset() < stop) {
                        sample(message, brokerGroup, brokerTopic, from, to, samples);
                    }
                }
                if (batch.next() <= cursor) {
                    break;
                }
                cursor = batch.next();
            }
        }
        if (samples.size() >= MAX_SAMPLES_READ) {
            log.warn("curve of {} on {}: stopped after {} samples", brokerGroup, brokerTopic, MAX_SAMPLES_READ);
        }
        samples.sort(Comparator.comparingLong(SampledCounts.Sample::time));
        return samples;
    }

    private static void sample(StoredMessage message, String brokerGroup, String brokerTopic, long from, long to,
                               List<SampledCounts.Sample> into) {
        try {
            Body body = JSON.readValue(new String(message.body(), StandardCharsets.UTF_8), Body.class);
            Long consumed = body.c() == null ? null : body.c().get(brokerTopic);
            if (brokerGroup.equals(body.g()) && consumed != null && body.t() >= from && body.t() <= to) {
                into.add(new SampledCounts.Sample(body.t(), consumed));
            }
        } catch (IOException e) {
            // Not ours to read (the topic is the bridge's, but anybody may send to it): skipped, as any reader would.
            log.debug("skipping an unreadable stats sample at {}", message.queueOffset(), e);
        }
    }
}
