package io.onsbridge.metrics;

import io.onsbridge.http.MetricsEndpoint;
import io.onsbridge.protocol.CallObserver;
import io.onsbridge.protocol.render.RenderedResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/**
 * The bridge's Prometheus metrics and its {@code GET /metrics}: ONS calls per action and code, their
 * latency per action, and whatever other parts register on {@link #registry()} (backlog and delay per
 * group and topic, alarm states). Text format unless the scraper asks for another (protobuf,
 * OpenMetrics) in its Accept header, as Prometheus' own client does it.
 *
 * <p>Label values are bounded: the action label is a served action or {@code unknown}, codes are the
 * bridge's own error codes, and groups and topics come from the cluster's bounded background refresh.
 */
public final class BridgeMetrics implements CallObserver, MetricsEndpoint {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Counter requests = Counter.builder()
            .name("ons_bridge_requests_total")
            .help("ONS calls answered, by action and code (OK or the error code)")
            .labelNames("action", "code")
            .register(registry);
    private final Histogram latency = Histogram.builder()
            .name("ons_bridge_request_duration_seconds")
            .help("Time to serve an ONS call, by action")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .labelNames("action")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);

    @Override
    public void finished(String action, String code, long nanos) {
        requests.labelValues(action, code).inc();
        latency.labelValues(action).observe(nanos / 1e9);
    }

    /**
     * Where other parts add their metrics: the stats sampler, the alarms, and later the trace collector
     * (e.g. its lag, with {@link #gauge}).
     */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** A label-less gauge read at every scrape; the supplier must be cheap (no cluster calls). */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsDouble()))
                .register(registry);
    }

    /** A label-less counter read at every scrape (its name ends in {@code _total}); the supplier must be cheap. */
    public void counter(String name, String help, DoubleSupplier total) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(total.getAsDouble()))
                .register(registry);
    }

    @Override
    public RenderedResponse scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RenderedResponse(200, writer.getContentType(), out.toByteArray());
    }
}
