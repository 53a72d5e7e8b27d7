package io.onsbridge;

import io.onsbridge.cluster.rocketmq.ClusterCredentials;
import io.onsbridge.cluster.rocketmq.PromptStop;
import io.onsbridge.cluster.rocketmq.RocketMqCluster;
import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Setting;
import io.onsbridge.domain.device.DeviceSessions;
import io.onsbridge.mqtt.MqttDoor;
import io.onsbridge.mqttgateway.MqttGateway;
import io.onsbridge.domain.NameLocks;
import io.onsbridge.domain.alarm.AlarmActions;
import io.onsbridge.domain.alarm.AlarmEvaluator;
import io.onsbridge.domain.consumer.ConsumerActions;
import io.onsbridge.domain.dlq.DlqActions;
import io.onsbridge.domain.group.GroupActions;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceActions;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.message.MessageActions;
import io.onsbridge.domain.message.TimeRangePager;
import io.onsbridge.domain.mqtt.MqttActions;
import io.onsbridge.domain.mqtt.MqttDevices;
import io.onsbridge.domain.mqtt.MqttGroups;
import io.onsbridge.domain.region.RegionActions;
import io.onsbridge.domain.service.ServiceActions;
import io.onsbridge.domain.stats.ConsumerSampler;
import io.onsbridge.domain.stats.StatsActions;
import io.onsbridge.domain.tag.TagActions;
import io.onsbridge.domain.topic.TopicActions;
import io.onsbridge.domain.topic.Topics;
import io.onsbridge.domain.trace.TraceActions;
import io.onsbridge.domain.trace.TraceLookup;
import io.onsbridge.http.HealthProbe;
import io.onsbridge.domain.messaging.HttpConsumerShares;
import io.onsbridge.domain.messaging.HttpConsumers;
import io.onsbridge.domain.messaging.Messaging;
import io.onsbridge.http.HttpServer;
import io.onsbridge.http.Tls;
import io.onsbridge.metrics.BridgeMetrics;
import io.onsbridge.mqhttp.MqHttpDoor;
import io.onsbridge.protocol.ActionRegistry;
import io.onsbridge.protocol.ActionTable;
import io.onsbridge.protocol.RequestProcessor;
import io.onsbridge.protocol.access.AccessPolicies;
import io.onsbridge.protocol.access.AccessPolicyFile;
import io.onsbridge.protocol.access.Authorizer;
import io.onsbridge.protocol.access.ResourceScope;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.throttle.Throttle;
import io.onsbridge.protocol.throttle.ThrottleProfile;
import io.onsbridge.protocol.render.ResponseRenderer;
import io.onsbridge.tracecollector.TraceAssembler;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceStore;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running bridge: the ONS endpoint wired to a cluster by its name server address. It starts
 * nothing of the cluster; {@link OnsBridge} decides whether an embedded one is needed first.
 */
public final class OnsBridgeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnsBridgeServer.class);
    private static final long ADMIN_TIMEOUT_MILLIS = 5_000;
    private static final long MAX_REMEMBERED_NONCES = 200_000;
    private static final int QUEUED_REQUESTS = 1_024;

    private static final long MAX_PAGE_TASKS = 1_000;

    private static final Duration TRACE_QUEUE_REFRESH = Duration.ofSeconds(30);
    /** How often the access-policies file is looked at: a change is in force within this (docs/access.md promises 5 s). */
    private static final Duration POLICY_FILE_POLL = Duration.ofSeconds(1);

    private final RocketMqCluster cluster;
    private final TraceCollector collector;
    private final TraceActions trace;
    private final ConsumerSampler sampler;
    private final HttpConsumerShares httpShares;
    private final MqttDevices mqttDevices;
    private final MqttGroups mqttGroups;
    private final HttpServer http;
    private final BridgeMetrics metrics;
    private final AccessPolicyFile policyFile;
    private final Authorizer authorizer;
    private final Set<String> actions;
    private final MqttFrontDoor mqtt;

    /** The MQTT gateway and what it was wired with; null parts when {@code --mqtt-port 0} turned it off. */
    private record MqttFrontDoor(MqttGateway gateway, DeviceSessions sessions) {
        static final MqttFrontDoor OFF = new MqttFrontDoor(null, null);

        void close() {
            if (gateway != null) {
                gateway.close();
            }
            if (sessions != null) {
                sessions.close();
            }
        }
    }

    private OnsBridgeServer(RocketMqCluster cluster, TraceCollector collector, TraceActions trace, ConsumerSampler sampler,
                            HttpConsumerShares httpShares, MqttDevices mqttDevices, MqttGroups mqttGroups,
                            HttpServer http, BridgeMetrics metrics, AccessPolicyFile policyFile, Authorizer authorizer, Set<String> actions,
                            MqttFrontDoor mqtt) {
        this.mqttDevices = mqttDevices;
        this.mqttGroups = mqttGroups;
        this.mqtt = mqtt;
        this.actions = Set.copyOf(actions);
        this.policyFile = policyFile;
        this.authorizer = authorizer;
        this.cluster = cluster;
        this.collector = collector;
        this.trace = trace;
        this.sampler = sampler;
        this.httpShares = httpShares;
        this.http = http;
        this.metrics = metrics;
    }

    /**
     * @param namesrvAddr the cluster's name server(s), {@code host:port;host:port}
     * @param secrets     AccessKeyId to AccessKeySecret of every account the endpoint accepts
     */
    public static OnsBridgeServer start(BridgeConfig config, String namesrvAddr, Map<String, String> secrets)
            throws InterruptedException {
        // First, so that a certificate or policies file that cannot be used stops the start before anything runs.
        Tls tls = tls(config);
        ResourceScope scope = new ResourceScope(config.get(Setting.REGION), config.get(Setting.ACCOUNT_ID), config.get(Setting.DEFAULT_INSTANCE));
        String policiesPath = config.get(Setting.ACCESS_POLICIES);
        AccessPolicyFile policyFile = policiesPath == null ? null
                : AccessPolicyFile.start(Path.of(policiesPath), scope, secrets.keySet(), POLICY_FILE_POLL);
        Authorizer authorizer = new Authorizer(policyFile == null ? () -> AccessPolicies.NONE : policyFile::current, scope);
        ClusterCredentials credentials = ClusterCredentials.of(config.get(Setting.CLUSTER_ACCESS_KEY), config.get(Setting.CLUSTER_SECRET_KEY));
        RocketMqCluster cluster;
        try {
            cluster = RocketMqCluster.start(namesrvAddr, credentials, ADMIN_TIMEOUT_MILLIS);
        } catch (RuntimeException e) {
            closePolicies(policyFile);
            throw e;
        }
        TraceCollector collector = null;
        TraceActions trace = null;
        ConsumerSampler sampler = null;
        HttpConsumerShares httpShares = null;
        MqttDevices mqttDevices = null;
        MqttFrontDoor mqtt = MqttFrontDoor.OFF;
        try {
            collector = cluster.startTraceCollector(traceTopics(config), Duration.ofMinutes(config.getInt(Setting.TRACE_REPLAY_MINUTES)),
                    TRACE_QUEUE_REFRESH, new TraceStore((long) config.getInt(Setting.TRACE_STORE_MB) << 20, Integer.MAX_VALUE));
            String advertised = config.get(Setting.ADVERTISED_NAMESRV) != null ? config.get(Setting.ADVERTISED_NAMESRV) : namesrvAddr;
            Instances instances = new Instances(cluster, config.get(Setting.ACCOUNT_ID), config.get(Setting.DEFAULT_INSTANCE));
            Topics topics = new Topics(cluster);
            Groups groups = new Groups(cluster);
            TimeRangePager pager = new TimeRangePager(cluster, Clock.systemUTC(), MAX_PAGE_TASKS);
            TraceLookup lookup = new TraceLookup(cluster, collector, traceTopics(config),
                    new TraceAssembler(Duration.ofSeconds(config.getInt(Setting.TRACE_NOT_RETURN_SECONDS))), Clock.systemUTC());
            trace = new TraceActions(instances, topics, cluster, lookup, config.get(Setting.ACCOUNT_ID), Clock.systemUTC());
            BridgeMetrics metrics = new BridgeMetrics();
            // One background look at the consumers feeds the output curves, the backlog metrics and the alarms.
            sampler = new ConsumerSampler(cluster, Duration.ofSeconds(config.getInt(Setting.SAMPLE_INTERVAL)),
                    config.getInt(Setting.SAMPLE_GROUPS));
            sampler.register(metrics.registry());
            sampler.addListener(new AlarmEvaluator(cluster.metadata(), AlarmEvaluator.prefixes(config.get(Setting.ALARM_URL_PREFIXES)), metrics.registry()));
            // The port is bound after the actions are made (port 0 in tests): the instance description asks for it late.
            AtomicReference<String> httpEndpoint = new AtomicReference<>(config.get(Setting.ADVERTISED_HTTP));
            AtomicReference<String> httpsEndpoint = new AtomicReference<>(tls == null ? null : config.get(Setting.ADVERTISED_HTTPS));
            HttpConsumers httpConsumers = new HttpConsumers(Clock.systemUTC());
            sampler.countUnacked(httpConsumers::inFlight); // the backlog metrics and alarms count as OnsConsumerAccumulate does
            httpShares = new HttpConsumerShares(cluster, httpConsumers, Clock.systemUTC()); // what the other bridges serve counts too
            NameLocks nameLocks = new NameLocks(cluster.locks()); // one for every action class: tag writes meet record updates
            // What the MQTT gateway reports, kept in the cluster; the gateway also asks the MQTT groups at each CONNECT.
            mqttDevices = new MqttDevices(cluster, Clock.systemUTC());
            MqttGroups mqttGroups = new MqttGroups(cluster.metadata());
            ActionRegistry registry = ActionTable.build(
                    new ServiceActions(),
                    new RegionActions(config.get(Setting.REGION)),
                    new InstanceActions(instances, advertised, httpEndpoint::get, httpsEndpoint::get, config.getInt(Setting.MAX_INSTANCES), nameLocks),
                    new TopicActions(instances, topics, cluster, config.getInt(Setting.TOPIC_QUEUES), nameLocks),
                    new GroupActions(instances, groups, cluster, nameLocks),
                    new TagActions(instances, topics, groups, nameLocks),
                    new MessageActions(instances, topics, cluster, pager),
                    new DlqActions(instances, groups, cluster, pager),
                    new ConsumerActions(instances, groups, topics, cluster, httpConsumers),
                    trace,
                    new StatsActions(instances, topics, groups, cluster, sampler),
                    new AlarmActions(instances, groups, topics, cluster.metadata()),
                    new MqttActions(instances, topics, mqttGroups, mqttDevices, nameLocks, Clock.systemUTC()));
            CredentialStore credentialStore = new CredentialStore(secrets, policyFile == null ? key -> Optional.empty() : policyFile::secretOf);
            SignatureVerifier verifier = new SignatureVerifier(credentialStore, Clock.systemUTC(),
                    SignatureVerifier.DEFAULT_WINDOW, MAX_REMEMBERED_NONCES);
            Throttle throttle = ThrottleProfile.load(config.get(Setting.THROTTLING), throttlingScope(config.get(Setting.THROTTLING_SCOPE)),
                    registry.actions(), System::nanoTime);
            RequestProcessor processor = new RequestProcessor(verifier, registry, new ResponseRenderer("ons-bridge"), metrics, authorizer, throttle);
            TraceCollector traceCollector = collector;
            BrokerCheck brokerCheck = new BrokerCheck(cluster, System::nanoTime);
            HealthProbe health = () -> {
                boolean reachable = cluster.reachable();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("cluster", reachable ? "reachable" : "unreachable");
                details.put("nameServer", namesrvAddr);
                details.put("traceCollectorLag", reachable ? traceCollector.lag() : -1);
                details.put("tracesHeld", traceCollector.store().size());
                details.put("brokers", reachable ? brokerCheck.brokers() : "unknown: the cluster is unreachable");
                details.put("mastersSuspect", cluster.suspectMasters().size());
                return new HealthProbe.Health(reachable, details);
            };
            HttpServer http = new HttpServer(config.get(Setting.HTTP_HOST), config.getInt(Setting.HTTP_PORT), processor, health, metrics,
                    config.getInt(Setting.WORKER_THREADS), QUEUED_REQUESTS, new HttpServer.Limits(
                            config.getInt(Setting.HTTP_MAX_CONNECTIONS), config.getInt(Setting.HTTP_MAX_CONNECTIONS_PER_ADDRESS),
                            Duration.ofSeconds(config.getInt(Setting.HTTP_IDLE_SECONDS)), Duration.ofSeconds(config.getInt(Setting.HTTP_READ_SECONDS))),
                    new MqHttpDoor(credentialStore, authorizer, Clock.systemUTC(), new Messaging(instances, topics, groups, cluster,
                            Duration.ofSeconds(config.getInt(Setting.MQ_HTTP_INVISIBLE_SECONDS)), httpConsumers), config.get(Setting.REGION)), tls);
            httpEndpoint.compareAndSet(null, "http://" + advertisedHost(config.get(Setting.HTTP_HOST)) + ":" + http.port());
            if (tls != null) {
                httpsEndpoint.compareAndSet(null, "https://" + advertisedHost(config.get(Setting.HTTP_HOST)) + ":" + http.tlsPort());
            }
            metrics.gauge("ons_bridge_trace_collector_lag_messages", "Trace messages the collector has yet to read (-1: unknown)",
                    traceCollector::lag);
            metrics.gauge("ons_bridge_trace_collector_queues", "Trace queues the collector reads: each trace topic's queues on every master seen",
                    traceCollector::queuesRead);
            metrics.gauge("ons_bridge_trace_held_messages", "Messages whose trace records the collector holds in memory",
                    () -> traceCollector.store().size());
            metrics.gauge("ons_bridge_trace_held_bytes", "Estimated heap of the traces held in memory", () -> traceCollector.store().bytes());
            metrics.gauge("ons_bridge_http_connections_open", "HTTP connections open now (bounded by --http-max-connections)",
                    http::openConnections);
            metrics.counter("ons_bridge_messages_sent_in_batches_total",
                    "Messages stored as part of a batch: sent while earlier sends of their topic were in flight",
                    () -> cluster.messages().sentInBatches());
            metrics.gauge("ons_bridge_workers_busy", "Workers serving a call now (--worker-threads of them)", http::busyWorkers);
            metrics.gauge("ons_bridge_calls_waiting", "Calls waiting for a worker (at most " + QUEUED_REQUESTS + "; beyond, 503)",
                    http::waitingCalls);
            metrics.gauge("ons_bridge_masters_suspect", "Masters left out because they did not answer a moment ago (a hung broker; see the WARN log)",
                    () -> cluster.suspectMasters().size());
            metrics.gauge("ons_bridge_jvm_threads", "Threads of the bridge's JVM (an embedded cluster's included)",
                    () -> ManagementFactory.getThreadMXBean().getThreadCount());
            if (policyFile != null) {
                metrics.gauge("ons_bridge_access_policy_reloads", "Versions of the access-policies file put in force since the start",
                        policyFile::reloads);
                metrics.gauge("ons_bridge_access_policy_rejected_reloads",
                        "Versions of the access-policies file refused since the start (the previous policies stayed; see the WARN log)",
                        policyFile::rejectedReloads);
            }
            MqttDevices devices = mqttDevices;
            metrics.gauge("ons_bridge_mqtt_events_dropped", "MQTT connection events not written to the cluster: the queue was full",
                    devices::droppedEvents);
            metrics.gauge("ons_bridge_mqtt_events_unwritten", "MQTT connection events the cluster did not take (see the WARN log)",
                    devices::unwrittenEvents);
            metrics.gauge("ons_bridge_mqtt_events_queued", "MQTT connection events waiting to be written", devices::queuedEvents);
            metrics.gauge("ons_bridge_mqtt_devices_connected", "MQTT devices connected to this bridge", devices::connectedDevices);
            metrics.gauge("ons_bridge_mqtt_devices_untracked", "MQTT connections not counted online: past the bound of 1,000,000",
                    devices::untrackedDevices);
            mqttDevices.start();
            mqtt = startMqtt(config, cluster, instances, credentialStore, metrics, mqttDevices, mqttGroups);
            sampler.start();
            httpShares.start();
            return new OnsBridgeServer(cluster, collector, trace, sampler, httpShares, mqttDevices, mqttGroups, http, metrics, policyFile, authorizer,
                    registry.actions(), mqtt);
        } catch (RuntimeException | InterruptedException e) {
            mqtt.close();
            if (mqttDevices != null) {
                mqttDevices.close();
            }
            if (sampler != null) {
                sampler.close();
            }
            if (httpShares != null) {
                httpShares.close();
            }
            if (trace != null) {
                trace.close();
            }
            if (collector != null) {
                collector.close();
            }
            cluster.close();
            closePolicies(policyFile);
            throw e;
        }
    }

    /**
     * The MQTT gateway on {@code --mqtt-port}, or nothing for port 0: devices' events go to the cluster-kept history and
     * online state ({@link MqttDevices}), their client ids' groups are the instance's MQTT groups ({@link MqttGroups}).
     */
    private static MqttFrontDoor startMqtt(BridgeConfig config, RocketMqCluster cluster, Instances instances, CredentialStore credentials,
                                           BridgeMetrics metrics, MqttDevices events, MqttGroups groups) throws InterruptedException {
        int port = config.getInt(Setting.MQTT_PORT);
        if (port == 0) {
            return MqttFrontDoor.OFF;
        }
        DeviceSessions sessions = new DeviceSessions(cluster, instances, events, Duration.ofMillis(config.getInt(Setting.MQTT_POLL_MS))).start();
        try {
            MqttDoor door = new MqttDoor(credentials, instances, groups, sessions);
            sessions.keepFresh(door::refreshLookups);
            MqttGateway gateway = MqttGateway.start(config.get(Setting.HTTP_HOST), port, door,
                    MqttGateway.Limits.defaults(config.getInt(Setting.WORKER_THREADS)));
            metrics.gauge("ons_bridge_mqtt_connections_open", "MQTT TCP connections open now", gateway::connections);
            metrics.gauge("ons_bridge_mqtt_sessions_open", "MQTT sessions open on this bridge: CONNECT accepted, connection not yet closed",
                    sessions::connected);
            metrics.gauge("ons_bridge_mqtt_topics_followed", "Topics this bridge follows for its devices (a long poll on each of their queues)",
                    sessions::followedTopics);
            return new MqttFrontDoor(gateway, sessions);
        } catch (RuntimeException | InterruptedException e) {
            sessions.close();
            throw e;
        }
    }

    /** The HTTPS side, or null when no certificate is set; a key without a certificate (or the reverse) is a mistake. */
    private static Tls tls(BridgeConfig config) {
        String cert = config.get(Setting.HTTPS_CERT);
        String key = config.get(Setting.HTTPS_KEY);
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("HTTPS needs both --https-cert and --https-key (ONS_BRIDGE_HTTPS_CERT, ONS_BRIDGE_HTTPS_KEY)");
        }
        return Tls.fromPem(config.getInt(Setting.HTTPS_PORT), Path.of(cert), Path.of(key));
    }

    /** The bind address when it is one; for a wildcard, this machine's address as its name resolves. */
    private static String advertisedHost(String bindAddress) {
        if (!bindAddress.equals("0.0.0.0") && !bindAddress.equals("::") && !bindAddress.isEmpty()) {
            return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            log.warn("this machine's name does not resolve; OnsInstanceBaseInfo gives 127.0.0.1 as the HTTP endpoint: set --advertised-http", e);
            return "127.0.0.1";
        }
    }

    private static void closePolicies(AccessPolicyFile policyFile) {
        if (policyFile != null) {
            policyFile.close();
        }
    }

    /**
     * What access policies let each key do: the ONS endpoint asks it per call; a data-plane front door
     * asks {@link Authorizer#allows} (e.g. {@code mq:PUB} on a topic) before it publishes or delivers.
     */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** What the MQTT gateway reports its devices' connections and traffic to (the MQTT actions read it back). */
    public MqttDevices mqttDevices() {
        return mqttDevices;
    }

    /** Whether an MQTT group exists: what the MQTT gateway checks a client id's group with. */
    public MqttGroups mqttGroups() {
        return mqttGroups;
    }

    /** Every action name served, in any API version. */
    public Set<String> actions() {
        return actions;
    }

    /** The access-policies file, or null when {@code --access-policies} is not set. */
    public AccessPolicyFile accessPolicyFile() {
        return policyFile;
    }

    /** {@code --trace-topics}, {@code {region}} replaced by the region id (where ONS's own clients write their traces). */
    private static List<String> traceTopics(BridgeConfig config) {
        return Arrays.stream(config.get(Setting.TRACE_TOPICS).replace("{region}", config.get(Setting.REGION)).split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).distinct().toList();
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

    /** HTTP connections open now (they are bounded: {@code Setting.HTTP_MAX_CONNECTIONS} and its kin). */
    public int openHttpConnections() {
        return http.openConnections();
    }

    public int port() {
        return http.port();
    }

    /** The bound HTTPS port, or -1 when no certificate is set. */
    public int httpsPort() {
        return http.tlsPort();
    }

    /** The HTTPS URL as seen from this machine (a certificate for {@code localhost} matches it), or null without HTTPS. */
    public String httpsEndpoint() {
        return http.tlsPort() < 0 ? null : "https://localhost:" + http.tlsPort();
    }

    /** The URL SDKs are pointed at, as seen from this machine. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String namesrvAddr() {
        return cluster.namesrvAddr();
    }

    /** The MQTT devices' sessions, for tests that look at what this bridge follows; null when the gateway is off. */
    public DeviceSessions mqttSessions() {
        return mqtt.sessions();
    }

    /** The bound MQTT port, or -1 when {@code --mqtt-port 0} turned the gateway off. */
    public int mqttPort() {
        return mqtt.gateway() == null ? -1 : mqtt.gateway().port();
    }

    /** The host devices are pointed at, as the ONS endpoint's (the gateway binds the same address). */
    public String mqttHost() {
        return endpoint().substring("http://".length(), endpoint().lastIndexOf(':'));
    }

    @Override
    public void close() {
        cluster.stopping();
        PromptStop.run(() -> {
            mqtt.close();
            http.close();
            mqttDevices.close();
            sampler.close();
            httpShares.close();
            trace.close();
            collector.close();
            cluster.close();
        }, List::of);
        closePolicies(policyFile);
    }

    private static Throttle.Scope throttlingScope(String value) {
        return switch (value == null ? "account" : value.trim().toLowerCase(Locale.ROOT)) {
            case "account" -> Throttle.Scope.ACCOUNT;
            case "access-key" -> Throttle.Scope.ACCESS_KEY;
            default -> throw new IllegalArgumentException("--throttling-scope is account or access-key, not \"" + value + "\"");
        };
    }
}
