package io.onsbridge.it;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyun.teaopenapi.models.Config;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Setting;
import io.onsbridge.embedded.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The test run's one embedded RocketMQ cluster and one bridge on it, started on first use and stopped
 * when the JVM exits, plus clients of both official SDKs pointed at it with real signatures.
 */
public final class Bridge {
    public static final String REGION = "cn-hangzhou";
    private static Bridge instance;

    public final EmbeddedCluster cluster;
    public final OnsBridgeServer server;
    public final String accessKeyId = "LTAItest" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    public final String accessKeySecret = UUID.randomUUID().toString();
    private final DefaultMQAdminExt admin;

    private Bridge() throws Exception {
        Path data = Path.of("target", "it-data", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        cluster = EmbeddedCluster.builder(data.resolve("rocketmq"))
                .namesrvPort(0)
                .brokerPort(0)
                .messageDelayLevels("1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s")
                .start();
        server = startServer(Map.of());
        admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(cluster.namesrvAddr());
        admin.setInstanceName("it-admin");
        admin.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            admin.shutdown();
            server.close();
            cluster.close();
        }, "it-cluster-shutdown"));
    }

    public static synchronized Bridge get() {
        if (instance == null) {
            try {
                instance = new Bridge();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded cluster and bridge", e);
            }
        }
        return instance;
    }

    /** Another bridge on the same cluster (the caller closes it): for multi-bridge and config tests. */
    public OnsBridgeServer startServer(Map<Setting, String> settings) throws InterruptedException {
        return startServer(cluster.namesrvAddr(), settings);
    }

    public OnsBridgeServer startServer(String namesrv, Map<Setting, String> settings) throws InterruptedException {
        Map<Setting, String> all = new EnumMap<>(Setting.class);
        all.put(Setting.HTTP_PORT, "0");
        all.put(Setting.HTTP_HOST, "127.0.0.1");
        all.put(Setting.REGION, REGION);
        all.put(Setting.NAMESRV, namesrv);
        all.put(Setting.MAX_INSTANCES, "0"); // tests create many instances; the quota test sets its own
        all.putAll(settings);
        return OnsBridgeServer.start(BridgeConfig.of(all), namesrv, Map.of(accessKeyId, accessKeySecret));
    }

    /** A RocketMQ admin client of the test itself, to set up and check the cluster behind the bridge's back. */
    public DefaultMQAdminExt admin() {
        return admin;
    }

    public String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    /** A fresh instance created through the Tea SDK, for a test of its own. */
    public String newInstance(String prefix) {
        try {
            return tea().onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest()
                    .setInstanceName(prefix + "_" + UUID.randomUUID().toString().substring(0, 8))).getBody().getData().getInstanceId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The default instance's ID, as the first entry of the instance list. */
    public String legacyDefaultInstance() {
        try {
            return legacy(new com.aliyuncs.ons.model.v20190214.OnsInstanceInServiceListRequest()).getData().get(0).getInstanceId();
        } catch (ClientException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- legacy SDK: aliyun-java-sdk-ons + aliyun-java-sdk-core ---------------------------------------

    public IAcsClient legacyClient(String accessKeyId, String secret) {
        return new DefaultAcsClient(DefaultProfile.getProfile(REGION, accessKeyId, secret));
    }

    public <T extends AcsResponse> T legacy(AcsRequest<T> request) throws ClientException {
        return legacy(legacyClient(accessKeyId, accessKeySecret), hostPort(), request);
    }

    public static <T extends AcsResponse> T legacy(IAcsClient client, String hostPort, AcsRequest<T> request)
            throws ClientException {
        request.setSysEndpoint(hostPort);
        request.setSysProtocol(ProtocolType.HTTP);
        return client.getAcsResponse(request);
    }

    // --- Tea SDK: ons20190214 -------------------------------------------------------------------------

    public com.aliyun.ons20190214.Client tea() {
        return tea(hostPort(), accessKeyId, accessKeySecret);
    }

    public static com.aliyun.ons20190214.Client tea(String hostPort, String accessKeyId, String secret) {
        try {
            return new com.aliyun.ons20190214.Client(new Config()
                    .setAccessKeyId(accessKeyId)
                    .setAccessKeySecret(secret)
                    .setEndpoint(hostPort)
                    .setProtocol("HTTP")
                    .setRegionId(REGION));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
