package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoResponseBody.OnsInstanceBaseInfoResponseBodyInstanceBaseInfoEndpoints;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.teaopenapi.models.Config;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The endpoint over TLS ({@code --https-cert}, {@code --https-key}): with a certificate made for this test, the
 * Tea SDK calls the ONS API over HTTPS and learns {@code HttpInternetSecureEndpoint}, and the Java MQ HTTP SDK,
 * pointed at that URL, publishes, consumes and acks. Both SDKs check the certificate against the JVM's trust
 * store, which this test sets to one that trusts its certificate (and puts back afterwards).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqHttpsIT {
    private static final List<String> TRUST_PROPERTIES = List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType");
    private final Bridge bridge;
    private final Map<String, String> trustBefore = new HashMap<>();
    private Path dir;
    private SelfSignedPem pem;
    private OnsBridgeServer server;
    private com.aliyun.ons20190214.Client tea;
    private String instance;

    MqHttpsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void bridgeWithCertificate() throws Exception {
        dir = Files.createTempDirectory("ons-bridge-tls");
        pem = SelfSignedPem.create(dir);
        TRUST_PROPERTIES.forEach(p -> trustBefore.put(p, System.getProperty(p)));
        System.setProperty("javax.net.ssl.trustStore", pem.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", SelfSignedPem.PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        server = bridge.startServer(Map.of(Setting.HTTPS_CERT, pem.certificate().toString(), Setting.HTTPS_KEY,
                pem.privateKey().toString(), Setting.HTTPS_PORT, "0"));
        tea = new com.aliyun.ons20190214.Client(new Config().setAccessKeyId(bridge.accessKeyId).setAccessKeySecret(bridge.accessKeySecret)
                .setEndpoint("127.0.0.1:" + server.httpsPort()).setProtocol("HTTPS").setRegionId(Bridge.REGION));
        instance = tea.onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest().setInstanceName("tls_instance"))
                .getBody().getData().getInstanceId();
    }

    @AfterAll
    void close() {
        if (server != null) {
            server.close();
        }
        trustBefore.forEach((property, value) -> {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
        });
    }

    @Test
    void theTeaSdkOverHttpsLearnsTheSecureEndpoint() throws Exception {
        OnsInstanceBaseInfoResponseBodyInstanceBaseInfoEndpoints endpoints = tea.onsInstanceBaseInfo(
                new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody().getInstanceBaseInfo().getEndpoints();
        assertThat(server.httpsPort()).isPositive().isNotEqualTo(server.port());
        assertThat(endpoints.getHttpInternetSecureEndpoint()).isEqualTo("https://127.0.0.1:" + server.httpsPort());
        assertThat(endpoints.getHttpInternetEndpoint()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void theMqHttpSdkPublishesConsumesAndAcksOverHttps() throws Exception {
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Secure").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_https").setGroupType("http"));
        String secure = tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody()
                .getInstanceBaseInfo().getEndpoints().getHttpInternetSecureEndpoint();
        MQClient client = new MQClient(secure, bridge.accessKeyId, bridge.accessKeySecret);
        try {
            MQConsumer consumer = client.getConsumer(instance, "Secure", "GID_https", null);
            assertThat(consumer.consumeMessage(1, 1)).isNull(); // the group's offsets exist before the message
            String id = client.getProducer(instance, "Secure").publishMessage(
                    new TopicMessage("over tls".getBytes(StandardCharsets.UTF_8), "TagS")).getMessageId();
            Message received = MqHttpSdkIT.receive(consumer, 1).get(id);
            assertThat(received.getMessageBodyString()).isEqualTo("over tls");
            assertThat(received.getMessageTag()).isEqualTo("TagS");
            consumer.ackMessage(List.of(received.getReceiptHandle()));
            assertThat(tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Secure").setMsgId(id))
                    .getBody().getData().getMsgId()).isEqualTo(id);
        } finally {
            client.close();
        }
    }

    @Test
    void withoutACertificateTheSecureEndpointIsAbsent() throws Exception {
        // The same instance, described by the test environment's bridge, which has no certificate.
        OnsInstanceBaseInfoResponseBodyInstanceBaseInfoEndpoints endpoints = bridge.tea().onsInstanceBaseInfo(
                new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody().getInstanceBaseInfo().getEndpoints();
        assertThat(endpoints.getHttpInternetEndpoint()).startsWith("http://");
        assertThat(endpoints.getHttpInternetSecureEndpoint()).isNull();
    }

    @Test
    void aCertificateOrKeyThatCannotBeUsedStopsTheStart() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> bridge.startServer(Map.of(Setting.HTTPS_CERT, missing.toString(), Setting.HTTPS_KEY,
                pem.privateKey().toString()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--https-cert " + missing).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> bridge.startServer(Map.of(Setting.HTTPS_CERT, pem.certificate().toString(), Setting.HTTPS_KEY,
                pem.certificate().toString()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> bridge.startServer(Map.of(Setting.HTTPS_CERT, pem.certificate().toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--https-key");
    }
}
