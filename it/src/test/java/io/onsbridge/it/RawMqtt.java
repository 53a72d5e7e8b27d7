package io.onsbridge.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A device written with Netty's own MQTT codec over a plain socket: for what Paho 3.1.1 cannot do (MQTT 5's
 * reason codes, falling silent without closing). The codec encodes and decodes; nothing is parsed by hand.
 */
final class RawMqtt implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);

    RawMqtt(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
    }

    void send(MqttMessage message) throws IOException {
        codec.writeOutbound(message);
        ByteBuf encoded = codec.readOutbound();
        try {
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            socket.getOutputStream().write(bytes);
        } finally {
            encoded.release();
        }
    }

    /** The next packet from the server; null when it closed the connection first. */
    MqttMessage receive() throws IOException {
        while (true) {
            Object decoded = codec.readInbound();
            if (decoded != null) {
                ReferenceCountUtil.release(decoded); // headers and properties stay readable; payloads are not asked for
                return (MqttMessage) decoded;
            }
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            if (read < 0) {
                return null;
            }
            codec.writeInbound(Unpooled.wrappedBuffer(buffer, 0, read));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        codec.finishAndReleaseAll();
    }
}
