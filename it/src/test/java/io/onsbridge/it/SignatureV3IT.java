package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Signature V3 (ACS3-HMAC-SHA256, protocol.md 5.8 and 5.9) through Alibaba's own V3 client, tea-openapi's
 * {@code callApi} with no signature algorithm configured (it then signs V3 in {@code doRequest}): parameters
 * in the query string (POST and GET) and in a form body; then forged and altered requests signed by hand
 * with openapiutil, each refused with its code, in JSON.
 */
@OnsBridgeTest
class SignatureV3IT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Bridge bridge;

    SignatureV3IT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void queryParametersOverPostAndGetCreateAndListATopic() throws Exception {
        com.aliyun.teaopenapi.Client v3 = v3Client(bridge.accessKeySecret);
        String instance = instanceFrom(v3.callApi(params("OnsInstanceCreate", "POST", null),
                query(Map.of("InstanceName", "v3_" + UUID.randomUUID().toString().substring(0, 8))), new RuntimeOptions()));
        v3.callApi(params("OnsTopicCreate", "POST", null),
                query(Map.of("InstanceId", instance, "Topic", "V3Query", "MessageType", "0", "Remark", "a b*c~测")), new RuntimeOptions());

        Map<String, ?> listed = v3.callApi(params("OnsTopicList", "GET", null), query(Map.of("InstanceId", instance)), new RuntimeOptions());
        assertThat(listed.get("statusCode")).isEqualTo(200);
        assertThat(topics(listed)).filteredOn(t -> "V3Query".equals(t.get("Topic"))).singleElement()
                .satisfies(t -> assertThat(t.get("Remark")).isEqualTo("a b*c~测"));
    }

    @Test
    void formBodyParametersCreateAndListATopic() throws Exception {
        com.aliyun.teaopenapi.Client v3 = v3Client(bridge.accessKeySecret);
        String instance = instanceFrom(v3.callApi(params("OnsInstanceCreate", "POST", "formData"),
                body(Map.of("InstanceName", "v3f_" + UUID.randomUUID().toString().substring(0, 8))), new RuntimeOptions()));
        v3.callApi(params("OnsTopicCreate", "POST", "formData"),
                body(Map.of("InstanceId", instance, "Topic", "V3Form", "MessageType", "0", "Remark", "form & body=1")), new RuntimeOptions());

        Map<String, ?> listed = v3.callApi(params("OnsTopicList", "POST", "formData"), body(Map.of("InstanceId", instance)),
                new RuntimeOptions());
        assertThat(topics(listed)).filteredOn(t -> "V3Form".equals(t.get("Topic"))).singleElement()
                .satisfies(t -> assertThat(t.get("Remark")).isEqualTo("form & body=1"));
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatchWithTheServersStringToSign() {
        com.aliyun.teaopenapi.Client v3 = v3Client("not-the-secret");
        assertThatThrownBy(() -> v3.callApi(params("OnsRegionList", "POST", null), query(Map.of()), new RuntimeOptions()))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("SignatureDoesNotMatch");
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("x-acs-action:OnsRegionList").contains("string to sign is:ACS3-HMAC-SHA256\n");
                });
    }

    // --- hand-made requests, signed with openapiutil -------------------------------------------------

    @Test
    void aHandSignedCallIsAnsweredInJsonAndItsReplayIsRefused() throws Exception {
        RawV3Call call = new RawV3Call("OnsRegionList", bridge.hostPort()).sign(bridge.accessKeyId, bridge.accessKeySecret);
        HttpResponse<String> first = call.send();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("application/json;charset=utf-8");
        assertThat(JSON.readTree(first.body()).at("/Data/RegionDo/0/OnsRegionId").asText()).isEqualTo("cn-hangzhou");

        assertRefused(call.send(), "SignatureNonceUsed", 400, call.headers.get("x-acs-signature-nonce"));
    }

    @Test
    void anAlteredFormBodyIsRefused() throws Exception {
        RawV3Call call = new RawV3Call("OnsTopicList", bridge.hostPort()).form("InstanceId=MQ_INST_a")
                .sign(bridge.accessKeyId, bridge.accessKeySecret);
        call.body = "InstanceId=MQ_INST_b";
        assertRefused(call.send(), "SignatureDoesNotMatch", 400, "The request body's SHA-256 is");
    }

    @Test
    void anAlteredQueryValueIsRefused() throws Exception {
        RawV3Call call = new RawV3Call("OnsTopicList", bridge.hostPort());
        call.query.put("InstanceId", "MQ_INST_a");
        call.sign(bridge.accessKeyId, bridge.accessKeySecret).query.put("InstanceId", "MQ_INST_b");
        assertRefused(call.send(), "SignatureDoesNotMatch", 400, "InstanceId=MQ_INST_b");
    }

    @Test
    void anXAcsHeaderAddedAfterSigningIsRefusedByName() throws Exception {
        RawV3Call call = new RawV3Call("OnsRegionList", bridge.hostPort()).sign(bridge.accessKeyId, bridge.accessKeySecret);
        call.headers.put("x-acs-extra", "1");
        assertRefused(call.send(), "IncompleteSignature", 400, "x-acs-extra");
    }

    @Test
    void aSkewedOrMalformedDateIsRefused() throws Exception {
        String old = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        RawV3Call skewed = new RawV3Call("OnsRegionList", bridge.hostPort());
        skewed.headers.put("x-acs-date", old);
        assertRefused(skewed.sign(bridge.accessKeyId, bridge.accessKeySecret).send(), "InvalidTimeStamp.Expired", 400, old);

        RawV3Call malformed = new RawV3Call("OnsRegionList", bridge.hostPort());
        malformed.headers.put("x-acs-date", "yesterday");
        assertRefused(malformed.sign(bridge.accessKeyId, bridge.accessKeySecret).send(), "InvalidTimeStamp.Format", 400, "yesterday");
    }

    @Test
    void anUnknownAccessKeyIsNotFound() throws Exception {
        HttpResponse<String> response = new RawV3Call("OnsRegionList", bridge.hostPort()).sign("LTAIunknown", bridge.accessKeySecret).send();
        assertRefused(response, "InvalidAccessKeyId.NotFound", 404, "LTAIunknown");
    }

    @Test
    void aTruncatedAuthorizationIsIncompleteSignature() throws Exception {
        RawV3Call call = new RawV3Call("OnsRegionList", bridge.hostPort()).sign(bridge.accessKeyId, bridge.accessKeySecret);
        call.headers.put("authorization", call.headers.get("authorization").replaceFirst(",Signature=.*", ""));
        assertRefused(call.send(), "IncompleteSignature", 400, "Signature=");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private com.aliyun.teaopenapi.Client v3Client(String secret) {
        try {
            // No signatureAlgorithm: callApi then signs with ACS3-HMAC-SHA256.
            return new com.aliyun.teaopenapi.Client(new Config().setAccessKeyId(bridge.accessKeyId).setAccessKeySecret(secret)
                    .setEndpoint(bridge.hostPort()).setProtocol("HTTP").setRegionId(Bridge.REGION));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Params params(String action, String method, String reqBodyType) {
        return new Params().setAction(action).setVersion("2019-02-14").setProtocol("HTTP").setPathname("/").setMethod(method)
                .setAuthType("AK").setStyle("RPC").setReqBodyType(reqBodyType == null ? "json" : reqBodyType).setBodyType("json");
    }

    private static OpenApiRequest query(Map<String, String> query) {
        return new OpenApiRequest().setQuery(query);
    }

    private static OpenApiRequest body(Map<String, String> body) {
        return new OpenApiRequest().setBody(body);
    }

    private static String instanceFrom(Map<String, ?> answer) {
        return JSON.valueToTree(answer.get("body")).at("/Data/InstanceId").asText();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> topics(Map<String, ?> answer) {
        return (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) answer.get("body")).get("Data")).get("PublishInfoDo");
    }

    private static void assertRefused(HttpResponse<String> response, String code, int status, String messagePart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json;charset=utf-8");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("Code").asText()).isEqualTo(code);
        assertThat(error.get("Message").asText()).contains(messagePart);
    }
}
