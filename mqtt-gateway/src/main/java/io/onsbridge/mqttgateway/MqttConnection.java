package io.onsbridge.mqttgateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's connection: MQTT's rules (CONNECT first, keep-alive, packet ids, will) on Netty's decoded
 * packets, the backend's calls on the connection's {@link SerialTasks}. Whatever a packet or a backend call
 * throws closes this connection only, with a reason the backend records.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements MqttBackend.Device {
    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    /** Packets that may arrive between CONNECT and its answer (a client may send them in the same segment). */
    private static final int MAX_EARLY_PACKETS = 64;
    /** PUBLISHes being stored before the socket is no longer read from, and the level at which it is again. */
    private static final int HIGH_BACKLOG = 256;
    private static final int LOW_BACKLOG = 64;

    private enum State { AWAITING_CONNECT, OPENING, OPEN, CLOSED }

    private final MqttBackend backend;
    private final SerialTasks tasks;
    private final Outbox outbox;
    private final PublishAnswers answers = new PublishAnswers();
    private final long connectTimeoutMillis;
    private final String channelId = UUID.randomUUID().toString().replace("-", "");
    private final AtomicReference<MqttBackend.CloseReason> closeReason = new AtomicReference<>();
    private final Queue<MqttMessage> early = new ArrayDeque<>();
    private volatile Channel channel;
    private State state = State.AWAITING_CONNECT;
    private MqttBackend.Session session;
    private MqttBackend.Message will;
    private int version = MqttVersion.MQTT_3_1_1.protocolLevel();

    MqttConnection(MqttBackend backend, Executor workers, int window, int queued, long connectTimeoutMillis) {
        this.backend = backend;
        this.tasks = new SerialTasks(workers);
        this.outbox = new Outbox(window, queued);
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    // --- the device's packets ------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.executor().schedule(() -> {
            if (state == State.AWAITING_CONNECT) {
                close(MqttBackend.CloseReason.PROTOCOL_ERROR);
            }
        }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MqttMessage packet) {
                receive(ctx, packet);
            }
        } catch (RuntimeException e) {
            log.warn("MQTT connection {}: closing it after a packet it could not handle", channelId, e);
            close(MqttBackend.CloseReason.PROTOCOL_ERROR);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void receive(ChannelHandlerContext ctx, MqttMessage packet) {
        if (packet.decoderResult().isFailure()) {
            refuseMalformed(packet);
            return;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        switch (state) {
            case AWAITING_CONNECT -> {
                if (type != MqttMessageType.CONNECT) {
                    close(MqttBackend.CloseReason.PROTOCOL_ERROR);
                    return;
                }
                connect(ctx, (MqttConnectMessage) packet);
            }
            case OPENING -> {
                if (early.size() >= MAX_EARLY_PACKETS) {
                    close(MqttBackend.CloseReason.PROTOCOL_ERROR);
                    return;
                }
                early.add(copy(packet));
            }
            case OPEN -> handle(packet);
            case CLOSED -> { }
        }
    }

    private void handle(MqttMessage packet) {
        session.touched();
        switch (packet.fixedHeader().messageType()) {
            case PUBLISH -> publish((MqttPublishMessage) packet);
            case PUBACK -> outbox.acked(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId(), this::write);
            case PUBREL -> send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    MqttMessageIdVariableHeader.from(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId())));
            case PUBREC, PUBCOMP -> { } // the gateway sends no QoS 2
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) packet);
            case PINGREQ -> send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> {
                will = null;
                close(MqttBackend.CloseReason.DISCONNECTED);
            }
            default -> close(MqttBackend.CloseReason.PROTOCOL_ERROR); // a second CONNECT, AUTH, or a server's packet
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        state = State.OPENING;
        version = connect.variableHeader().version();
        var payload = connect.payload();
        if (connect.variableHeader().isWillFlag()) {
            will = new MqttBackend.Message(payload.willTopic(), Math.min(connect.variableHeader().willQos(), 1),
                    payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes());
        }
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        MqttBackend.Connect request = new MqttBackend.Connect(payload.clientIdentifier(), payload.userName(), payload.passwordInBytes(),
                connect.variableHeader().isCleanSession(), version, keepAlive, channelId, remoteAddress(), will);
        if (keepAlive > 0) {
            // MQTT: the server closes a connection it has heard nothing from for one and a half keep-alive periods.
            ctx.pipeline().addBefore(ctx.name(), "keepAlive", new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        if (backend.opensAtOnce(request)) {
            open(request); // here on the event loop: a thousand CONNECTs at once wait for no worker and no hop back
        } else {
            tasks.submit(() -> open(request));
        }
    }

    /** Opens the session (on a worker, or on the event loop when the backend answers at once) and answers the CONNECT. */
    private void open(MqttBackend.Connect request) {
        try {
            MqttBackend.Session opened = backend.open(request, this);
            onLoop(() -> opened(opened));
        } catch (MqttBackend.Refused refused) {
            log.info("MQTT connection {} from {} refused ({}): {}", channelId, request.remoteAddress(), refused.refusal(), refused.getMessage());
            onLoop(() -> refuse(refused.refusal()));
        } catch (RuntimeException e) {
            log.warn("MQTT connection {}: the backend failed to open the session of {}", channelId, request.clientId(), e);
            onLoop(() -> refuse(MqttBackend.Refusal.SERVER_UNAVAILABLE));
        }
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private void opened(MqttBackend.Session opened) {
        session = opened;
        if (state != State.OPENING || !channel.isActive()) {
            finish(); // the device went away while its session was being opened
            return;
        }
        state = State.OPEN;
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(opened.sessionPresent())
                .properties(v5() ? new MqttProperties() : MqttProperties.NO_PROPERTIES).build();
        send(ack);
        while (!early.isEmpty() && state == State.OPEN) {
            MqttMessage packet = early.poll();
            try {
                handle(packet);
            } finally {
                ReferenceCountUtil.release(packet);
            }
        }
    }

    private void refuse(MqttBackend.Refusal refusal) {
        MqttConnectReturnCode code = switch (refusal) {
            case NOT_AUTHORIZED -> v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            case BAD_CLIENT_ID -> v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            case SERVER_UNAVAILABLE -> v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        };
        will = null;
        state = State.CLOSED;
        releaseEarly();
        if (channel.isActive()) {
            channel.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build())
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A packet Netty could not decode: a CONNECT of an unknown version or a bad client id gets its CONNACK; anything else closes. */
    private void refuseMalformed(MqttMessage packet) {
        Throwable cause = packet.decoderResult().cause();
        if (state == State.AWAITING_CONNECT && (cause instanceof MqttUnacceptableProtocolVersionException
                || cause instanceof MqttIdentifierRejectedException)) {
            MqttConnectReturnCode code = cause instanceof MqttUnacceptableProtocolVersionException
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            state = State.CLOSED;
            channel.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).build()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.info("MQTT connection {} from {}: malformed packet ({}), closing it", channelId, remoteAddress(), String.valueOf(cause));
        close(MqttBackend.CloseReason.PROTOCOL_ERROR);
    }

    private void publish(MqttPublishMessage packet) {
        String topic = packet.variableHeader().topicName();
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            close(MqttBackend.CloseReason.PROTOCOL_ERROR);
            return;
        }
        int qos = packet.fixedHeader().qosLevel().value();
        int packetId = packet.variableHeader().packetId();
        MqttBackend.Message message = new MqttBackend.Message(topic, Math.min(qos, 1), ByteBufUtil.getBytes(packet.payload()));
        MqttBackend.Session current = session;
        PublishAnswers.Pending answer = answers.add(qos, packetId);
        backlogChanged();
        // Here on the event loop: the backend only starts the store (Session.publish never blocks), and the answer
        // comes when the broker stored the message; no thread waits for it.
        CompletableFuture<Void> stored;
        try {
            stored = current.publish(message);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((ok, failure) -> channel.eventLoop().execute(() -> {
            answer.stored(failure == null ? null : unwrap(failure));
            answers.answerReady(this::published);
            backlogChanged();
        }));
    }

    /** Answers a PUBLISH once the backend stored it (or would not). */
    private void published(int qos, int packetId, Throwable failure) {
        if (failure != null) {
            boolean refused = failure instanceof MqttBackend.PublishRefused;
            log.info("MQTT connection {}: publish not stored: {}", channelId, failure.getMessage());
            if (!v5() || qos == 0) {
                // 3.1.1 has no negative PUBACK; withholding it would leave the device waiting, so it learns by the close.
                close(refused ? MqttBackend.CloseReason.PUBLISH_REFUSED : MqttBackend.CloseReason.BACKEND_FAILED);
                return;
            }
            byte reason = refused ? MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue() : MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue();
            answerPublish(qos, packetId, reason);
            return;
        }
        if (qos > 0) {
            answerPublish(qos, packetId, MqttReasonCodes.PubAck.SUCCESS.byteValue());
        }
    }

    private void answerPublish(int qos, int packetId, byte reason) {
        MqttMessageType type = qos == 2 ? MqttMessageType.PUBREC : MqttMessageType.PUBACK;
        Object header = v5() ? new MqttPubReplyMessageVariableHeader(packetId, reason, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        send(new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0), header));
    }

    private void subscribe(MqttSubscribeMessage packet) {
        int packetId = packet.variableHeader().messageId();
        List<MqttBackend.Subscription> asked = new ArrayList<>();
        packet.payload().topicSubscriptions().forEach(s -> asked.add(new MqttBackend.Subscription(s.topicName(), s.qualityOfService().value())));
        MqttBackend.Session current = session;
        tasks.submit(() -> guarded(() -> {
            List<Integer> granted = current.subscribe(asked);
            send(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    MqttMessageIdVariableHeader.from(packetId), new MqttSubAckPayload(granted)));
        }));
    }

    private void unsubscribe(MqttUnsubscribeMessage packet) {
        int packetId = packet.variableHeader().messageId();
        List<String> filters = List.copyOf(packet.payload().topics());
        MqttBackend.Session current = session;
        tasks.submit(() -> guarded(() -> {
            current.unsubscribe(filters);
            List<Short> reasons = filters.stream().map(f -> (short) 0).toList();
            send(new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    MqttMessageIdVariableHeader.from(packetId), v5() ? new MqttUnsubAckPayload(reasons) : null));
        }));
    }

    // --- the backend's side -------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> deliver(MqttBackend.Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            done.completeExceptionally(new IllegalStateException("the device is not connected"));
            return done;
        }
        ch.eventLoop().execute(() -> {
            if (state != State.OPEN) {
                done.completeExceptionally(new IllegalStateException("the device is not connected"));
                return;
            }
            outbox.offer(new Outbox.Entry(message, done), this::write);
        });
        return done;
    }

    @Override
    public boolean hasRoom() {
        return outbox.hasRoom();
    }

    @Override
    public void close(MqttBackend.CloseReason reason) {
        closeReason.compareAndSet(null, reason);
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (reason == MqttBackend.CloseReason.TAKEN_OVER || reason == MqttBackend.CloseReason.SHUTDOWN) {
            will = null; // a will is for a device that vanished, not one the server let go
        }
        if (v5() && ch.isActive() && (reason == MqttBackend.CloseReason.TAKEN_OVER || reason == MqttBackend.CloseReason.SHUTDOWN)) {
            byte code = reason == MqttBackend.CloseReason.TAKEN_OVER ? MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER.byteValue()
                    : MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN.byteValue();
            ch.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(code).build()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ch.close();
    }

    private void write(Outbox.Entry entry, int packetId) {
        MqttBackend.Message m = entry.message();
        MqttPublishMessage publish = MqttMessageBuilders.publish().topicName(m.topic()).qos(MqttQoS.valueOf(m.qos())).retained(false)
                .messageId(packetId).payload(Unpooled.wrappedBuffer(m.payload()))
                .properties(v5() ? new MqttProperties() : MqttProperties.NO_PROPERTIES).build();
        var written = channel.writeAndFlush(publish);
        if (m.qos() == 0) {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    entry.done().complete(null);
                } else {
                    entry.done().completeExceptionally(f.cause());
                }
            });
        }
    }

    // --- the end of a connection --------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            log.info("MQTT connection {} of {}: nothing heard for 1.5 keep-alive periods, closing it", channelId, remoteAddress());
            close(MqttBackend.CloseReason.NO_HEART);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            close(MqttBackend.CloseReason.SOCKET_ERROR);
        } else if (cause instanceof DecoderException) {
            log.info("MQTT connection {} from {}: malformed input ({}), closing it", channelId, remoteAddress(), cause.getMessage());
            close(MqttBackend.CloseReason.PROTOCOL_ERROR);
        } else {
            log.warn("MQTT connection {}: unexpected failure, closing it", channelId, cause);
            close(MqttBackend.CloseReason.PROTOCOL_ERROR);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeReason.compareAndSet(null, MqttBackend.CloseReason.CLOSED_BY_CLIENT);
        outbox.fail(new IllegalStateException("the device's connection closed"));
        answers.clear();
        releaseEarly();
        if (state == State.OPEN) {
            finish();
        }
        state = State.CLOSED;
        ctx.fireChannelInactive();
    }

    /** Publishes the will of a device that vanished, then closes the session (in that order, after any publish still queued). */
    private void finish() {
        MqttBackend.Session ended = session;
        MqttBackend.Message lastWill = will;
        MqttBackend.CloseReason reason = closeReason.get() == null ? MqttBackend.CloseReason.CLOSED_BY_CLIENT : closeReason.get();
        will = null;
        state = State.CLOSED;
        tasks.submit(() -> {
            if (lastWill != null) {
                try {
                    ended.publish(lastWill).join();
                } catch (RuntimeException e) {
                    log.info("MQTT connection {}: the will on {} was not stored: {}", channelId, lastWill.topic(), unwrap(e).getMessage());
                }
            }
            ended.closed(reason);
        });
    }

    // --- small things -------------------------------------------------------------------------

    private void send(MqttMessage message) {
        Channel ch = channel;
        if (ch.isActive()) {
            ch.writeAndFlush(message);
        }
    }

    /** A backend call whose failure the device cannot be told of (SUBACK has no "try again"): the connection closes. */
    private void guarded(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("MQTT connection {}: the backend failed, closing the connection", channelId, e);
            close(MqttBackend.CloseReason.BACKEND_FAILED);
        }
    }

    private void backlogChanged() {
        int backlog = answers.size();
        if (backlog >= HIGH_BACKLOG) {
            channel.config().setAutoRead(false); // the device sends faster than the brokers store: stop reading it for a while
        } else if (backlog <= LOW_BACKLOG && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    private boolean v5() {
        return version == MqttVersion.MQTT_5.protocolLevel();
    }

    private String remoteAddress() {
        String address = String.valueOf(channel.remoteAddress());
        return address.startsWith("/") ? address.substring(1) : address;
    }

    private void releaseEarly() {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    private static MqttMessage copy(MqttMessage packet) {
        ReferenceCountUtil.retain(packet);
        return packet;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    String channelId() {
        return channelId;
    }
}
