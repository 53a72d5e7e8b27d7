package io.onsbridge;

import io.onsbridge.cluster.BrokerSettings;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * What {@code GET /health} says of each master broker: whether it loads the broker plugin, and the region and
 * trace flag ONS's clients read, and whether it answers now. A broker's configuration changes only when it restarts,
 * so the answer is asked of the brokers at most once a minute, however often the health check runs; whether a master
 * answers is known without a call.
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

    /**
     * One entry per master, each saying whether it answers now: a master left out because it did not answer (a hung
     * broker) keeps the entry it had, or has one with its address alone when it was left out when the brokers were
     * last asked. A failure to ask is said as such and asked again at the next check.
     */
    synchronized Object brokers() {
        Set<String> suspect = cluster.suspectMasters();
        long now = nanoClock.getAsLong();
        if (last == null || now - askedAt >= MAX_AGE.toNanos()) {
            try {
                last = cluster.brokerSettings().stream().map(BrokerCheck::describe).toList();
                askedAt = now;
            } catch (ClusterException e) {
                return "unknown: " + e.getMessage();
            }
        }
        List<Map<String, Object>> brokers = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (Map<String, Object> broker : last) {
            Map<String, Object> entry = new LinkedHashMap<>(broker);
            entry.put("answering", !suspect.contains((String) broker.get("address")));
            brokers.add(entry);
            listed.add((String) broker.get("address"));
        }
        for (String address : suspect) {
            if (!listed.contains(address)) {
                brokers.add(Map.of("address", address, "answering", false));
            }
        }
        return brokers;
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
