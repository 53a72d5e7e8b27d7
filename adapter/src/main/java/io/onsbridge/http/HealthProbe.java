package io.onsbridge.http;

import java.util.Map;

/** What {@code GET /health} reports: up or not (200 or 503), and a few facts in a small JSON object. */
@FunctionalInterface
public interface HealthProbe {
    record Health(boolean up, Map<String, Object> details) {
    }

    Health check();
}
