package io.onsbridge.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The floor of the gateway's figures: an MQTT server that answers every CONNECT with an accepting CONNACK and every
 * QoS 1 PUBLISH with its PUBACK at once (no identity, no session, nothing stored), on the gateway's own pipeline
 * (Netty's MQTT codec, the same event loop sizes, flushes consolidated) in the bench JVM. Whatever a CONNECT or a
 * publish costs against it is the machine's, the devices' (their client library's) and Netty's.
 */
final class MqttFloorServer implements AutoCloseable {
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("floor-accept", true));
    private final EventLoopGroup loops = new NioEventLoopGroup(0, new DefaultThreadFactory("floor-io", true));
    private final Channel server;

    MqttFloorServer() throws InterruptedException {
        server = new ServerBootstrap().group(boss, loops).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                                new MqttDecoder(), MqttEncoder.INSTANCE, new Answer());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Answer extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            MqttMessageType type = message.fixedHeader().messageType();
            if (type == MqttMessageType.CONNECT) {
                ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).sessionPresent(false).build());
            } else if (type == MqttMessageType.PUBLISH && message.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(((MqttPublishMessage) message).variableHeader().packetId()).build());
            } else if (type == MqttMessageType.DISCONNECT) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
