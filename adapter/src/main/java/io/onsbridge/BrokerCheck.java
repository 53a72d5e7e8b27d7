package io.onsbridge;

import io.onsbridge.cluster.BrokerSettings;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@code GET /health} says of each master broker: whether it loads the broker plugin, and the region and
 * trace flag ONS's clients read. A broker's configuration changes only when it restarts, so the answer is asked
 * of the brokers at most once a minute, however often the health check runs.
 */
final class BrokerCheck {
    static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final Cluster cluster;
    private final LongSupplier nanoClock;
    private List<Map<String, Object>> last;
    private long askedAt;

    BrokerCheck(Cluster cluster, LongSupplier nanoClock) {
        this.cluster = cluster;
        this.nanoClock = nanoClock;
    }

    /** One entry per master; a failure to ask is said as such and asked again at the next check. */
    synchronized Object brokers() {
        long now = nanoClock.getAsLong();
        if (last != null && now - askedAt < MAX_AGE.toNanos()) {
            return last;
        }
        try {
            last = cluster.brokerSettings().stream().map(BrokerCheck::describe).toList();
            askedAt = now;
            return last;
        } catch (ClusterException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static Map<String, Object> describe(BrokerSettings broker) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", broker.address());
        details.put("brokerPlugin", broker.onsPlugin() ? "loaded" : "absent");
        details.put("regionId", broker.regionId());
        details.put("traceOn", broker.traceOn());
        details.put("timerPrecisionMs", broker.timerPrecisionMs());
        return details;
    }
}
