package io.onsbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.access.AccessPolicies;
import io.onsbridge.protocol.access.AccessRule;
import io.onsbridge.protocol.access.Authorizer;
import io.onsbridge.protocol.access.ListFilter;
import io.onsbridge.protocol.access.ResourceScope;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.RpcSignature;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.RenderedResponse;
import io.onsbridge.protocol.render.ResponseRenderer;
import io.onsbridge.protocol.throttle.Throttle;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pipeline with access policies: the file's keys sign, are judged after the signature, and see narrowed lists. */
class RequestProcessorAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = "2020-01-01T12:00:00Z";
    private static final ResourceScope SCOPE = new ResourceScope("cn-hangzhou", "000000000000", "MQ_INST_000000000000_DEFAULT");
    private static final AccessPolicies POLICIES = AccessPolicies.parse("""
            {"LTAIlister": {"AccessKeySecret": "lister-secret", "Policies": [{"Version": "1", "Statement": [
               {"Effect": "Allow", "Action": "mq:ListTopic", "Resource": "acs:mq:*:*:MQ_INST_x"},
               {"Effect": "Allow", "Action": "mq:QueryTopicStatus", "Resource": "acs:mq:*:*:MQ_INST_x%Orders"}]}]}}
            """, "test", SCOPE, Set.of("LTAIadmin"));

    private final AtomicInteger nonces = new AtomicInteger();
    private final AtomicInteger createCalls = new AtomicInteger();
    private final RequestProcessor processor = new RequestProcessor(
            new SignatureVerifier(new CredentialStore(Map.of("LTAIadmin", "admin-secret"), POLICIES::secretOf),
                    Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC), SignatureVerifier.DEFAULT_WINDOW, 1_000),
            new ActionRegistry()
                    .register(ActionRegistry.ONS_VERSION, "OnsTopicList", request -> WireObject.of().with("Data", WireList.wrapped("PublishInfoDo",
                            List.of(WireObject.of().with("Topic", "Orders"), WireObject.of().with("Topic", "Payroll")))),
                            AccessRule.instance("mq:ListTopic").listing(ListFilter.TOPICS))
                    .register(ActionRegistry.ONS_VERSION, "OnsTopicCreate", request -> {
                        createCalls.incrementAndGet();
                        return WireObject.of();
                    }, AccessRule.topic("mq:CreateTopic")),
            new ResponseRenderer("ons.test"), CallObserver.NONE, new Authorizer(() -> POLICIES, SCOPE), Throttle.off());

    @Test
    void aKeyOfTheFileSignsAndSeesOnlyWhatItMayActOn() throws Exception {
        RenderedResponse response = processor.process(signed("LTAIlister", "lister-secret", "OnsTopicList", "InstanceId", "MQ_INST_x"));
        assertThat(response.status()).isEqualTo(200);
        JsonNode topics = JSON.readTree(response.body()).at("/Data/PublishInfoDo");
        assertThat(topics).hasSize(1);
        assertThat(topics.get(0).get("Topic").asText()).isEqualTo("Orders");
    }

    @Test
    void aDeniedCallIsForbiddenRamAndTheActionDoesNotRun() throws Exception {
        RenderedResponse response = processor.process(signed("LTAIlister", "lister-secret", "OnsTopicCreate",
                "InstanceId", "MQ_INST_x", "Topic", "Orders"));
        assertThat(response.status()).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("Code").asText()).isEqualTo("Forbidden.RAM");
        assertThat(error.get("Message").asText()).contains("LTAIlister").contains("mq:CreateTopic")
                .contains("acs:mq:cn-hangzhou:000000000000:MQ_INST_x%Orders").contains("access policy of the bridge");
        assertThat(createCalls).hasValue(0);
    }

    @Test
    void theAdminKeyIsNotGoverned() {
        RenderedResponse response = processor.process(signed("LTAIadmin", "admin-secret", "OnsTopicCreate",
                "InstanceId", "MQ_INST_y", "Topic", "Orders"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(createCalls).hasValue(1);
    }

    @Test
    void aWrongSecretIsRefusedBeforeAnyPolicy() throws Exception {
        RenderedResponse response = processor.process(signed("LTAIlister", "admin-secret", "OnsTopicList", "InstanceId", "MQ_INST_x"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("Code").asText()).isEqualTo("SignatureDoesNotMatch");
    }

    private OnsRequest signed(String key, String secret, String action, String... extra) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", action);
        params.put("Version", ActionRegistry.ONS_VERSION);
        params.put("AccessKeyId", key);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", "nonce-" + nonces.incrementAndGet());
        params.put("Timestamp", NOW);
        params.put("Format", "JSON");
        for (int i = 0; i < extra.length; i += 2) {
            params.put(extra[i], extra[i + 1]);
        }
        params.put("Signature", RpcSignature.sign(secret, RpcSignature.stringToSign("POST", params)));
        return new OnsRequest("RID-1", "POST", params);
    }
}
