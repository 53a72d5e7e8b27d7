package io.onsbridge;

import io.onsbridge.actions.ActionTable;
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
import io.onsbridge.protocol.ActionRegistry;
import io.onsbridge.protocol.RequestProcessor;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.ResponseRenderer;
import io.onsbridge.region.RegionActions;
import io.onsbridge.service.ServiceActions;
import io.onsbridge.tag.TagActions;
import io.onsbridge.topic.TopicActions;
import io.onsbridge.topic.Topics;
import java.time.Clock;
import java.util.Map;

/**
 * One running bridge: the ONS endpoint wired to a cluster by its name server address. It starts
 * nothing of the cluster; {@link OnsBridge} decides whether an embedded one is needed first.
 */
public final class OnsBridgeServer implements AutoCloseable {
    private static final long ADMIN_TIMEOUT_MILLIS = 5_000;
    private static final long MAX_REMEMBERED_NONCES = 200_000;
    private static final int QUEUED_REQUESTS = 1_024;

    private static final long MAX_PAGE_TASKS = 1_000;

    private final ClusterAdmin cluster;
    private final MessageClient messages;
    private final HttpServer http;

    private OnsBridgeServer(ClusterAdmin cluster, MessageClient messages, HttpServer http) {
        this.cluster = cluster;
        this.messages = messages;
        this.http = http;
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
        try {
            messages = new MessageClient(cluster, credentials.rpcHook()).start();
            String advertised = config.get(Setting.ADVERTISED_NAMESRV) != null ? config.get(Setting.ADVERTISED_NAMESRV) : namesrvAddr;
            MetadataStore store = new MetadataStore(cluster);
            Instances instances = new Instances(store, cluster, config.get(Setting.ACCOUNT_ID), config.get(Setting.DEFAULT_INSTANCE));
            Topics topics = new Topics(cluster, store);
            Groups groups = new Groups(cluster, store);
            TimeRangePager pager = new TimeRangePager(messages, Clock.systemUTC(), MAX_PAGE_TASKS);
            ActionRegistry registry = ActionTable.build(
                    new ServiceActions(),
                    new RegionActions(config.get(Setting.REGION)),
                    new InstanceActions(instances, advertised, config.getInt(Setting.MAX_INSTANCES)),
                    new TopicActions(instances, topics, cluster, config.getInt(Setting.TOPIC_QUEUES)),
                    new GroupActions(instances, groups, cluster),
                    new TagActions(instances, topics, groups),
                    new MessageActions(instances, topics, messages, pager),
                    new DlqActions(instances, groups, messages, pager),
                    new ConsumerActions(instances, groups, topics, cluster, messages));
            SignatureVerifier verifier = new SignatureVerifier(new CredentialStore(secrets), Clock.systemUTC(),
                    SignatureVerifier.DEFAULT_WINDOW, MAX_REMEMBERED_NONCES);
            RequestProcessor processor = new RequestProcessor(verifier, registry, new ResponseRenderer("ons-bridge"));
            HealthProbe health = () -> {
                boolean reachable = cluster.reachable();
                return new HealthProbe.Health(reachable, Map.of("cluster", reachable ? "reachable" : "unreachable", "nameServer", namesrvAddr));
            };
            HttpServer http = new HttpServer(config.get(Setting.HTTP_HOST), config.getInt(Setting.HTTP_PORT), processor, health,
                    config.getInt(Setting.WORKER_THREADS), QUEUED_REQUESTS);
            return new OnsBridgeServer(cluster, messages, http);
        } catch (RuntimeException | InterruptedException e) {
            if (messages != null) {
                messages.close();
            }
            cluster.close();
            throw e;
        }
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
        messages.close();
        cluster.close();
    }
}
