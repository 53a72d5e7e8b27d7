package io.onsbridge.protocol;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.access.Authorizer;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.RenderedResponse;
import io.onsbridge.protocol.render.ResponseFormat;
import io.onsbridge.protocol.render.ResponseRenderer;
import io.onsbridge.protocol.throttle.Throttle;
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

    public RenderedResponse process(OnsRequest request) {
        long start = System.nanoTime();
        ResponseFormat format = ResponseFormat.JSON;
        String served = CallObserver.UNKNOWN_ACTION;
        String code = CallObserver.OK;
        try {
            format = request.format();
            String accessKeyId = verifier.verify(request);
            String action = request.requiredAction();
            String version = request.requiredVersion();
            OnsAction handler = registry.find(version, action);
            served = action;
            UnaryOperator<WireObject> visible = authorizer.authorize(accessKeyId, action, registry.accessRule(version, action), request.params());
            throttle.admit(accessKeyId, action);
            WireObject body = visible.apply(handler.handle(request.params()));
            log.debug("{} {} by {} ok in {} ms", request.requestId(), action, accessKeyId, (System.nanoTime() - start) / 1_000_000);
            return renderer.success(format, action, request.requestId(), body);
        } catch (OnsException e) {
            code = e.code();
            if (e.isClientError()) {
                log.debug("{} {} rejected: {} {}", request.requestId(), request.action(), e.code(), e.getMessage());
            } else {
                log.warn("{} {} failed: {} {}", request.requestId(), request.action(), e.code(), e.getMessage(), e.getCause());
            }
            return renderer.error(format, request.requestId(), e);
        } catch (RuntimeException e) {
            log.error("{} {} failed unexpectedly", request.requestId(), request.action(), e);
            OnsException internal = OnsErrors.internal("an unexpected failure, logged under this RequestId", e);
            code = internal.code();
            return renderer.error(format, request.requestId(), internal);
        } finally {
            observer.finished(served, code, System.nanoTime() - start);
        }
    }

    /** For failures before a request exists (a malformed HTTP request, a wrong path, overload). */
    public RenderedResponse reject(String requestId, OnsException error) {
        return renderer.error(ResponseFormat.JSON, requestId, error);
    }
}
