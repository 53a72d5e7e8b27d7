package io.onsbridge.junit;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyun.teaopenapi.models.Config;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Setting;
import io.onsbridge.embedded.EmbeddedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A running bridge on a running embedded cluster, as a test sees it: where to call, with which key,
 * where RocketMQ clients connect, and clients of both official SDKs already pointed at it.
 *
 * <p>With the system property {@value #EXTERNAL_ENDPOINT} set, the environment is a bridge and cluster running
 * elsewhere instead (e.g. docker compose, {@code bin/compose-suite}): its endpoint, key and cluster addresses
 * come from {@code onsbridge.test.endpoint}, {@code .accessKeyId}, {@code .accessKeySecret}, {@code .namesrv} and
 * {@code .broker}; nothing is started or stopped, and what needs the bridge's own process ({@link #server()},
 * another bridge) is refused.
 */
public final class OnsBridgeEnvironment implements AutoCloseable {
    public static final String REGION = "cn-hangzhou";

    /** The system property naming an external bridge's host:port (see the class comment). */
    public static final String EXTERNAL_ENDPOINT = "onsbridge.test.endpoint";

    private static OnsBridgeEnvironment shared;

    private final EmbeddedCluster cluster;
    private final OnsBridgeServer server;
    private final String accessKeyId;
    private final String accessKeySecret;
    /** An external bridge's host:port, name server and broker; null for the embedded one. */
    private final External external;

    private record External(String hostPort, String namesrvAddr, String brokerAddr) {
    }

    private OnsBridgeEnvironment(EmbeddedCluster cluster, OnsBridgeServer server, String accessKeyId, String accessKeySecret,
                                 External external) {
        this.cluster = cluster;
        this.server = server;
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
        this.external = external;
    }

    /**
     * The one environment of this JVM: started at the first call, closed (bridge, then cluster) when the
     * JVM exits. {@link OnsBridgeTest} injects it; tests of another engine on the JUnit platform (jqwik's
     * properties, say) call this, and share the same cluster instead of starting a second one.
     */
    public static synchronized OnsBridgeEnvironment shared() throws Exception {
        if (shared == null) {
            OnsBridgeEnvironment started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ons-bridge-test-environment-close"));
            shared = started;
        }
        return shared;
    }

    static OnsBridgeEnvironment start() throws Exception {
        String endpoint = System.getProperty(EXTERNAL_ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            return new OnsBridgeEnvironment(null, null, required("onsbridge.test.accessKeyId"), required("onsbridge.test.accessKeySecret"),
                    new External(endpoint, required("onsbridge.test.namesrv"), required("onsbridge.test.broker")));
        }
        String dataDir = System.getProperty("onsbridge.test.dataDir");
        Path data = dataDir != null ? Path.of(dataDir)
                : (Files.isDirectory(Path.of("target")) ? Path.of("target", "ons-bridge-test") : Path.of(System.getProperty("java.io.tmpdir"), "ons-bridge-test"))
                .resolve(Long.toString(System.currentTimeMillis()));
        Files.createDirectories(data);
        EmbeddedCluster.Builder builder = EmbeddedCluster.builder(data.resolve("rocketmq")).namesrvPort(0).brokerPort(0).region(REGION);
        String delayLevels = System.getProperty("onsbridge.test.messageDelayLevels");
        if (delayLevels != null && !delayLevels.isBlank()) {
            builder.messageDelayLevels(delayLevels);
        }
        EmbeddedCluster cluster = builder.start();
        String accessKeyId = "LTAItest" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String accessKeySecret = UUID.randomUUID().toString();
        try {
            OnsBridgeServer server = startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, accessKeySecret));
            return new OnsBridgeEnvironment(cluster, server, accessKeyId, accessKeySecret, null);
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("-D" + EXTERNAL_ENDPOINT + " names an external bridge: -D" + property + " is needed too");
        }
        return value;
    }

    /** A bridge on loopback with a free port; no instance quota unless the settings give one. */
    public static OnsBridgeServer startServer(String namesrv, Map<Setting, String> settings, Map<String, String> secrets)
            throws InterruptedException {
        Map<Setting, String> all = new EnumMap<>(Setting.class);
        all.put(Setting.HTTP_PORT, "0");
        all.put(Setting.HTTP_HOST, "127.0.0.1");
        all.put(Setting.REGION, REGION);
        all.put(Setting.NAMESRV, namesrv);
        all.put(Setting.MAX_INSTANCES, "0");
        all.put(Setting.MQTT_PORT, Integer.toString(freeMqttPort())); // never 1883: a machine may run a broker there
        all.putAll(settings);
        return OnsBridgeServer.start(BridgeConfig.of(all), namesrv, secrets);
    }

    private static int freeMqttPort() {
        try {
            return EmbeddedCluster.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the MQTT gateway", e);
        }
    }

    /** Whether this is a bridge running elsewhere (see the class comment). */
    public boolean external() {
        return external != null;
    }

    /** The bridge itself, for tests that look at what it holds (e.g. its MQTT events). */
    public OnsBridgeServer server() {
        return embeddedOnly("the bridge's own process").server;
    }

    /** The MQTT gateway's URI for a device ({@code tcp://127.0.0.1:port}). */
    public String mqttUri() {
        return "tcp://127.0.0.1:" + server().mqttPort();
    }

    /** Another bridge on the same cluster and key (the caller closes it). */
    public OnsBridgeServer startAnotherBridge(String namesrv, Map<Setting, String> settings) throws InterruptedException {
        embeddedOnly("another bridge");
        return startServer(namesrv, settings, Map.of(accessKeyId, accessKeySecret));
    }

    public String endpoint() {
        return "http://" + hostPort();
    }

    /** host:port, what the SDKs take as their endpoint. */
    public String hostPort() {
        return external != null ? external.hostPort() : "127.0.0.1:" + server.port();
    }

    private OnsBridgeEnvironment embeddedOnly(String what) {
        if (external != null) {
            throw new UnsupportedOperationException(what + " is not available against the external bridge " + external.hostPort());
        }
        return this;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accessKeySecret() {
        return accessKeySecret;
    }

    /** For RocketMQ clients of an instance: namespace = instance ID, this name server. */
    public String namesrvAddr() {
        return external != null ? external.namesrvAddr() : cluster.namesrvAddr();
    }

    public String brokerAddr() {
        return external != null ? external.brokerAddr() : cluster.brokerAddr();
    }

    /** Every action the bridge serves, in any API version: for tests that must cover them all. */
    public Set<String> actions() {
        return server().actions();
    }

    public String region() {
        return REGION;
    }

    /** A Tea SDK client (ons20190214) signed with this environment's key. */
    public com.aliyun.ons20190214.Client teaClient() {
        return teaClient(hostPort(), accessKeyId, accessKeySecret);
    }

    public static com.aliyun.ons20190214.Client teaClient(String hostPort, String accessKeyId, String secret) {
        try {
            return new com.aliyun.ons20190214.Client(new Config().setAccessKeyId(accessKeyId).setAccessKeySecret(secret)
                    .setEndpoint(hostPort).setProtocol("HTTP").setRegionId(REGION));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A legacy SDK client (aliyun-java-sdk-ons); give each request {@code setSysEndpoint(hostPort())} and
     * {@code setSysProtocol(ProtocolType.HTTP)}.
     */
    public IAcsClient legacyClient() {
        return legacyClient(accessKeyId, accessKeySecret);
    }

    public IAcsClient legacyClient(String accessKeyId, String secret) {
        return new DefaultAcsClient(DefaultProfile.getProfile(REGION, accessKeyId, secret));
    }

    @Override
    public void close() {
        if (external == null) {
            server.close();
            cluster.close();
        }
    }
}
