package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.ons.model.v20190214.OnsInstanceBaseInfoRequest;
import com.aliyuncs.ons.model.v20190214.OnsRegionListRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The gateway's answers to bad calls: each its documented code, a 4xx, a message that names the problem. */
@OnsBridgeTest
class ProtocolErrorsIT {
    private final Bridge bridge;

    ProtocolErrorsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aWrongSecretIsReportedAsSuchByTheLegacySdk() {
        // The legacy SDK compares our StringToSign with its own; equal means only the secret differs.
        var client = bridge.legacyClient(bridge.accessKeyId, "not-the-secret");
        assertThatThrownBy(() -> Bridge.legacy(client, bridge.hostPort(), new OnsRegionListRequest()))
                .isNotInstanceOf(ServerException.class) // not a 5xx, which SDKs retry
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("SDK.InvalidAccessKeySecret"));
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatchForTea() {
        var tea = Bridge.tea(bridge.hostPort(), bridge.accessKeyId, "not-the-secret");
        assertTeaError(tea::onsRegionList, "SignatureDoesNotMatch", 400, "string to sign is:POST&%2F&");
    }

    @Test
    void anUnknownAccessKeyIsNotFound() {
        var tea = Bridge.tea(bridge.hostPort(), "LTAIunknown", bridge.accessKeySecret);
        assertTeaError(tea::onsRegionList, "InvalidAccessKeyId.NotFound", 404, "LTAIunknown");
        var legacy = bridge.legacyClient("LTAIunknown", bridge.accessKeySecret);
        assertThatThrownBy(() -> Bridge.legacy(legacy, bridge.hostPort(), new OnsRegionListRequest()))
                .isNotInstanceOf(ServerException.class) // not a 5xx, which SDKs retry
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound"));
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        URI signed = new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret).signedUri(bridge.hostPort());
        HttpResponse<String> first = RawOnsCall.send(signed);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"OnsRegionId\":\"cn-hangzhou\"");
        HttpResponse<String> replay = RawOnsCall.send(signed);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("\"Code\":\"SignatureNonceUsed\"");
    }

    @Test
    void anExpiredOrMalformedTimestampIsRefused() throws Exception {
        String old = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        HttpResponse<String> expired = new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Timestamp", old).send(bridge.hostPort());
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("\"Code\":\"InvalidTimeStamp.Expired\"").contains(old);

        HttpResponse<String> malformed = new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Timestamp", "yesterday").send(bridge.hostPort());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"Code\":\"InvalidTimeStamp.Format\"");
    }

    @Test
    void missingAndMalformedParametersNameTheParameter() throws Exception {
        assertThatThrownBy(() -> bridge.legacy(new OnsInstanceBaseInfoRequest()))
                .isNotInstanceOf(ServerException.class) // not a 5xx, which SDKs retry
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.getErrCode()).isEqualTo("MissingParameter");
                    assertThat(e.getErrMsg()).contains("\"InstanceId\"");
                });

        HttpResponse<String> tagWithoutKey = new RawOnsCall("OnsInstanceInServiceList", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Tag.1.Value", "v").send(bridge.hostPort());
        assertThat(tagWithoutKey.statusCode()).isEqualTo(400);
        assertThat(tagWithoutKey.body()).contains("\"Code\":\"MissingParameter\"").contains("Tag.1.Key");

        HttpResponse<String> badFormat = new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret)
                .with("Format", "YAML").send(bridge.hostPort());
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(badFormat.body()).contains("\"Code\":\"BIZ_FIELD_CHECK_INVALID\"").contains("Format");

        HttpResponse<String> unsignedMethod = new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret)
                .with("SignatureMethod", "HMAC-SHA256").send(bridge.hostPort());
        assertThat(unsignedMethod.statusCode()).isEqualTo(400);
        assertThat(unsignedMethod.body()).contains("\"Code\":\"InvalidSignatureMethod\"");
    }

    @Test
    void anUnknownActionOrVersionIsRefusedWithItsCode() {
        assertThatThrownBy(() -> bridge.legacyClient(bridge.accessKeyId, bridge.accessKeySecret).getCommonResponse(common("OnsNoSuchThing", "2019-02-14")))
                .isNotInstanceOf(ServerException.class) // not a 5xx, which SDKs retry
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.getErrCode()).isEqualTo("InvalidAction.NotFound");
                    assertThat(e.getErrMsg()).contains("OnsNoSuchThing");
                });
        assertThatThrownBy(() -> bridge.legacyClient(bridge.accessKeyId, bridge.accessKeySecret).getCommonResponse(common("OnsRegionList", "2018-01-01")))
                .isNotInstanceOf(ServerException.class) // not a 5xx, which SDKs retry
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.getErrCode()).isEqualTo("InvalidVersion");
                    assertThat(e.getErrMsg()).contains("2018-01-01");
                });
    }

    @Test
    void aWrongPathIsA404InTheErrorFormat() throws Exception {
        HttpResponse<String> response = RawOnsCall.send(URI.create("http://" + bridge.hostPort() + "/nothing-here"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).contains("\"Code\":\"InvalidAction.NotFound\"").contains("RequestId");
    }

    private CommonRequest common(String action, String version) {
        CommonRequest request = new CommonRequest();
        request.setSysDomain(bridge.hostPort());
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysMethod(MethodType.POST);
        request.setSysAction(action);
        request.setSysVersion(version);
        return request;
    }
}
