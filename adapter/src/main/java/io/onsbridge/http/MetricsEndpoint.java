package io.onsbridge.http;

import io.onsbridge.protocol.render.RenderedResponse;

/** What {@code GET /metrics} answers: the bridge's metrics in the format the scraper's Accept header asks for. */
@FunctionalInterface
public interface MetricsEndpoint {
    MetricsEndpoint NONE = accept -> new RenderedResponse(404, "text/plain;charset=utf-8", new byte[0]);

    /** @param accept the request's Accept header, or null */
    RenderedResponse scrape(String accept);
}
