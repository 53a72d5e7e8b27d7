package io.onsbridge.it;

import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_28_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape of a bridge's {@code /metrics} as Prometheus' protobuf exposition, parsed with the Prometheus
 * Java client's own generated classes (no hand-written parser): metric families by name.
 */
record Scrape(Map<String, Metrics.MetricFamily> families) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<byte[]> get(String endpoint, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).timeout(Duration.ofSeconds(10)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static Scrape of(String endpoint) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(endpoint, PrometheusProtobufWriter.CONTENT_TYPE);
        if (response.statusCode() != 200 || !response.headers().firstValue("Content-Type").orElse("").contains("protobuf")) {
            throw new IllegalStateException("/metrics answered " + response.statusCode() + " " + response.headers().map());
        }
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(response.body())) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        return new Scrape(families);
    }

    /** The sample of the family whose labels include all of {@code labels}. */
    Optional<Metrics.Metric> metric(String family, Map<String, String> labels) {
        Metrics.MetricFamily found = families.get(family);
        if (found == null) {
            return Optional.empty();
        }
        return found.getMetricList().stream().filter(m -> {
            Map<String, String> have = new HashMap<>();
            m.getLabelList().forEach(l -> have.put(l.getName(), l.getValue()));
            return have.entrySet().containsAll(labels.entrySet());
        }).findFirst();
    }

    double counter(String family, Map<String, String> labels) {
        return metric(family, labels).map(m -> m.getCounter().getValue()).orElse(0.0);
    }

    Optional<Double> gauge(String family, Map<String, String> labels) {
        return metric(family, labels).map(m -> m.getGauge().getValue());
    }

    List<String> names() {
        return families.keySet().stream().sorted().toList();
    }
}
