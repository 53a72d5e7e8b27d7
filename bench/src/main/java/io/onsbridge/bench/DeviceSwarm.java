package io.onsbridge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Many MQTT devices in one process, for the gateway's scale figures: Netty's own MQTT codec as a client pipeline,
 * every device on one event loop group of two threads (a Paho client costs three threads per device). Run by
 * {@link MqttBenchmark} as a separate JVM, so that what the devices hold is not counted in the bridge's heap.
 *
 * <p>{@code DeviceSwarm <port> <username> <secret> <clientIdPrefix> <devices> <mode> [filter]}; modes:
 * {@code storm} (all TCP connections opened, then every CONNECT written at once, first once to warm up, prints
 * {@code warm} and waits for a line on stdin, then measured: prints CONNACK latencies),
 * {@code idle} (connects, prints {@code connected}, stays until a line on stdin), {@code fanout} (connects,
 * subscribes to {@code filter} at QoS 1, prints {@code subscribed}; on each stdin line prints what arrived).
 * Every message a device receives carries its send time (epoch microseconds, 8 bytes) first.
 */
public final class DeviceSwarm {
    private static final int CONNECT_BATCH = 500;

    private final String username;
    private final String secret;
    private final int keepAliveSeconds = 300;
    private final ConcurrentLinkedQueue<Long> deliveryMicros = new ConcurrentLinkedQueue<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong lastDeliveredMicros = new AtomicLong();

    private DeviceSwarm(String username, String secret) {
        this.username = username;
        this.secret = secret;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        DeviceSwarm swarm = new DeviceSwarm(args[1], args[2]);
        String prefix = args[3];
        int devices = Integer.parseInt(args[4]);
        String mode = args[5];
        EventLoopGroup loops = new NioEventLoopGroup(2, new DefaultThreadFactory("swarm", true));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .remoteAddress("127.0.0.1", port);
            switch (mode) {
                case "storm" -> {
                    // The same storm once before, not measured: this JVM's client code is compiled by then, as a
                    // device's would be (a fresh JVM runs its first thousand connects interpreted).
                    swarm.storm(bootstrap, prefix + "warm-", devices, false);
                    System.out.println("warm");
                    in.readLine();
                    swarm.storm(bootstrap, prefix, devices, true);
                }
                case "idle" -> {
                    List<Device> connected = swarm.connectAll(bootstrap, prefix, devices);
                    System.out.println("connected " + connected.size());
                    in.readLine();
                }
                case "fanout" -> {
                    List<Device> connected = swarm.connectAll(bootstrap, prefix, devices);
                    List<CompletableFuture<Void>> subacks = new ArrayList<>();
                    for (Device device : connected) {
                        subacks.add(device.subscribe(args[6]));
                    }
                    CompletableFuture.allOf(subacks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                    System.out.println("subscribed " + connected.size());
                    while (in.readLine() != null) {
                        System.out.println(swarm.deliveries());
                    }
                }
                default -> throw new IllegalArgumentException("no mode " + mode);
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            System.out.flush();
            System.exit(0);
        }
    }

    /**
     * Opens every TCP connection first, then writes every CONNECT at once; once every CONNACK came, closes them all.
     * When {@code report}, prints {@code connack <p50> <p99> <max> <refused> <written>} in ms, {@code written} the time from
     * the first CONNECT written to the last (this process's own share: its two event loops write them one after another).
     */
    private void storm(Bootstrap bootstrap, String prefix, int devices, boolean report) throws Exception {
        List<Device> opened = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            opened.add(open(bootstrap, prefix + i));
        }
        for (Device device : opened) {
            device.channel.eventLoop().execute(device::sendConnect);
        }
        List<Double> millis = new ArrayList<>();
        int refused = 0;
        long firstWritten = Long.MAX_VALUE;
        long lastWritten = Long.MIN_VALUE;
        for (Device device : opened) {
            MqttConnectReturnCode code = device.connack.get(120, TimeUnit.SECONDS);
            if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                refused++;
            }
            millis.add((device.connackNanos - device.connectNanos) / 1e6);
            firstWritten = Math.min(firstWritten, device.connectNanos);
            lastWritten = Math.max(lastWritten, device.connectNanos);
        }
        for (Device device : opened) {
            device.channel.close().sync();
        }
        if (!report) {
            return;
        }
        millis.sort(null);
        System.out.printf("connack %.2f %.2f %.2f %d %.2f%n", at(millis, 0.50), at(millis, 0.99), millis.get(millis.size() - 1), refused,
                (lastWritten - firstWritten) / 1e6);
    }

    /** Connects the devices {@value #CONNECT_BATCH} at a time; fails if one is refused. */
    private List<Device> connectAll(Bootstrap bootstrap, String prefix, int devices) throws Exception {
        List<Device> connected = new ArrayList<>();
        for (int from = 0; from < devices; from += CONNECT_BATCH) {
            List<Device> batch = new ArrayList<>();
            for (int i = from; i < Math.min(devices, from + CONNECT_BATCH); i++) {
                Device device = open(bootstrap, prefix + i);
                device.channel.eventLoop().execute(device::sendConnect);
                batch.add(device);
            }
            for (Device device : batch) {
                MqttConnectReturnCode code = device.connack.get(120, TimeUnit.SECONDS);
                if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    throw new IllegalStateException(device.clientId + " refused: " + code);
                }
            }
            connected.addAll(batch);
        }
        return connected;
    }

    private Device open(Bootstrap bootstrap, String clientId) throws Exception {
        Device device = new Device(clientId, password(clientId));
        Channel channel = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, device);
            }
        }).connect().sync().channel();
        device.channel = channel;
        return device;
    }

    /** {@code delivered <count> <p50 ms> <p99 ms> <first-to-last seconds>}: latencies from each message's send time. */
    private String deliveries() {
        List<Double> millis = new ArrayList<>();
        for (Long micros : deliveryMicros) {
            millis.add(micros / 1e3);
        }
        millis.sort(null);
        return String.format("delivered %d %.2f %.2f %d", delivered.get(), at(millis, 0.50), at(millis, 0.99), lastDeliveredMicros.get());
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(sorted.size() * quantile) - 1);
    }

    private String password(String clientId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(clientId.getBytes(StandardCharsets.UTF_8)));
    }

    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** One device: its CONNECT, its CONNACK, its SUBSCRIBE, and the PUBACKs of what it receives. */
    private final class Device extends SimpleChannelInboundHandler<MqttMessage> {
        final String clientId;
        final String password;
        final CompletableFuture<MqttConnectReturnCode> connack = new CompletableFuture<>();
        final CompletableFuture<Void> suback = new CompletableFuture<>();
        volatile Channel channel;
        volatile long connectNanos;
        volatile long connackNanos;

        Device(String clientId, String password) {
            this.clientId = clientId;
            this.password = password;
        }

        void sendConnect() {
            connectNanos = System.nanoTime();
            channel.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1)
                    .cleanSession(true).keepAlive(keepAliveSeconds).hasUser(true).username(username)
                    .hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8)).build());
        }

        CompletableFuture<Void> subscribe(String filter) {
            channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, filter).build());
            return suback;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            MqttMessageType type = message.fixedHeader().messageType();
            if (type == MqttMessageType.CONNACK) {
                connackNanos = System.nanoTime();
                connack.complete(((MqttConnAckMessage) message).variableHeader().connectReturnCode());
            } else if (type == MqttMessageType.SUBACK) {
                suback.complete(null);
            } else if (type == MqttMessageType.PUBLISH) {
                MqttPublishMessage publish = (MqttPublishMessage) message;
                long now = epochMicros();
                if (publish.payload().readableBytes() >= Long.BYTES) {
                    long sent = publish.payload().getLong(publish.payload().readerIndex());
                    deliveryMicros.add(now - sent);
                }
                delivered.incrementAndGet();
                lastDeliveredMicros.accumulateAndGet(now, Math::max);
                if (publish.fixedHeader().qosLevel().value() > 0) {
                    ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build());
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connack.completeExceptionally(new IllegalStateException(clientId + ": connection closed"));
            suback.completeExceptionally(new IllegalStateException(clientId + ": connection closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static byte[] stamped(byte[] body) {
        return ByteBuffer.allocate(Long.BYTES + body.length).putLong(epochMicros()).put(body).array();
    }
}
