package io.onsbridge.protocol;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.access.Authorizer;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.RenderedResponse;
import io.onsbridge.protocol.render.ResponseFormat;
import io.onsbridge.protocol.render.ResponseRenderer;
import io.onsbridge.protocol.throttle.Throttle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol pipeline for one call, independent of the HTTP server: authenticate (V1 or V3), dispatch
 * on Version and Action (parameters, or a V3 request's headers), check the key's access policies
 * (access/), take a token of the action's quota (throttle/), run the action, filter what the key may see,
 * render the answer or the error. Nothing escapes as a stack trace: an unexpected failure is logged here
 * and answered as {@code ONS_SYSTEM_ERROR}.
 */
public final class RequestProcessor {
    private static final Logger log = LoggerFactory.getLogger(RequestProcessor.class);

    private final SignatureVerifier verifier;
    private final ActionRegistry registry;
    private final ResponseRenderer renderer;
    private final CallObserver observer;
    private final Throttle throttle;
    private final Authorizer authorizer;

    public RequestProcessor(SignatureVerifier verifier, ActionRegistry registry, ResponseRenderer renderer) {
        this(verifier, registry, renderer, CallObserver.NONE);
    }

    public RequestProcessor(SignatureVerifier verifier, ActionRegistry registry, ResponseRenderer renderer, CallObserver observer) {
        this(verifier, registry, renderer, observer, Authorizer.unrestricted(), Throttle.off());
    }

    /**
     * @param authorizer what access policies (docs/access.md) let each signed key do
     * @param throttle   the quotas per action (docs/throttling.md)
     */
    public RequestProcessor(SignatureVerifier verifier, ActionRegistry registry, ResponseRenderer renderer, CallObserver observer,
                            Authorizer authorizer, Throttle throttle) {
        this.verifier = verifier;
        this.registry = registry;
        this.renderer = renderer;
        this.observer = observer;
        this.throttle = throttle;
        this.authorizer = authorizer;
    }

    /** {@link #processAsync}, waited for. */
    public RenderedResponse process(OnsRequest request) {
        return processAsync(request).join();
    }

    /** {@link #processAsync(OnsRequest, Executor)} wholly on the caller's thread, which may block. */
    public CompletableFuture<RenderedResponse> processAsync(OnsRequest request) {
        return processAsync(request, Runnable::run);
    }

    /**
     * The call's answer, rendered. The checks run on the caller's thread (they read memory only), then the action
     * starts there if it can without blocking ({@link OnsAction#startWithoutBlocking}), else on {@code blocking}: a
     * full executor answers {@code ServiceUnavailable} (503). The answer completes on the thread that ends the
     * action. It never fails: every failure is rendered.
     */
    public CompletableFuture<RenderedResponse> processAsync(OnsRequest request, Executor blocking) {
        long start = System.nanoTime();
        Call call = new Call(request, start);
        CompletableFuture<WireObject> body;
        try {
            call.format = request.format();
            call.accessKeyId = verifier.verify(request);
            String action = request.requiredAction();
            String version = request.requiredVersion();
            OnsAction handler = registry.find(version, action);
            call.served = action;
            UnaryOperator<WireObject> visible = authorizer.authorize(call.accessKeyId, action, registry.accessRule(version, action),
                    request.params());
            throttle.admit(call.accessKeyId, action);
            CompletableFuture<WireObject> started = handler.startWithoutBlocking(request.params());
            body = (started != null ? started : startOn(blocking, handler, request.params())).thenApply(visible);
        } catch (RuntimeException e) {
            body = CompletableFuture.failedFuture(e);
        }
        return body.handle(call::answer);
    }

    private static CompletableFuture<WireObject> startOn(Executor blocking, OnsAction handler, Params params) {
        try {
            return CompletableFuture.supplyAsync(() -> handler.handleAsync(params), blocking).thenCompose(Function.identity());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(OnsErrors.overloaded());
        }
    }

    /** What a call has established so far, to render its answer or its error with. */
    private final class Call {
        private final OnsRequest request;
        private final long start;
        private ResponseFormat format = ResponseFormat.JSON;
        private String served = CallObserver.UNKNOWN_ACTION;
        private String accessKeyId;

        Call(OnsRequest request, long start) {
            this.request = request;
            this.start = start;
        }

        RenderedResponse answer(WireObject body, Throwable failure) {
            String code = CallObserver.OK;
            try {
                if (failure == null) {
                    try {
                        RenderedResponse rendered = renderer.success(format, served, request.requestId(), body);
                        if (log.isDebugEnabled()) { // else its arguments' array and boxed time, on every call
                            log.debug("{} {} by {} ok in {} ms", request.requestId(), served, accessKeyId, (System.nanoTime() - start) / 1_000_000);
                        }
                        return rendered;
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                OnsException error = error(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                code = error.code();
                return renderer.error(format, request.requestId(), error);
            } finally {
                observer.finished(served, code, System.nanoTime() - start);
            }
        }

        private OnsException error(Throwable failure) {
            if (failure instanceof OnsException e) {
                if (e.isClientError()) {
                    log.debug("{} {} rejected: {} {}", request.requestId(), request.action(), e.code(), e.getMessage());
                } else {
                    log.warn("{} {} failed: {} {}", request.requestId(), request.action(), e.code(), e.getMessage(), e.getCause());
                }
                return e;
            }
            log.error("{} {} failed unexpectedly", request.requestId(), request.action(), failure);
            return OnsErrors.internal("an unexpected failure, logged under this RequestId", failure);
        }
    }

    /** For failures before a request exists (a malformed HTTP request, a wrong path, overload). */
    public RenderedResponse reject(String requestId, OnsException error) {
        return renderer.error(ResponseFormat.JSON, requestId, error);
    }
}
