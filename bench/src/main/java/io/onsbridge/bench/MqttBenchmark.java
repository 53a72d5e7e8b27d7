package io.onsbridge.bench;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsMqttGroupIdCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Issue 16's gateway figures: QoS 1 messages/s published by 16 Paho devices through the MQTT gateway (each
 * publish returns on its PUBACK, which the gateway sends once the broker stored the message), against a RocketMQ
 * producer's sync sends of the same messages with 16 threads, rounds alternating in the same run: the goal's baseline
 * is the project's standard client (namespace = instance, message trace on, as the gateway's sends are traced), the
 * same producer without trace is shown beside it; the p99 of a
 * publish to its PUBACK; and a CONNECT's p99 to its CONNACK with {@value #CONNECTING} devices connecting at once.
 * Both also against {@link MqttFloorServer}, which answers at once: what Paho and the machine cost without the gateway.
 */
final class MqttBenchmark {
    private static final int DEVICES = 16;
    private static final int PER_DEVICE = 150;
    private static final int ROUNDS = 3;
    private static final int CONNECTING = 200;
    private static final double GOAL = 0.5;
    private static final double CONNECT_P99_GOAL_MS = 20;
    private static final String GROUP = "GID_bench_devices";
    private static final byte[] BODY = "a message of the MQTT gateway benchmark, about a hundred bytes long ......"
            .getBytes(StandardCharsets.UTF_8);

    private final BenchContext context;
    private String instance;

    MqttBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        Client tea = context.tea();
        instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_mqtt")).getBody().getData().getInstanceId();
        for (String topic : List.of("ViaMqtt", "Direct")) {
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        }
        tea.onsMqttGroupIdCreate(new OnsMqttGroupIdCreateRequest().setInstanceId(instance).setGroupId(GROUP).setTopic("ViaMqtt"));
        // The project's standard client (namespace = instance, message trace on), as the gateway's own sends are traced;
        // and the same without its trace, as information.
        DefaultMQProducer traced = producer("GID_bench_mqtt_traced_producer", true);
        DefaultMQProducer producer = producer("GID_bench_mqtt_producer", false);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(DEVICES, CONNECTING));
        List<MqttClient> devices = new ArrayList<>();
        // Paho's own share: the same client against a server that answers at once (the floor of the rows below)
        List<MqttClient> floorDevices = new ArrayList<>();
        MqttFloorServer floor = new MqttFloorServer();
        try {
            for (int i = 0; i < DEVICES; i++) {
                devices.add(connect(context.bridge().mqttPort(), GROUP + "@@@publisher-" + i));
                floorDevices.add(connect(floor.port(), GROUP + "@@@floor-" + i));
            }
            Round.Call viaMqtt = device -> devices.get(device).publish("ViaMqtt/bench/" + device, BODY, 1, false);
            Round.Call atFloor = device -> floorDevices.get(device).publish("ViaMqtt/bench/" + device, BODY, 1, false);
            Round.Call directTraced = device -> send(traced);
            Round.Call direct = device -> send(producer);
            // Warm-up, every path, for a minute: a fresh JVM's bridge and broker are still being compiled well into the
            // first minute (see ConcurrentLatency.warmUp); one storm of CONNECTs too
            long warmEnd = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < warmEnd) {
                Round.run(pool, DEVICES, PER_DEVICE / 3, viaMqtt);
                Round.run(pool, DEVICES, PER_DEVICE / 3, directTraced);
                Round.run(pool, DEVICES, PER_DEVICE / 3, direct);
                Round.run(pool, DEVICES, PER_DEVICE / 3, atFloor);
            }
            connectAtOnce(pool, context.bridge().mqttPort(), -1);
            connectAtOnce(pool, floor.port(), -1);
            List<Double> mqttRate = new ArrayList<>();
            List<Double> tracedRate = new ArrayList<>();
            List<Double> directRate = new ArrayList<>();
            List<Double> mqttP99 = new ArrayList<>();
            List<Double> tracedP99 = new ArrayList<>();
            List<Double> directP99 = new ArrayList<>();
            List<Double> connectP99 = new ArrayList<>();
            List<Double> floorRate = new ArrayList<>();
            List<Double> floorP99 = new ArrayList<>();
            List<Double> floorConnectP99 = new ArrayList<>();
            List<Double> mqttCpu = new ArrayList<>();
            List<Double> tracedCpu = new ArrayList<>();
            List<Double> floorCpu = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                Round gateway = Round.run(pool, DEVICES, PER_DEVICE, viaMqtt);
                Round straightTraced = Round.run(pool, DEVICES, PER_DEVICE, directTraced);
                Round straight = Round.run(pool, DEVICES, PER_DEVICE, direct);
                Round paho = Round.run(pool, DEVICES, PER_DEVICE, atFloor);
                floorRate.add(paho.rate());
                floorP99.add(paho.p99());
                mqttCpu.add(gateway.cpuMicros());
                tracedCpu.add(straightTraced.cpuMicros());
                floorCpu.add(paho.cpuMicros());
                mqttRate.add(gateway.rate());
                mqttP99.add(gateway.p99());
                tracedRate.add(straightTraced.rate());
                tracedP99.add(straightTraced.p99());
                directRate.add(straight.rate());
                directP99.add(straight.p99());
                connectP99.add(connectAtOnce(pool, context.bridge().mqttPort(), round));
                floorConnectP99.add(connectAtOnce(pool, floor.port(), round));
            }
            ResultRow.Spread mqtt = ResultRow.Spread.of(mqttRate);
            ResultRow.Spread straightTraced = ResultRow.Spread.of(tracedRate);
            ResultRow.Spread connect = ResultRow.Spread.of(connectP99);
            ResultRow.Spread connectGoal = new ResultRow.Spread(CONNECT_P99_GOAL_MS, CONNECT_P99_GOAL_MS, CONNECT_P99_GOAL_MS);
            return List.of(
                    new ResultRow("mqtt publish QoS 1, 16 Paho devices (vs traced RocketMQ producer, 16 threads)", "msg/s", mqtt,
                            straightTraced, ">= 0.5x", mqtt.median() >= GOAL * straightTraced.median()),
                    ResultRow.info("  the same (vs RocketMQ producer without message trace, 16 threads)", "msg/s", mqtt,
                            ResultRow.Spread.of(directRate)),
                    ResultRow.info("  floor: the same 16 Paho devices against a server answering PUBACK at once (vs traced producer)", "msg/s",
                            ResultRow.Spread.of(floorRate), straightTraced),
                    ResultRow.info("  CPU per publish, the whole bench JVM: devices, bridge, broker (vs per traced producer send)", "us",
                            ResultRow.Spread.of(mqttCpu), ResultRow.Spread.of(tracedCpu)),
                    ResultRow.info("  CPU per publish against the server answering at once: Paho's and Netty's share (vs the gateway's)", "us",
                            ResultRow.Spread.of(floorCpu), ResultRow.Spread.of(mqttCpu)),
                    ResultRow.info("  publish to PUBACK p99, Paho QoS 1 (vs traced producer sync send p99)", "ms",
                            ResultRow.Spread.of(mqttP99), ResultRow.Spread.of(tracedP99)),
                    ResultRow.info("  publish to PUBACK p99, Paho QoS 1 (vs untraced producer sync send p99)", "ms",
                            ResultRow.Spread.of(mqttP99), ResultRow.Spread.of(directP99)),
                    ResultRow.info("  floor: publish to PUBACK p99 against a server answering at once (vs the gateway's)", "ms",
                            ResultRow.Spread.of(floorP99), ResultRow.Spread.of(mqttP99)),
                    // Information: Paho starts three threads a device in this JVM, and the floor server's row shows
                    // that is most of it; the goal's row is bin/bench mqtt-scale's, 1,000 devices in their own JVM.
                    ResultRow.info("mqtt CONNECT to CONNACK p99, " + CONNECTING + " Paho devices at once (vs 20 ms; the goal's row is mqtt-scale's)",
                            "ms", connect, connectGoal),
                    ResultRow.info("  floor: the same storm against a server answering CONNACK at once, p99 (vs the gateway's)", "ms",
                            ResultRow.Spread.of(floorConnectP99), connect));
        } finally {
            for (MqttClient device : devices) {
                device.disconnect();
                device.close();
            }
            for (MqttClient device : floorDevices) {
                device.disconnectForcibly(0, 1_000, false);
                device.close(true);
            }
            floor.close();
            pool.shutdownNow();
            producer.shutdown();
            traced.shutdown();
        }
    }

    private DefaultMQProducer producer(String group, boolean traced) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(instance, group, null, traced, null);
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-mqtt-" + group + "-" + System.nanoTime());
        producer.start();
        return producer;
    }

    private static void send(DefaultMQProducer producer) throws Exception {
        if (producer.send(new Message("Direct", BODY)).getSendStatus() != SendStatus.SEND_OK) {
            throw new IllegalStateException("not stored");
        }
    }

    /** {@value #CONNECTING} devices released at once by a barrier; each CONNECT's time to its CONNACK, p99 in ms. */
    private double connectAtOnce(ExecutorService pool, int port, int round) throws Exception {
        CyclicBarrier start = new CyclicBarrier(CONNECTING);
        List<Future<Double>> times = new ArrayList<>();
        for (int i = 0; i < CONNECTING; i++) {
            String clientId = GROUP + "@@@r" + round + "-" + port + "-" + i;
            times.add(pool.submit(() -> {
                MqttClient device = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
                MqttConnectOptions options = options(clientId);
                start.await();
                long begin = System.nanoTime();
                device.connect(options);
                double millis = (System.nanoTime() - begin) / 1e6;
                // MQTT 3.1.1's DISCONNECT has no answer: the server's close may reach Paho before its own and fail
                // disconnect() with "Connection lost"; what is measured is the connect, so the socket is simply dropped.
                device.disconnectForcibly(0, 1_000, false);
                device.close(true);
                return millis;
            }));
        }
        List<Double> millis = new ArrayList<>();
        for (Future<Double> time : times) {
            millis.add(time.get());
        }
        Collections.sort(millis);
        return millis.get((int) Math.ceil(millis.size() * 0.99) - 1);
    }

    private MqttClient connect(int port, String clientId) throws Exception {
        MqttClient device = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        device.connect(options(clientId));
        return device;
    }

    private MqttConnectOptions options(String clientId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(context.accessKeySecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName("Signature|" + context.accessKeyId() + "|" + instance);
        options.setPassword(java.util.Base64.getEncoder().encodeToString(mac.doFinal(clientId.getBytes(StandardCharsets.UTF_8))).toCharArray());
        options.setCleanSession(true);
        options.setConnectionTimeout(30);
        options.setMaxInflight(1000);
        return options;
    }

    /**
     * One round: each of {@code threads} threads makes {@code each} calls; the rate over all, the p99 of one call, and
     * the CPU time this JVM (devices, bridge, broker alike) spent per call: what a path costs the machine.
     */
    private record Round(double rate, double p99, double cpuMicros) {
        @FunctionalInterface
        interface Call {
            void run(int thread) throws Exception;
        }

        static Round run(ExecutorService pool, int threads, int each, Call call) throws Exception {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<Double>>> done = new ArrayList<>();
            long cpuBegin = ProcessSampler.cpuNanos();
            long begin = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    List<Double> millis = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        long one = System.nanoTime();
                        call.run(thread);
                        millis.add((System.nanoTime() - one) / 1e6);
                    }
                    return millis;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> f : done) {
                all.addAll(f.get());
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double cpuMicros = (ProcessSampler.cpuNanos() - cpuBegin) / 1e3 / all.size();
            Collections.sort(all);
            return new Round(all.size() / seconds, all.get((int) Math.ceil(all.size() * 0.99) - 1), cpuMicros);
        }
    }
}
