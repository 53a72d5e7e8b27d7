package io.onsbridge;

import io.onsbridge.actions.ActionTable;
import io.onsbridge.actions.NameLocks;
import io.onsbridge.alarm.AlarmActions;
import io.onsbridge.alarm.AlarmEvaluator;
import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.ClusterCredentials;
import io.onsbridge.backend.MessageClient;
import io.onsbridge.backend.MetadataStore;
import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Setting;
import io.onsbridge.consumer.ConsumerActions;
import io.onsbridge.dlq.DlqActions;
import io.onsbridge.group.GroupActions;
import io.onsbridge.group.Groups;
import io.onsbridge.http.HealthProbe;
import io.onsbridge.http.HttpServer;
import io.onsbridge.instance.InstanceActions;
import io.onsbridge.instance.Instances;
import io.onsbridge.message.MessageActions;
import io.onsbridge.message.TimeRangePager;
import io.onsbridge.metrics.BridgeMetrics;
import io.onsbridge.protocol.ActionRegistry;
import io.onsbridge.protocol.RequestProcessor;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.ResponseRenderer;
import io.onsbridge.region.RegionActions;
import io.onsbridge.service.ServiceActions;
import io.onsbridge.stats.ConsumerSampler;
import io.onsbridge.stats.StatsActions;
import io.onsbridge.tag.TagActions;
import io.onsbridge.topic.TopicActions;
import io.onsbridge.topic.Topics;
import io.onsbridge.trace.TraceActions;
import io.onsbridge.trace.TraceLookup;
import io.onsbridge.tracecollector.TraceAssembler;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.util.Map;

/**
 * One running bridge: the ONS endpoint wired to a cluster by its name server address. It starts
 * nothing of the cluster; {@link OnsBridge} decides whether an embedded one is needed first.
 */
public final class OnsBridgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnsBridgeServer.class);
    private static final long ADMIN_TIMEOUT_MILLIS = 5_000;
    private static final long MAX_REMEMBERED_NONCES = 200_000;
    private static final int QUEUED_REQUESTS = 1_024;

    private static final long MAX_PAGE_TASKS = 1_000;

    private static final Duration TRACE_QUEUE_REFRESH = Duration.ofSeconds(30);

    private final ClusterAdmin cluster;
    private final MessageClient messages;
    private final TraceCollector collector;
    private final TraceActions trace;
    private final ConsumerSampler sampler;
    private final HttpServer http;
    private final BridgeMetrics metrics;

    private OnsBridgeServer(ClusterAdmin cluster, MessageClient messages, TraceCollector collector, TraceActions trace,
                            ConsumerSampler sampler, HttpServer http, BridgeMetrics metrics) {
        this.cluster = cluster;
        this.messages = messages;
        this.collector = collector;
        this.trace = trace;
        this.sampler = sampler;
        this.http = http;
        this.metrics = metrics;
    }

    /**
     * @param namesrvAddr the cluster's name server(s), {@code host:port;host:port}
     * @param secrets     AccessKeyId to AccessKeySecret of every account the endpoint accepts
     */
    public static OnsBridgeServer start(BridgeConfig config, String namesrvAddr, Map<String, String> secrets)
            throws InterruptedException {
        ClusterCredentials credentials = ClusterCredentials.of(config.get(Setting.CLUSTER_ACCESS_KEY), config.get(Setting.CLUSTER_SECRET_KEY));
        ClusterAdmin cluster = new ClusterAdmin(namesrvAddr, credentials.rpcHook(), ADMIN_TIMEOUT_MILLIS).start();
        MessageClient messages = null;
        TraceCollector collector = null;
        TraceActions trace = null;
        ConsumerSampler sampler = null;
        try {
            messages = new MessageClient(cluster, credentials.rpcHook()).start();
            collector = startCollector(config, cluster, credentials);
            String advertised = config.get(Setting.ADVERTISED_NAMESRV) != null ? config.get(Setting.ADVERTISED_NAMESRV) : namesrvAddr;
            MetadataStore store = new MetadataStore(cluster);
            Instances instances = new Instances(store, cluster, config.get(Setting.ACCOUNT_ID), config.get(Setting.DEFAULT_INSTANCE));
            Topics topics = new Topics(cluster, store);
            Groups groups = new Groups(cluster, store);
            TimeRangePager pager = new TimeRangePager(messages, Clock.systemUTC(), MAX_PAGE_TASKS);
            TraceLookup lookup = new TraceLookup(messages, collector, traceTopics(config),
                    new TraceAssembler(Duration.ofSeconds(config.getInt(Setting.TRACE_NOT_RETURN_SECONDS))), Clock.systemUTC());
            trace = new TraceActions(instances, topics, lookup, config.get(Setting.ACCOUNT_ID), Clock.systemUTC());
            BridgeMetrics metrics = new BridgeMetrics();
            // One background look at the consumers feeds the output curves, the backlog metrics and the alarms.
            sampler = new ConsumerSampler(cluster, messages, Duration.ofSeconds(config.getInt(Setting.SAMPLE_INTERVAL)),
                    config.getInt(Setting.SAMPLE_GROUPS));
            sampler.register(metrics.registry());
            sampler.addListener(new AlarmEvaluator(store, AlarmEvaluator.prefixes(config.get(Setting.ALARM_URL_PREFIXES)), metrics.registry()));
            NameLocks nameLocks = new NameLocks(); // one for every action class: tag writes meet record updates
            ActionRegistry registry = ActionTable.build(
                    new ServiceActions(),
                    new RegionActions(config.get(Setting.REGION)),
                    new InstanceActions(instances, advertised, config.getInt(Setting.MAX_INSTANCES), nameLocks),
                    new TopicActions(instances, topics, cluster, config.getInt(Setting.TOPIC_QUEUES), nameLocks),
                    new GroupActions(instances, groups, cluster, nameLocks),
                    new TagActions(instances, topics, groups, nameLocks),
                    new MessageActions(instances, topics, messages, pager),
                    new DlqActions(instances, groups, messages, pager),
                    new ConsumerActions(instances, groups, topics, cluster, messages),
                    trace,
                    new StatsActions(instances, topics, groups, cluster, messages, sampler),
                    new AlarmActions(instances, groups, topics, store));
            SignatureVerifier verifier = new SignatureVerifier(new CredentialStore(secrets), Clock.systemUTC(),
                    SignatureVerifier.DEFAULT_WINDOW, MAX_REMEMBERED_NONCES);
            RequestProcessor processor = new RequestProcessor(verifier, registry, new ResponseRenderer("ons-bridge"), metrics);
            TraceCollector traceCollector = collector;
            HealthProbe health = () -> {
                boolean reachable = cluster.reachable();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("cluster", reachable ? "reachable" : "unreachable");
                details.put("nameServer", namesrvAddr);
                details.put("traceCollectorLag", reachable ? traceCollector.lag() : -1);
                details.put("tracesHeld", traceCollector.store().size());
                return new HealthProbe.Health(reachable, details);
            };
            HttpServer http = new HttpServer(config.get(Setting.HTTP_HOST), config.getInt(Setting.HTTP_PORT), processor, health, metrics,
                    config.getInt(Setting.WORKER_THREADS), QUEUED_REQUESTS);
            metrics.gauge("ons_bridge_trace_collector_lag_messages", "Trace messages the collector has yet to read (-1: unknown)",
                    traceCollector::lag);
            metrics.gauge("ons_bridge_trace_held_messages", "Messages whose trace records the collector holds in memory",
                    () -> traceCollector.store().size());
            metrics.gauge("ons_bridge_trace_held_bytes", "Estimated heap of the traces held in memory", () -> traceCollector.store().bytes());
            sampler.start();
            return new OnsBridgeServer(cluster, messages, collector, trace, sampler, http, metrics);
        } catch (RuntimeException | InterruptedException e) {
            if (sampler != null) {
                sampler.close();
            }
            if (trace != null) {
                trace.close();
            }
            if (collector != null) {
                collector.close();
            }
            if (messages != null) {
                messages.close();
            }
            cluster.close();
            throw e;
        }
    }

    /**
     * The trace collector reads every trace topic in a group of its own. The group is created up front
     * because production brokers do not create subscription groups on first use.
     */
    private static TraceCollector startCollector(BridgeConfig config, ClusterAdmin cluster, ClusterCredentials credentials) {
        SubscriptionGroupConfig group = new SubscriptionGroupConfig();
        group.setGroupName(ClusterAdmin.TRACE_COLLECTOR_GROUP);
        try {
            cluster.createGroup(cluster.masterAddresses(), group);
        } catch (RuntimeException e) {
            LOG.warn("cannot create the trace collector's group yet ({}); brokers that create groups on first use still serve it", e.getMessage());
        }
        TraceCollector.Settings settings = new TraceCollector.Settings(cluster.namesrvAddr(), credentials.rpcHook(), ClusterAdmin.TRACE_COLLECTOR_GROUP,
                traceTopics(config), Duration.ofMinutes(config.getInt(Setting.TRACE_REPLAY_MINUTES)), TRACE_QUEUE_REFRESH);
        TraceStore store = new TraceStore((long) config.getInt(Setting.TRACE_STORE_MB) << 20, Integer.MAX_VALUE);
        return new TraceCollector(settings, store, queue -> cluster.call("read the end of " + queue, a -> a.maxOffset(queue)),
                Clock.systemUTC()).start();
    }

    private static List<String> traceTopics(BridgeConfig config) {
        return Arrays.stream(config.get(Setting.TRACE_TOPICS).split(",")).map(String::trim).filter(t -> !t.isEmpty()).distinct().toList();
    }

    /** The trace collector, for tests and benchmarks that look at what it holds. */
    public TraceCollector traceCollector() {
        return collector;
    }

    /**
     * The bridge's metrics, for parts that add their own (e.g. the trace collector's lag, with
     * {@link BridgeMetrics#gauge}); everything registered there appears on {@code GET /metrics}.
     */
    public BridgeMetrics metrics() {
        return metrics;
    }

    public int port() {
        return http.port();
    }

    /** The URL SDKs are pointed at, as seen from this machine. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String namesrvAddr() {
        return cluster.namesrvAddr();
    }

    @Override
    public void close() {
        http.close();
        sampler.close();
        trace.close();
        collector.close();
        messages.close();
        cluster.close();
    }
}
