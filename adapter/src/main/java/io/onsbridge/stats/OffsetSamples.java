package io.onsbridge.stats;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.MessageClient;
import io.onsbridge.backend.SystemResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
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
final class OffsetSamples implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OffsetSamples.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int READ_BATCH = 32;
    /** Bounds the work of one curve: a day of one-second samples of one group. */
    static final int MAX_SAMPLES_READ = 100_000;

    /** The wire form of a sample. */
    record Body(long t, String g, Map<String, Long> c) {
    }

    private final ClusterAdmin cluster;
    private final MessageClient messages;
    private final DefaultMQProducer producer;
    private volatile boolean topicReady;

    OffsetSamples(ClusterAdmin cluster, MessageClient messages) {
        this.cluster = cluster;
        this.messages = messages;
        // Trace off: our samples are not application traffic and must not show up as traces.
        this.producer = new DefaultMQProducer(null, "ons_bridge_stats_sampler", null, false, null);
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName("ons-bridge-stats-" + UUID.randomUUID());
    }

    OffsetSamples start() {
        try {
            producer.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the stats producer for " + cluster.namesrvAddr(), e);
        }
        return this;
    }

    /** One sample of a group: per topic, the sum of its committed offsets at {@code time}. */
    void write(String brokerGroup, long time, Map<String, Long> consumedByTopic) {
        ensureTopic();
        try {
            byte[] body = JSON.writeValueAsBytes(new Body(time, brokerGroup, consumedByTopic));
            cluster.call("store a stats sample of " + brokerGroup, a -> producer.send(new Message(SystemResources.STATS_TOPIC, brokerGroup, body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The group's samples of the topic taken in {@code [from, to]}, by time. */
    List<SampledCounts.Sample> read(String brokerGroup, String brokerTopic, long from, long to) {
        List<SampledCounts.Sample> samples = new ArrayList<>();
        for (MessageQueue queue : messages.queues(SystemResources.STATS_TOPIC)) {
            long cursor = messages.offsetAt(queue, from);
            long stop = messages.offsetAt(queue, to + 1);
            while (cursor < stop && samples.size() < MAX_SAMPLES_READ) {
                MessageClient.Batch batch = messages.read(queue, brokerGroup, cursor, READ_BATCH);
                for (MessageExt message : batch.messages()) {
                    if (message.getQueueOffset() < stop) {
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

    private static void sample(MessageExt message, String brokerGroup, String brokerTopic, long from, long to,
                               List<SampledCounts.Sample> into) {
        try {
            Body body = JSON.readValue(new String(message.getBody(), StandardCharsets.UTF_8), Body.class);
            Long consumed = body.c() == null ? null : body.c().get(brokerTopic);
            if (brokerGroup.equals(body.g()) && consumed != null && body.t() >= from && body.t() <= to) {
                into.add(new SampledCounts.Sample(body.t(), consumed));
            }
        } catch (IOException e) {
            log.debug("skipping an unreadable stats sample at {}: {}", message.getQueueOffset(), e.getMessage());
        }
    }

    /** Creates the samples topic on every master once (one queue each: samples are small and few). */
    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        if (!cluster.topicNames().contains(SystemResources.STATS_TOPIC)) {
            cluster.createTopic(cluster.masterAddresses(), new TopicConfig(SystemResources.STATS_TOPIC, 1, 1,
                    PermName.PERM_READ | PermName.PERM_WRITE));
        }
        topicReady = true;
    }

    @Override
    public void close() {
        producer.shutdown();
    }
}
