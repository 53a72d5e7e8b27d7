package io.onsbridge.it;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.util.Map;
import java.util.UUID;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Conveniences of our acceptance tests over the {@code @OnsBridgeTest} environment (the same one users
 * get): both SDKs with one call, a RocketMQ admin client of the test's own to check the cluster behind
 * the bridge's back, fresh instances, more bridges on the same cluster.
 */
public final class Bridge {
    public static final String REGION = OnsBridgeEnvironment.REGION;
    private static DefaultMQAdminExt admin;

    /** Where the cluster is, for producers, consumers and admin calls of the tests. */
    public record ClusterView(String namesrvAddr, String brokerAddr) {
    }

    public final ClusterView cluster;
    public final String accessKeyId;
    public final String accessKeySecret;
    private final OnsBridgeEnvironment env;

    private Bridge(OnsBridgeEnvironment env) {
        this.env = env;
        this.cluster = new ClusterView(env.namesrvAddr(), env.brokerAddr());
        this.accessKeyId = env.accessKeyId();
        this.accessKeySecret = env.accessKeySecret();
    }

    public static Bridge of(OnsBridgeEnvironment env) {
        return new Bridge(env);
    }

    public OnsBridgeServer startServer(Map<Setting, String> settings) throws InterruptedException {
        return env.startAnotherBridge(cluster.namesrvAddr(), settings);
    }

    public OnsBridgeServer startServer(String namesrv, Map<Setting, String> settings) throws InterruptedException {
        return env.startAnotherBridge(namesrv, settings);
    }

    /** A RocketMQ admin client of the test itself, started once per run. */
    public synchronized DefaultMQAdminExt admin() {
        if (admin == null) {
            DefaultMQAdminExt started = new DefaultMQAdminExt();
            started.setNamesrvAddr(cluster.namesrvAddr());
            started.setInstanceName("it-admin");
            try {
                started.start();
            } catch (MQClientException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "it-admin-shutdown"));
            admin = started;
        }
        return admin;
    }

    public String hostPort() {
        return env.hostPort();
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
        return env.legacyClient(accessKeyId, secret);
    }

    public <T extends AcsResponse> T legacy(AcsRequest<T> request) throws ClientException {
        return legacy(env.legacyClient(), hostPort(), request);
    }

    public static <T extends AcsResponse> T legacy(IAcsClient client, String hostPort, AcsRequest<T> request) throws ClientException {
        request.setSysEndpoint(hostPort);
        request.setSysProtocol(ProtocolType.HTTP);
        return client.getAcsResponse(request);
    }

    // --- Tea SDK: ons20190214 -------------------------------------------------------------------------

    public com.aliyun.ons20190214.Client tea() {
        return env.teaClient();
    }

    public static com.aliyun.ons20190214.Client tea(String hostPort, String accessKeyId, String secret) {
        return OnsBridgeEnvironment.teaClient(hostPort, accessKeyId, secret);
    }
}
