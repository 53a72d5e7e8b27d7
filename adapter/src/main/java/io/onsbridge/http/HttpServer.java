package io.onsbridge.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.onsbridge.mqhttp.MqHttpDoor;
import io.onsbridge.protocol.RequestProcessor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Netty HTTP server of the ONS endpoint: connection limits, codec, aggregator, one handler, a bounded
 * worker pool.
 */
public final class HttpServer implements AutoCloseable {
    /** Requests are parameter lists; 8 MiB leaves room for OnsMessageSend bodies (RocketMQ's 4 MiB limit). */
    private static final int MAX_REQUEST_BYTES = 8 << 20;

    private final EventLoopGroup bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("ons-http-boss"));
    private final EventLoopGroup ioGroup = new NioEventLoopGroup(2, new DefaultThreadFactory("ons-http-io"));
    private final ThreadPoolExecutor workers;
    private final Channel channel;
    /** The HTTPS port's channel, or null without {@link Tls}. */
    private final Channel tlsChannel;

    private final ConnectionGuard guard;

    /** What a client's connections may hold of the server. */
    public record Limits(int maxConnections, int maxPerAddress, Duration idle, Duration read) {
    }

    /**
     * @param mqHttp the MQ HTTP protocol's door, or null to serve the ONS API alone
     * @param tls    a second port serving the same over TLS, or null for plain HTTP only
     */
    public HttpServer(String bindAddress, int port, RequestProcessor processor, HealthProbe health, MetricsEndpoint metrics,
                      int workerThreads, int queueLength, Limits limits, MqHttpDoor mqHttp, Tls tls) throws InterruptedException {
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueLength), new DefaultThreadFactory("ons-worker"), new ThreadPoolExecutor.AbortPolicy());
        this.guard = new ConnectionGuard(new ConnectionGuard.Limits(limits.maxConnections(), limits.maxPerAddress(), limits.idle(),
                limits.read()));
        OnsHttpHandler handler = new OnsHttpHandler(processor, health, metrics, workers, mqHttp);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024);
        try {
            this.channel = bootstrap.clone().childHandler(pipeline(handler, null)).bind(bindAddress, port).sync().channel();
            // Both ports share the workers, the event loops and the connection limits: one endpoint, two doors.
            this.tlsChannel = tls == null ? null
                    : bootstrap.clone().childHandler(pipeline(handler, tls.context())).bind(bindAddress, tls.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private ChannelInitializer<SocketChannel> pipeline(OnsHttpHandler handler, SslContext ssl) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // The guard first even with TLS: it counts the connection and times the handshake as part of the request.
                ch.pipeline().addLast(guard.head());
                if (ssl != null) {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                }
                ch.pipeline()
                        .addLast(new StrictRequestDecoder())
                        .addLast(new HttpResponseEncoder())
                        .addLast(new HttpServerExpectContinueHandler())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES) {
                            @Override
                            protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                                handler.refuseOversized(ctx, oversized, MAX_REQUEST_BYTES);
                            }
                        })
                        .addLast(guard.tail())
                        .addLast(handler);
            }
        };
    }

    /** Connections open now. */
    public int openConnections() {
        return guard.open();
    }

    /** Workers serving a call now. */
    public int busyWorkers() {
        return workers.getActiveCount();
    }

    /** Calls waiting for a worker (at most the queue length given at start; beyond it calls are refused). */
    public int waitingCalls() {
        return workers.getQueue().size();
    }

    /** The bound port: the configured one, or the one the OS chose for port 0. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The bound HTTPS port, or -1 without TLS. */
    public int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
    }
}
