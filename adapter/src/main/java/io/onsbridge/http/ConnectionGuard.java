package io.onsbridge.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection may hold of the server: at most so many connections in all and per client address;
 * a connection with no request in flight is closed after the idle time; a request must arrive whole
 * (headers and body) within the read time once its first byte has, so a client that trickles its headers
 * cannot hold a connection. A request being served is never cut off: only the read and the wait between
 * requests are timed.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final AttributeKey<State> STATE = AttributeKey.valueOf("ons-bridge-connection");

    /** The limits; each a setting (see {@code Setting.HTTP_*}). */
    record Limits(int maxConnections, int maxPerAddress, Duration idle, Duration read) {
        Limits {
            if (maxConnections < 1 || maxPerAddress < 1 || idle.toMillis() < 1 || read.toMillis() < 1) {
                throw new IllegalArgumentException("HTTP connection limits and timeouts must be positive (--http-max-connections, "
                        + "--http-max-connections-per-address, --http-idle-seconds, --http-read-seconds)");
            }
        }
    }

    private final Limits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionGuard(Limits limits) {
        this.limits = limits;
    }

    /** First in the pipeline: counts connections and watches the raw bytes of each request. */
    ChannelHandler head() {
        return head;
    }

    /** Right before the request handler: a whole request has arrived; watches its answer go out. */
    ChannelHandler tail() {
        return tail;
    }

    int open() {
        return open.get();
    }

    /** Per-connection timing, touched only on the channel's event loop. */
    private static final class State {
        InetAddress address;
        ScheduledFuture<?> timer;
        boolean reading;
        int inFlight;
    }

    private final ChannelHandler head = new Head();
    private final ChannelHandler tail = new Tail();

    @ChannelHandler.Sharable
    private final class Head extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            State state = new State();
            ctx.channel().attr(STATE).set(state);
            InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
            int total = open.incrementAndGet();
            int fromAddress = address == null ? 0 : perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            state.address = address;
            if (total > limits.maxConnections() || fromAddress > limits.maxPerAddress()) {
                log.debug("refusing a connection from {}: {} open in all, {} from that address", address, total, fromAddress);
                ctx.close();
                return;
            }
            waitForRequest(ctx.channel(), state);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            State state = ctx.channel().attr(STATE).get();
            open.decrementAndGet();
            if (state != null && state.address != null) {
                perAddress.computeIfPresent(state.address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
            if (state != null) {
                cancel(state);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            State state = ctx.channel().attr(STATE).get();
            if (state != null && !state.reading && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                // The first byte of a request: from now on it has the read time to arrive whole.
                state.reading = true;
                arm(ctx.channel(), state, limits.read(), "did not send a whole request within " + limits.read().toSeconds() + " s");
            }
            ctx.fireChannelRead(msg);
        }
    }

    @ChannelHandler.Sharable
    private final class Tail extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            State state = ctx.channel().attr(STATE).get();
            if (state != null && msg instanceof FullHttpRequest) {
                state.reading = false;
                state.inFlight++;
                cancel(state); // being served: no timer runs until its answer is out
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            State state = ctx.channel().attr(STATE).get();
            if (state != null && msg instanceof FullHttpResponse) {
                state.inFlight = Math.max(0, state.inFlight - 1);
                if (state.inFlight == 0 && !state.reading) {
                    waitForRequest(ctx.channel(), state);
                }
            }
            ctx.write(msg, promise);
        }
    }

    private void waitForRequest(Channel channel, State state) {
        arm(channel, state, limits.idle(), "idle for " + limits.idle().toSeconds() + " s");
    }

    private static void arm(Channel channel, State state, Duration after, String why) {
        cancel(state);
        state.timer = channel.eventLoop().schedule(() -> {
            log.debug("closing the connection of {}: {}", channel.remoteAddress(), why);
            channel.close();
        }, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(State state) {
        if (state.timer != null) {
            state.timer.cancel(false);
            state.timer = null;
        }
    }
}
