package io.onsbridge.domain.alarm;

import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.domain.stats.ConsumerSampler;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Evaluates every stored rule after each sampling round against the backlog and delay the round read
 * from the cluster; keeps each rule's state in memory (a restarted bridge re-notifies a rule that still
 * fires, which is the safe side). Its firing states are a gauge on /metrics.
 */
public final class AlarmEvaluator implements ConsumerSampler.Listener {
    private final ClusterMetadata store;
    private final AlarmNotifier notifier;
    private volatile Map<String, AlarmRule> rules = Map.of();
    private final Map<String, AlarmState> states = new ConcurrentHashMap<>();

    public AlarmEvaluator(ClusterMetadata store, List<String> allowedUrlPrefixes, PrometheusRegistry registry) {
        this.store = store;
        this.notifier = new AlarmNotifier(allowedUrlPrefixes, registry);
        GaugeWithCallback.builder().name("ons_bridge_alarm_firing")
                .help("1 while the alarm rule of the group on the topic fires, else 0")
                .labelNames("group", "topic", "level")
                .callback(cb -> rules.forEach((key, rule) -> {
                    AlarmState state = states.get(key);
                    cb.call(state != null && state.firing() ? 1 : 0, rule.brokerGroup(), rule.brokerTopic(), rule.level());
                }))
                .register(registry);
    }

    /** The allow-list setting's prefixes. */
    public static List<String> prefixes(String setting) {
        return AlarmNotifier.prefixes(setting);
    }

    @Override
    public Set<String> watchedGroups() {
        return rules.values().stream().map(AlarmRule::brokerGroup).collect(Collectors.toSet());
    }

    @Override
    public void sampled(Map<ConsumerSampler.Key, ConsumerSampler.Figures> latest, long now) {
        rules = Map.copyOf(store.list(AlarmRule.KIND, AlarmRule.class));
        states.keySet().retainAll(rules.keySet());
        rules.forEach((key, rule) -> {
            ConsumerSampler.Figures figures = latest.get(new ConsumerSampler.Key(rule.brokerGroup(), rule.brokerTopic()));
            long backlog = figures == null ? 0 : figures.backlog();
            long delay = figures == null ? 0 : figures.delayMillis();
            long consumed = figures == null ? 0 : figures.consumed();
            AlarmState state = states.computeIfAbsent(key, k -> AlarmState.initial(consumed, now));
            AlarmState.Step step = state.next(rule, backlog, delay, consumed, now);
            states.put(key, step.next());
            if (step.notice() != AlarmState.Notice.NONE) {
                notifier.post(rule, payload(rule, step, backlog, delay, now));
            }
        });
    }

    private static Map<String, Object> payload(AlarmRule rule, AlarmState.Step step, long backlog, long delay, long now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", step.notice().name());
        body.put("instanceId", rule.instanceId());
        body.put("groupId", rule.groupId());
        body.put("topic", rule.topic());
        body.put("level", rule.level());
        body.put("reason", step.next().reason());
        body.put("backlog", backlog);
        body.put("delayMillis", delay);
        body.put("threshold", rule.threshold());
        body.put("delayTime", rule.delayMinutes());
        body.put("blockTime", rule.blockMinutes());
        body.put("time", now);
        return body;
    }
}
