package io.onsbridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.OnsException;
import io.onsbridge.mqhttp.MqHttpAnswer;
import io.onsbridge.mqhttp.MqHttpDoor;
import io.onsbridge.mqhttp.MqHttpRequest;
import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.RequestProcessor;
import io.onsbridge.protocol.render.RenderedResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP handler: hands the MQ HTTP protocol's requests to its door, rejects what is not an ONS call,
 * decodes the request on the event loop, runs the action on the bounded worker pool (actions block on the
 * cluster), and writes the answer. While few calls are in progress, a call is checked on the event loop and an
 * action that can start without blocking starts there: a hand-over to a worker less.
 */
@ChannelHandler.Sharable
final class OnsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(OnsHttpHandler.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A request with a larger body is checked on a worker: a V3 signature hashes the whole body, and an event loop
     * serves many connections. The parameters of every other action fit many times over.
     */
    private static final int CHECKED_ON_LOOP_MAX_BYTES = 64 << 10;
    /**
     * Calls on the event loop only while fewer than this many are in progress. Taken on the loop at 8 and 32 clients,
     * {@code OnsMessageGetByKey}'s p50 fell but its p99 rose in two runs of four (docs/benchmarks.md, "Session 30"): a
     * loop busy with a burst of calls holds back the answers waiting to be written on its connections.
     */
    private static final int ON_LOOP_MAX_IN_PROGRESS = 2;

    private final RequestProcessor processor;
    private final HealthProbe health;
    private final MetricsEndpoint metrics;
    private final ExecutorService workers;
    private final MqHttpDoor mqHttp;
    /** ONS calls between their arrival and the write of their answer. */
    private final AtomicInteger inProgress = new AtomicInteger();

    OnsHttpHandler(RequestProcessor processor, HealthProbe health, MetricsEndpoint metrics, ExecutorService workers, MqHttpDoor mqHttp) {
        this.mqHttp = mqHttp;
        this.processor = processor;
        this.health = health;
        this.metrics = metrics;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
        String requestId = RequestDecoder.newRequestId();
        boolean keepAlive = HttpUtil.isKeepAlive(http);
        if (!http.decoderResult().isSuccess()) {
            // The decoder has discarded the connection's remaining bytes: answer and close.
            Throwable cause = http.decoderResult().cause();
            write(ctx, requestId, processor.reject(requestId, OnsErrors.badRequest("The HTTP request is malformed"
                    + (cause == null || cause.getMessage() == null ? "." : ": " + cause.getMessage()))), false);
            return;
        }
        if (http.protocolVersion().equals(HttpVersion.HTTP_1_1) && !http.headers().contains(HttpHeaderNames.HOST)) {
            // RFC 9112 section 3.2: a server must answer 400 to an HTTP/1.1 request without Host.
            write(ctx, requestId, processor.reject(requestId, OnsErrors.badRequest("An HTTP/1.1 request must have a Host header.")), false);
            return;
        }
        if (isMqHttp(http)) {
            serveMqHttp(ctx, requestId, http, keepAlive);
            return;
        }
        String path;
        OnsRequest request;
        try {
            request = RequestDecoder.decode(requestId, http);
            path = request.path();
        } catch (IllegalArgumentException e) {
            write(ctx, requestId, processor.reject(requestId,
                    OnsErrors.badRequest("The request's URL or form body is not valid percent-encoding: " + e.getMessage())), keepAlive);
            return;
        } catch (OnsException e) {
            write(ctx, requestId, processor.reject(requestId, e), keepAlive);
            return;
        }
        if (path.equals("/health")) {
            submit(ctx, requestId, keepAlive, () -> CompletableFuture.completedFuture(healthAnswer()));
            return;
        }
        if (path.equals("/metrics")) {
            // Answered from memory (cluster figures are refreshed in the background), yet off the event loop.
            String accept = http.headers().get(HttpHeaderNames.ACCEPT);
            submit(ctx, requestId, keepAlive, () -> CompletableFuture.completedFuture(metrics.scrape(accept)));
            return;
        }
        if (!path.equals("/") && !path.isEmpty()) {
            write(ctx, requestId, processor.reject(requestId, OnsErrors.notFoundPath(path)), keepAlive);
            return;
        }
        if (!http.method().equals(HttpMethod.GET) && !http.method().equals(HttpMethod.POST)) {
            write(ctx, requestId, processor.reject(requestId,
                    OnsErrors.badRequest("HTTP method " + http.method() + " is not supported; use GET or POST.")), keepAlive);
            return;
        }
        serveOns(ctx, requestId, request, http.content().readableBytes(), keepAlive);
    }

    /**
     * While the bridge is nearly idle, the checks run on this event loop, then the action on a worker unless it can
     * start without blocking; otherwise, or for a large body, the whole call runs on a worker, as the event loops then
     * have other connections to serve.
     */
    private void serveOns(ChannelHandlerContext ctx, String requestId, OnsRequest request, int bodyBytes, boolean keepAlive) {
        boolean onLoop = bodyBytes <= CHECKED_ON_LOOP_MAX_BYTES && inProgress.get() < ON_LOOP_MAX_IN_PROGRESS;
        inProgress.incrementAndGet();
        if (onLoop) {
            answerWhenDone(ctx, requestId, started(() -> processor.processAsync(request, workers)), keepAlive);
            return;
        }
        try {
            workers.execute(() -> answerWhenDone(ctx, requestId, started(() -> processor.processAsync(request)), keepAlive));
        } catch (RejectedExecutionException e) {
            inProgress.decrementAndGet();
            write(ctx, requestId, processor.reject(requestId, OnsErrors.overloaded()), keepAlive);
        }
    }

    private void answerWhenDone(ChannelHandlerContext ctx, String requestId, CompletableFuture<RenderedResponse> answer, boolean keepAlive) {
        answer.whenComplete((rendered, failure) -> {
            inProgress.decrementAndGet();
            write(ctx, requestId, rendered != null ? rendered : failed(requestId, failure), keepAlive);
        });
    }

    private boolean isMqHttp(HttpMessage http) {
        return mqHttp != null && http instanceof HttpRequest request
                && MqHttpDoor.claims(rawPath(request.uri()), request.headers().get(MqHttpDoor.VERSION_HEADER));
    }

    private static String rawPath(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * The MQ HTTP protocol: the request is copied off the connection's buffer, checked on a worker (it may
     * read the cluster's metadata), and answered when its consume or ack is done, which holds no thread
     * while a long poll waits.
     */
    private void serveMqHttp(ChannelHandlerContext ctx, String requestId, FullHttpRequest http, boolean keepAlive) {
        Map<String, String> headers = new LinkedHashMap<>();
        http.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
        MqHttpRequest request = new MqHttpRequest(requestId, http.method().name(), http.uri(), headers, ByteBufUtil.getBytes(http.content()));
        try {
            workers.execute(() -> mqHttp.serve(request).whenComplete((answer, e) -> writeMqHttp(ctx, answer != null ? answer
                    : mqHttp.refuse(requestId, 500, "InternalError", "An unexpected failure, logged under this RequestId."), keepAlive)));
        } catch (RejectedExecutionException e) {
            writeMqHttp(ctx, mqHttp.refuse(requestId, 503, "ServiceUnavailable", "The bridge is overloaded; try again."), keepAlive);
        }
    }

    private static void writeMqHttp(ChannelHandlerContext ctx, MqHttpAnswer answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, MqHttpAnswer.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(MqHttpAnswer.REQUEST_ID_HEADER, answer.requestId());
        send(ctx, response, keepAlive);
    }

    /**
     * Starts the work on the worker pool (it may wait for the cluster), never on the event loop, and answers when it
     * completes: at once, or on the thread that completes an action answering as a future. Whatever happens, the
     * client gets an answer: a failure of the work is logged and answered ONS_SYSTEM_ERROR.
     */
    private void submit(ChannelHandlerContext ctx, String requestId, boolean keepAlive, Supplier<CompletableFuture<RenderedResponse>> work) {
        try {
            workers.execute(() -> started(work).whenComplete((answer, failure) ->
                    write(ctx, requestId, answer != null ? answer : failed(requestId, failure), keepAlive)));
        } catch (RejectedExecutionException e) {
            write(ctx, requestId, processor.reject(requestId, OnsErrors.overloaded()), keepAlive);
        }
    }

    private static CompletableFuture<RenderedResponse> started(Supplier<CompletableFuture<RenderedResponse>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RenderedResponse failed(String requestId, Throwable failure) {
        log.error("{} failed unexpectedly", requestId, failure);
        return processor.reject(requestId, OnsErrors.internal("an unexpected failure, logged under this RequestId", failure));
    }

    private RenderedResponse healthAnswer() {
        HealthProbe.Health report = health.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.up() ? "UP" : "DOWN");
        body.putAll(report.details());
        try {
            return new RenderedResponse(report.up() ? 200 : 503, "application/json;charset=utf-8", JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(ChannelHandlerContext ctx, String requestId, RenderedResponse answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set("x-acs-request-id", requestId);
        send(ctx, response, keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A request larger than the endpoint reads: answered with the documented error body, then the connection
     * is closed (the rest of the body is not read).
     */
    void refuseOversized(ChannelHandlerContext ctx, HttpMessage oversized, int maxBytes) {
        String requestId = RequestDecoder.newRequestId();
        if (isMqHttp(oversized)) {
            writeMqHttp(ctx, mqHttp.refuse(requestId, 400, "InvalidArgument", "The request is larger than " + (maxBytes >> 20)
                    + " MiB, the most this endpoint reads; a message body has at most 4 MiB."), false);
            return;
        }
        write(ctx, requestId, processor.reject(requestId, OnsErrors.badRequest("The request is larger than "
                + (maxBytes >> 20) + " MiB, the most this endpoint reads.")), false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset connection or an oversized request: nothing useful can be answered on this channel.
        log.debug("closing HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
