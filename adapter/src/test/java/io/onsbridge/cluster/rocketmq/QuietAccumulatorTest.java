package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * RocketMQ's produce accumulator guards (threads {@code Client_<instance>_GuardFor...}) wake every half of
 * {@code batchMaxDelayMs} whether or not anything is batched: a traced producer of the bridge (two accumulators: its
 * client instance's and its trace producer's, four guards) must not wake them 800 times a second, as at RocketMQ's
 * default. Counted from Linux's voluntary context switches of the guards, one per sleep.
 */
class QuietAccumulatorTest {
    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void aTracedProducersAccumulatorGuardsWakeAFewTimesASecond() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "needs Linux's /proc");
        Set<String> before = guards().keySet();
        // no name server is needed to start a producer; an unreachable one is only retried in the background
        DefaultMQProducer producer = new ClientFactory("127.0.0.1:1", ClusterCredentials.NONE, 3_000).producer("quiet_accumulator", true);
        producer.start();
        try {
            Map<String, Long> started = guards();
            started.keySet().removeAll(before);
            assertThat(started).as("the guards of the producer's two accumulators").hasSize(4);
            // the guards' rate over their next 20 wake-ups: a fraction of a second at 100 ms, a few ms at RocketMQ's 10 ms
            long from = System.nanoTime();
            long[] wakeUps = new long[1];
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
                Map<String, Long> now = guards();
                wakeUps[0] = started.entrySet().stream().mapToLong(g -> now.getOrDefault(g.getKey(), g.getValue()) - g.getValue()).sum();
                return wakeUps[0] >= 20;
            });
            double seconds = (System.nanoTime() - from) / 1e9;
            assertThat(wakeUps[0] / seconds).as("wake-ups a second of four guards (RocketMQ's default: about 800)").isLessThan(200);
        } finally {
            producer.shutdown();
        }
    }

    /** Voluntary context switches of each accumulator guard thread of this JVM, by task id. */
    private static Map<String, Long> guards() throws IOException {
        Map<String, Long> switches = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.collect(Collectors.toList())) {
                String name = read(task.resolve("comm")).trim();
                if (!name.startsWith("Client_")) {
                    continue; // Linux keeps 15 characters of a thread's name: "Client_ons-brid"
                }
                read(task.resolve("status")).lines().filter(l -> l.startsWith("voluntary_ctxt_switches:")).findFirst()
                        .ifPresent(l -> switches.put(task.getFileName().toString(), Long.parseLong(l.split("\\s+")[1])));
            }
        }
        return switches;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }
}
