package io.onsbridge.bench;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * Issue 16's gateway figures at scale ({@code bin/bench mqtt-scale}), the devices in a separate JVM
 * ({@link DeviceSwarm}: Netty's MQTT codec as a client, two threads for all devices): a CONNECT's time to its
 * CONNACK with {@value #STORM} devices connecting at once; the bridge's heap held by {@value #IDLE} idle
 * connected devices; fan-out of a RocketMQ producer's messages to {@value #FANOUT} devices subscribed with a
 * wildcard (deliveries/s and p99 from the send to the device).
 */
final class MqttScaleBenchmark {
    private static final int STORM = 1_000;
    private static final int STORM_ROUNDS = 5;
    private static final Duration WARM_UP = Duration.ofSeconds(60);
    private static final int MIN_WARM_UP_ROUNDS = 3;
    private static final int IDLE = 10_000;
    private static final int FANOUT = 1_000;
    private static final int FANOUT_MESSAGES = 50;
    private static final double CONNECT_P99_GOAL_MS = 20;
    private static final double IDLE_HEAP_GOAL_MIB = 256;
    private static final String GROUP = "GID_bench_swarm";
    private static final byte[] BODY = "a message fanned out to a thousand devices".getBytes(StandardCharsets.UTF_8);

    private final BenchContext context;
    private String instance;

    MqttScaleBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        Client tea = context.tea();
        instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_mqtt_scale")).getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Fan").setMessageType(0));
        tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId(GROUP).setTopic("Fan"));
        List<ResultRow> rows = new ArrayList<>();
        rows.addAll(storm());
        rows.add(idleHeap());
        rows.addAll(fanOut());
        return rows;
    }

    /**
     * {@value #STORM_ROUNDS} rounds of {@value #STORM} CONNECTs written at once (after a minute of rounds not measured),
     * each after a warm-up storm of the same size from the same device process (not measured); the p99 of each round. Each round is followed by the same
     * storm against a {@link MqttFloorServer} in this JVM, which answers at once: the floor of the machine, the device
     * process and Netty, without the gateway.
     */
    private List<ResultRow> storm() throws Exception {
        List<Double> p99 = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> floorP99 = new ArrayList<>();
        List<Double> floorP50 = new ArrayList<>();
        List<Double> written = new ArrayList<>();
        try (MqttFloorServer floor = new MqttFloorServer()) {
            // As traceq, reads and mqtt warm up for a minute: the bridge's connect path compiled, as a bridge that
            // has served a while has it. Without this the first rounds measured the JIT (103 and 146 ms against 16
            // to 32 for the later ones in session 11; with three rounds of warm-up, the JIT compiler still took 43% of
            // this JVM's CPU over the run in session 12). The floor server's rounds alternate with the gateway's, as below.
            long warmUntil = System.nanoTime() + WARM_UP.toNanos();
            int warmRounds = 0;
            while (warmRounds < MIN_WARM_UP_ROUNDS || System.nanoTime() < warmUntil) {
                int before = connected();
                stormRound(context.bridge().mqttPort(), GROUP + "@@@warm" + warmRounds + "-", () -> awaitConnected(() -> connected() <= before));
                awaitConnected(() -> connected() <= before);
                stormRound(floor.port(), GROUP + "@@@floorwarm" + warmRounds + "-", () -> { });
                warmRounds++;
            }
            System.out.println("mqtt-scale: warmed up with " + warmRounds + " storm rounds (gateway and floor server) in " + WARM_UP.toSeconds() + " s");
            for (int round = 0; round < STORM_ROUNDS; round++) {
                int before = connected();
                String[] answer = stormRound(context.bridge().mqttPort(), GROUP + "@@@storm" + round + "-",
                        () -> awaitConnected(() -> connected() <= before)); // the warm-up's devices have left the bridge
                p50.add(Double.parseDouble(answer[1]));
                p99.add(Double.parseDouble(answer[2]));
                written.add(Double.parseDouble(answer[5]));
                awaitConnected(() -> connected() <= before);
                String[] atFloor = stormRound(floor.port(), GROUP + "@@@floor" + round + "-", () -> { });
                floorP50.add(Double.parseDouble(atFloor[1]));
                floorP99.add(Double.parseDouble(atFloor[2]));
            }
        }
        ResultRow.Spread measured = ResultRow.Spread.of(p99);
        System.out.println("mqtt-scale: CONNACK p50 per round " + p50 + " ms, p99 " + p99 + " ms; CONNECTs written in " + written
                + " ms; floor p50 " + floorP50 + " ms, p99 " + floorP99 + " ms");
        return List.of(new ResultRow("mqtt CONNECT to CONNACK p99, " + STORM + " Netty devices at once (vs 20 ms)", "ms", measured,
                        new ResultRow.Spread(CONNECT_P99_GOAL_MS, CONNECT_P99_GOAL_MS, CONNECT_P99_GOAL_MS), "< 20 ms",
                        measured.median() < CONNECT_P99_GOAL_MS),
                ResultRow.info("  the same storm against a server answering CONNACK at once, p99 (vs the gateway's)", "ms",
                        ResultRow.Spread.of(floorP99), measured));
    }

    /** One storm from a new device process: warm-up, then measured; {@code connack <p50> <p99> <max> <refused> <written>}. */
    private String[] stormRound(int port, String prefix, Waiting afterWarmUp) throws Exception {
        Swarm swarm = Swarm.start(context, port, instance, prefix, STORM, "storm");
        swarm.expect("warm");
        afterWarmUp.run();
        String[] answer = swarm.ask("connack").split(" ");
        swarm.stop();
        if (!"0".equals(answer[4])) {
            throw new IllegalStateException(answer[4] + " devices refused in the connect storm");
        }
        return answer;
    }

    @FunctionalInterface
    private interface Waiting {
        void run() throws InterruptedException;
    }

    /** Bridge heap after a full GC with {@value #IDLE} devices connected, minus the same before they connected. */
    private ResultRow idleHeap() throws Exception {
        int before = connected();
        long heapBefore = heapAfterGc();
        Swarm swarm = Swarm.start(context, context.bridge().mqttPort(), instance, GROUP + "@@@idle-", IDLE, "idle");
        try {
            swarm.expect("connected");
            awaitConnected(() -> connected() >= before + IDLE);
            double mib = (heapAfterGc() - heapBefore) / (1024.0 * 1024.0);
            System.out.printf("mqtt-scale: %d idle devices: %.1f MiB of heap (%.1f KiB each)%n", IDLE, mib, mib * 1024 / IDLE);
            ResultRow.Spread measured = new ResultRow.Spread(mib, mib, mib);
            return new ResultRow("mqtt heap held by " + IDLE + " idle devices (vs 256 MiB)", "MiB", measured,
                    new ResultRow.Spread(IDLE_HEAP_GOAL_MIB, IDLE_HEAP_GOAL_MIB, IDLE_HEAP_GOAL_MIB), "<= 256 MiB", mib <= IDLE_HEAP_GOAL_MIB);
        } finally {
            swarm.stop();
            awaitConnected(() -> connected() <= before);
        }
    }

    /**
     * {@value #FANOUT} devices subscribed to {@code Fan/#}; a RocketMQ producer sends {@value #FANOUT_MESSAGES} messages
     * to {@code Fan} (with {@code mqttSecondTopic}) as fast as it can; deliveries/s over the time from the first send
     * to the last delivery, against the deliveries/s offered (messages sent/s times devices).
     */
    private List<ResultRow> fanOut() throws Exception {
        Swarm swarm = Swarm.start(context, context.bridge().mqttPort(), instance, GROUP + "@@@fan-", FANOUT, "fanout", "Fan/#");
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_bench_fan_producer", null, false, null);
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-fan-" + System.nanoTime());
        try {
            swarm.expect("subscribed");
            producer.start();
            long firstSend = DeviceSwarm.epochMicros();
            for (int i = 0; i < FANOUT_MESSAGES; i++) {
                Message message = new Message("Fan", DeviceSwarm.stamped(BODY));
                message.putUserProperty("mqttSecondTopic", "/eu/berlin");
                producer.send(message);
            }
            double sendSeconds = (DeviceSwarm.epochMicros() - firstSend) / 1e6;
            long expected = (long) FANOUT * FANOUT_MESSAGES;
            String[] answer;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            do {
                Thread.sleep(500); // the devices' process reports when asked; polled until all arrived or the deadline
                answer = swarm.ask("delivered").split(" ");
            } while (Long.parseLong(answer[1]) < expected && System.nanoTime() < deadline);
            long delivered = Long.parseLong(answer[1]);
            double seconds = (Long.parseLong(answer[4]) - firstSend) / 1e6;
            double rate = delivered / seconds;
            double offered = expected / sendSeconds;
            double p99 = Double.parseDouble(answer[3]);
            System.out.printf("mqtt-scale: fan-out %d of %d deliveries in %.2f s (p50 %s ms, p99 %.1f ms)%n",
                    delivered, expected, seconds, answer[2], p99);
            return List.of(
                    ResultRow.info("mqtt fan-out to " + FANOUT + " devices (Fan/#), deliveries/s (vs offered)", "msg/s",
                            new ResultRow.Spread(rate, rate, rate), new ResultRow.Spread(offered, offered, offered)),
                    ResultRow.info("  fan-out send to device p99 (" + delivered + " of " + expected + " delivered)", "ms",
                            new ResultRow.Spread(p99, p99, p99), new ResultRow.Spread(sendSeconds * 1e3, sendSeconds * 1e3, sendSeconds * 1e3)));
        } finally {
            producer.shutdown();
            swarm.stop();
        }
    }

    private int connected() {
        return context.bridge().mqttDevices().connectedDevices();
    }

    private static void awaitConnected(IntSupplierCondition condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds() && System.nanoTime() < deadline) {
            Thread.sleep(50); // polled with a deadline: the bridge reports its sessions, nothing signals
        }
    }

    @FunctionalInterface
    private interface IntSupplierCondition {
        boolean holds();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // let the collection's reference processing finish
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A {@link DeviceSwarm} process: its answers line by line, commands on its stdin. */
    private record Swarm(Process process, BufferedReader out, Writer in) {
        static Swarm start(BenchContext context, int port, String instance, String prefix, int devices, String mode, String... more) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), DeviceSwarm.class.getName(),
                    Integer.toString(port), "Signature|" + context.accessKeyId() + "|" + instance,
                    context.accessKeySecret(), prefix, Integer.toString(devices), mode));
            command.addAll(List.of(more));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Swarm(process, new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        /** The next line starting with {@code word}; fails when the process ended first. */
        String expect(String word) throws Exception {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(word)) {
                    return line;
                }
                System.out.println("swarm: " + line);
            }
            throw new IllegalStateException("the device swarm ended before answering " + word);
        }

        String ask(String word) throws Exception {
            in.write("\n");
            in.flush();
            return expect(word);
        }

        void stop() throws Exception {
            if (process.isAlive()) { // storm mode ends by itself
                try {
                    in.write("\n");
                    in.close();
                } catch (IOException ended) {
                    // it ended between the check and the write (storm mode, after its answer): nothing to tell it
                }
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
