package io.onsbridge.mqttgateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT server: Netty's MQTT codec (3.1, 3.1.1 and 5) on a TCP port, one {@link MqttConnection} per
 * device, the backend's calls on a small pool of workers.
 */
public final class MqttGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttGateway.class);

    /** How the gateway serves its devices. */
    public record Limits(int workerThreads, int inFlightWindow, int queuedPerDevice, int maxMessageBytes, long connectTimeoutMillis) {
        /** 32 QoS 1 messages awaiting PUBACK per device, 1,000 more queued; 4 MiB messages, RocketMQ's default maximum. */
        public static Limits defaults(int workerThreads) {
            return new Limits(workerThreads, 32, 1_000, 4 << 20, 10_000);
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup loops;
    private final ExecutorService workers;
    private final ChannelGroup live;
    private final Channel server;

    private MqttGateway(EventLoopGroup boss, EventLoopGroup loops, ExecutorService workers, ChannelGroup live, Channel server) {
        this.live = live;
        this.boss = boss;
        this.loops = loops;
        this.workers = workers;
        this.server = server;
    }

    /** Binds {@code host:port} (0: any free port) and serves devices through {@code backend}. */
    public static MqttGateway start(String host, int port, MqttBackend backend, Limits limits) throws InterruptedException {
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-accept", true));
        EventLoopGroup loops = new NioEventLoopGroup(0, new DefaultThreadFactory("mqtt-io", true));
        ExecutorService workers = Executors.newFixedThreadPool(limits.workerThreads(), new DefaultThreadFactory("mqtt-worker", true));
        ChannelGroup channels = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
        try {
            Channel server = new ServerBootstrap().group(boss, loops).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            channels.add(ch);
                            // One flush for the packets written in one turn of the event loop (a message fanned out, a
                            // burst of PUBACKs): one system call instead of one per packet.
                            ch.pipeline().addLast("flushes", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                                    .addLast("decoder", new MqttDecoder(limits.maxMessageBytes()))
                                    .addLast("encoder", MqttEncoder.INSTANCE)
                                    .addLast("connection", new MqttConnection(backend, workers, limits.inFlightWindow(),
                                            limits.queuedPerDevice(), limits.connectTimeoutMillis()));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new MqttGateway(boss, loops, workers, channels, server);
        } catch (RuntimeException | InterruptedException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownNow();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Devices connected now (TCP connections, CONNECT answered or not). */
    public int connections() {
        return live.size();
    }

    /** Stops accepting, closes every device's connection (no will: the server let them go), then the workers finish their calls. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        live.forEach(ch -> {
            MqttConnection connection = ch.pipeline().get(MqttConnection.class);
            if (connection != null) {
                connection.close(MqttBackend.CloseReason.SHUTDOWN);
            }
        });
        live.newCloseFuture().awaitUninterruptibly(5_000);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("MQTT gateway: backend calls still running after 5 s; leaving them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
