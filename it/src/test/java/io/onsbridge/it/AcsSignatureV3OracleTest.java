package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.openapiutil.Client;
import com.aliyun.tea.TeaRequest;
import io.onsbridge.protocol.auth.AcsSignatureV3;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge's V3 signer against Alibaba's own ({@code openapiutil}'s {@code getAuthorization}, which
 * tea-openapi signs with) on the awkward cases: reserved and non-ASCII characters, empty values, a body,
 * a signed content-type. No cluster: pure text, but only this module has Alibaba's code on its path.
 */
class AcsSignatureV3OracleTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "a b", "a*b~c", "a+b/c=d&e", "测试实例", "%41", " padded "})
    void sameAuthorizationAsOpenapiutilForEveryQueryValue(String value) throws Exception {
        Map<String, String> query = new TreeMap<>();
        query.put("InstanceId", "MQ_INST_1_x");
        query.put("Remark", value);
        query.put("Tag.10.Key", "k10");
        query.put("Tag.2.Key", "k2");
        assertSameAsOpenapiutil("GET", query, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "InstanceId=MQ_INST_1_x", "Remark=a%20b%2A%E6%B5%8B&Topic=Orders"})
    void sameAuthorizationAsOpenapiutilForEveryBody(String body) throws Exception {
        assertSameAsOpenapiutil("POST", Map.of("RegionId", "cn-hangzhou"), body);
    }

    private static void assertSameAsOpenapiutil(String method, Map<String, String> query, String body) throws Exception {
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", "127.0.0.1:8080");
        headers.put("x-acs-action", "OnsTopicList");
        headers.put("x-acs-version", "2019-02-14");
        headers.put("x-acs-date", "2026-01-02T03:04:05Z");
        headers.put("x-acs-signature-nonce", "c0ffee");
        headers.put("content-type", "application/x-www-form-urlencoded");
        String hashed = AcsSignatureV3.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        headers.put("x-acs-content-sha256", hashed);

        TeaRequest request = new TeaRequest();
        request.method = method;
        request.pathname = "/";
        request.query = new TreeMap<>(query);
        request.headers = new TreeMap<>(headers);
        String theirs = Client.getAuthorization(request, AcsSignatureV3.ALGORITHM, hashed, "LTAIoracle", "oracle-secret");

        List<String> signed = new ArrayList<>(headers.keySet());
        String ours = AcsSignatureV3.ALGORITHM + " Credential=LTAIoracle,SignedHeaders=" + String.join(";", signed) + ",Signature="
                + AcsSignatureV3.sign("oracle-secret", AcsSignatureV3.stringToSign(
                        AcsSignatureV3.canonicalRequest(method, "/", query, headers, signed, hashed)));
        assertThat(ours).isEqualTo(theirs);
        assertThat(Client.hexEncode(Client.hash(body.getBytes(StandardCharsets.UTF_8), AcsSignatureV3.ALGORITHM))).isEqualTo(hashed);
    }
}
