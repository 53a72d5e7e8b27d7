package io.onsbridge.domain.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.tracecollector.FailureLog;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs alarm notifications as JSON to the http(s) URLs in a rule's Contacts that the configuration
 * allows (URL prefixes; none by default, so a rule cannot make the bridge call arbitrary hosts).
 * Asynchronous with timeouts and a bound on calls in flight: a slow receiver never holds up the
 * evaluation, and a notification that finds no free slot is dropped and counted.
 */
final class AlarmNotifier {
    private static final Logger log = LoggerFactory.getLogger(AlarmNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_IN_FLIGHT = 32;
    private static final int MAX_URLS_PER_RULE = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<String> allowedPrefixes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Counter sent;
    /** A receiver that is down fails every notification: the first with its cause, then a line every few minutes. */
    private final FailureLog failures = new FailureLog(log, Duration.ofMinutes(5));

    AlarmNotifier(List<String> allowedPrefixes, PrometheusRegistry registry) {
        this.allowedPrefixes = List.copyOf(allowedPrefixes);
        this.sent = Counter.builder().name("ons_bridge_alarm_notifications_total")
                .help("Alarm notifications POSTed to contacts, by result (ok, failed, dropped)")
                .labelNames("result").register(registry);
    }

    /** The allow-list setting: URL prefixes separated by commas; blank entries ignored. */
    static List<String> prefixes(String setting) {
        return setting == null ? List.of() : Arrays.stream(setting.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    static boolean allowed(String url, List<String> prefixes) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return (lower.startsWith("http://") || lower.startsWith("https://")) && prefixes.stream().anyMatch(url::startsWith);
    }

    /** The contacts that are URLs this bridge may call. */
    List<String> targets(String contacts) {
        if (contacts == null) {
            return List.of();
        }
        return Arrays.stream(contacts.split("[,;\\s]+")).filter(c -> allowed(c, allowedPrefixes)).limit(MAX_URLS_PER_RULE).toList();
    }

    void post(AlarmRule rule, Map<String, Object> payload) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (String target : targets(rule.contacts())) {
            if (!inFlight.tryAcquire()) {
                sent.labelValues("dropped").inc();
                log.warn("alarm notification to {} dropped: {} already in flight", target, MAX_IN_FLIGHT);
                continue;
            }
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(target)).timeout(TIMEOUT)
                        .header("Content-Type", "application/json;charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            } catch (IllegalArgumentException e) {
                inFlight.release();
                sent.labelValues("failed").inc();
                failures.failed("alarm notification to " + target + " (not a URL the HTTP client takes)", e);
                continue;
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                inFlight.release();
                boolean ok = error == null && response.statusCode() / 100 == 2;
                sent.labelValues(ok ? "ok" : "failed").inc();
                if (ok) {
                    failures.succeeded("alarm notifications");
                } else {
                    failures.failed("alarm notification to " + target,
                            error != null ? error : new IllegalStateException("the receiver answered HTTP " + response.statusCode()));
                }
            });
        }
    }
}
