package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What no SDK sends, sent on a socket: every refusal is an XML {@code <Error>} in the protocol's namespace with
 * {@code text/xml} and {@code x-mq-request-id}, and a 4xx: never JSON, never a 5xx for the client's mistake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqHttpErrorsIT {
    private static final String NAMESPACE = "<Error xmlns=\"http://mq.aliyuncs.com/doc/v1\">";
    private final Bridge bridge;
    private String instance;
    private String messages;

    MqHttpErrorsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void topicAndGroup() throws Exception {
        instance = bridge.newInstance("mqerrors");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Hostile").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_hostile").setGroupType("http"));
        messages = "/topics/Hostile/messages?ns=" + instance;
    }

    @Test
    void aBodyOverFourMiBIsRefusedAsInvalidArgument() throws Exception {
        String xml = "<Message><MessageBody>" + "a".repeat((4 << 20) + 1) + "</MessageBody></Message>";
        assertError(signed("POST", messages).body(xml).sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidArgument");
    }

    @Test
    void aRequestOverEightMiBIsRefusedBeforeItsBodyIsRead() throws Exception {
        RawMqHttpCall call = signed("POST", messages).body(new byte[9 << 20]);
        assertError(call.sign(bridge.accessKeyId, bridge.accessKeySecret).send(false), 400, "InvalidArgument");
    }

    @Test
    void badXmlAndForbiddenPropertiesAreClientErrors() throws Exception {
        assertError(signed("POST", messages).body("<Message><MessageBody>x</Message").sign(bridge.accessKeyId, bridge.accessKeySecret).send(),
                400, "MalformedXML");
        assertError(signed("POST", messages).body("<Message><MessageBody>x</MessageBody><Properties>a:&lt;b|</Properties></Message>")
                .sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidArgument");
        assertError(signed("DELETE", "/topics/Hostile/messages?consumer=GID_hostile&ns=" + instance).body("<ReceiptHandles/>")
                .sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "MissingReceiptHandle");
    }

    @Test
    void badParametersAndPathsAreClientErrors() throws Exception {
        assertError(signed("GET", "/topics/Hostile/messages?consumer=GID_hostile&numOfMessages=abc&ns=" + instance)
                .sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidArgument");
        assertError(signed("GET", "/topics/Hostile/messages?consumer=GID_hostile&numOfMessages=1&waitseconds=31&ns=" + instance)
                .sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidArgument");
        assertError(signed("GET", "/topics/Hostile/messages?numOfMessages=1&ns=" + instance)
                .sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidArgument");
        assertError(signed("GET", "/queues/x/messages").sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidRequestURL");
        assertError(signed("PUT", messages).sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidRequestURL");
    }

    @Test
    void authenticationFailuresAreXmlErrors() throws Exception {
        assertError(signed("GET", messages).send(), 400, "MissingAuthorizationHeader");
        RawMqHttpCall skewed = signed("POST", messages).body("<Message><MessageBody>x</MessageBody></Message>");
        skewed.headers.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(20)));
        assertError(skewed.sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 408, "TimeExpired");
        assertError(signed("POST", messages).body("<Message><MessageBody>x</MessageBody></Message>")
                .sign(bridge.accessKeyId, "not-the-secret").send(), 403, "SignatureDoesNotMatch");
        assertError(signed("POST", messages).body("<Message><MessageBody>x</MessageBody></Message>")
                .sign("NoSuchKey", bridge.accessKeySecret).send(), 403, "InvalidAccessKeyId");
    }

    @Test
    void contentMd5IsCheckedInEitherForm() throws Exception {
        byte[] body = "<Message><MessageBody>digested</MessageBody></Message>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] digest = MessageDigest.getInstance("MD5").digest(body);
        RawMqHttpCall node = signed("POST", messages).body(body);
        // Node's SDK: Base64 of the hex string.
        node.headers.put("Content-MD5", Base64.getEncoder().encodeToString(HexFormat.of().formatHex(digest).getBytes()));
        RawMqHttpCall.Answer published = node.sign(bridge.accessKeyId, bridge.accessKeySecret).send();
        assertThat(published.status()).isEqualTo(201);
        assertThat(published.body()).contains("<MessageBodyMD5>" + HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("MD5").digest("digested".getBytes())) + "</MessageBodyMD5>");
        RawMqHttpCall wrong = signed("POST", messages).body(body);
        wrong.headers.put("Content-MD5", Base64.getEncoder().encodeToString(new byte[16]));
        assertError(wrong.sign(bridge.accessKeyId, bridge.accessKeySecret).send(), 400, "InvalidDigest");
    }

    @Test
    void accessPoliciesGovernPublishingAndConsuming() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("mqhttp-policies", ".json");
        java.nio.file.Files.writeString(file, """
                {
                  "LTAIpublisher00000001": {"AccessKeySecret": "pub-secret", "Policies": [{"Version": "1", "Statement": [
                    {"Effect": "Allow", "Action": "mq:PUB", "Resource": "acs:mq:*:*:%s%%Hostile"}]}]},
                  "LTAIconsumer000000001": {"AccessKeySecret": "sub-secret", "Policies": [{"Version": "1", "Statement": [
                    {"Effect": "Allow", "Action": "mq:SUB", "Resource": "*"}]}]}
                }""".formatted(instance));
        try (io.onsbridge.OnsBridgeServer governed = bridge.startServer(java.util.Map.of(io.onsbridge.config.Setting.ACCESS_POLICIES,
                file.toString()))) {
            String hostPort = "127.0.0.1:" + governed.port();
            String publish = "<Message><MessageBody>governed</MessageBody></Message>";
            assertThat(new RawMqHttpCall(hostPort, "POST", messages).body(publish).sign("LTAIpublisher00000001", "pub-secret").send().status())
                    .isEqualTo(201);
            assertError(new RawMqHttpCall(hostPort, "GET", messages + "&consumer=GID_hostile").sign("LTAIpublisher00000001", "pub-secret")
                    .send(), 403, "AccessDenied");
            assertError(new RawMqHttpCall(hostPort, "POST", messages).body(publish).sign("LTAIconsumer000000001", "sub-secret").send(),
                    403, "AccessDenied");
            // Allowed to consume: it gets what the publisher key published.
            RawMqHttpCall.Answer consumed = new RawMqHttpCall(hostPort, "GET", messages + "&consumer=GID_hostile&numOfMessages=16&waitseconds=3")
                    .sign("LTAIconsumer000000001", "sub-secret").send();
            assertThat(consumed.status()).as(consumed.body()).isEqualTo(200);
            assertThat(consumed.body()).contains("<MessageBody>governed</MessageBody>");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private RawMqHttpCall signed(String method, String target) {
        return new RawMqHttpCall(bridge.hostPort(), method, target);
    }

    private static void assertError(RawMqHttpCall.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("text/xml");
        assertThat(answer.header("x-mq-request-id")).isNotBlank();
        assertThat(answer.body()).contains(NAMESPACE).contains("<Code>" + code + "</Code>")
                .contains("<RequestId>" + answer.header("x-mq-request-id") + "</RequestId>").contains("<HostId>");
    }
}
