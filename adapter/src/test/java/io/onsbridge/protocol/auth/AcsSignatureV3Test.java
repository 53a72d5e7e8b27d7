package io.onsbridge.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of Alibaba's "V3 request structure and signature" (section "Fixed parameter values":
 * RunInstances, YourAccessKeyId / YourAccessKeySecret, x-acs-date 2023-10-26T10:22:32Z, nonce
 * 3156853299f313e23d1673dc12e1703d), reproduced byte for byte, and the encoding rules around it.
 */
class AcsSignatureV3Test {
    static final String DOC_SECRET = "YourAccessKeySecret";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final List<String> DOC_SIGNED_HEADERS =
            List.of("host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version");
    static final String DOC_CANONICAL_REQUEST = """
            POST
            /
            ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
            host:ecs.cn-shanghai.aliyuncs.com
            x-acs-action:RunInstances
            x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-acs-date:2023-10-26T10:22:32Z
            x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
            x-acs-version:2014-05-26

            host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""";
    static final String DOC_STRING_TO_SIGN = "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259";
    static final String DOC_SIGNATURE = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";

    static Map<String, String> docQuery() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("RegionId", "cn-shanghai");
        query.put("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd");
        return query;
    }

    static Map<String, String> docHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-acs-version", "2014-05-26");
        headers.put("host", "ecs.cn-shanghai.aliyuncs.com");
        headers.put("x-acs-action", "RunInstances");
        headers.put("x-acs-date", "2023-10-26T10:22:32Z");
        headers.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
        headers.put("x-acs-content-sha256", EMPTY_SHA256);
        return headers;
    }

    @Test
    void docExampleCanonicalRequest() {
        assertThat(AcsSignatureV3.canonicalRequest("POST", "/", docQuery(), docHeaders(), DOC_SIGNED_HEADERS, EMPTY_SHA256))
                .isEqualTo(DOC_CANONICAL_REQUEST);
    }

    @Test
    void docExampleStringToSign() {
        assertThat(AcsSignatureV3.stringToSign(DOC_CANONICAL_REQUEST)).isEqualTo(DOC_STRING_TO_SIGN);
    }

    @Test
    void docExampleSignature() {
        assertThat(AcsSignatureV3.sign(DOC_SECRET, DOC_STRING_TO_SIGN)).isEqualTo(DOC_SIGNATURE);
    }

    @Test
    void otherSecretGivesOtherSignatureOfTheSameShape() {
        assertThat(AcsSignatureV3.sign("OtherSecret", DOC_STRING_TO_SIGN)).isNotEqualTo(DOC_SIGNATURE).matches("[0-9a-f]{64}");
    }

    @Test
    void emptyBodyHashesAsTheDocumentSays() {
        assertThat(AcsSignatureV3.sha256Hex(new byte[0])).isEqualTo(EMPTY_SHA256);
        assertThat(AcsSignatureV3.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    // --- canonical query string ----------------------------------------------------------------------

    @Test
    void queryEncodesSpaceAsPercent20StarAsPercent2AAndKeepsTilde() {
        assertThat(AcsSignatureV3.canonicalQuery(Map.of("Remark", "a b*c~d+e"))).isEqualTo("Remark=a%20b%2Ac~d%2Be");
    }

    @Test
    void queryEncodesNonAsciiAsUtf8Bytes() {
        assertThat(AcsSignatureV3.canonicalQuery(Map.of("InstanceName", "测试"))).isEqualTo("InstanceName=%E6%B5%8B%E8%AF%95");
    }

    @Test
    void parameterWithoutValueIsNameEquals() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("B", "1");
        query.put("A", "");
        assertThat(AcsSignatureV3.canonicalQuery(query)).isEqualTo("A=&B=1");
    }

    @Test
    void sortsByEncodedNameInCharacterOrder() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("a~", "1");
        query.put("aé", "2");          // %C3%A9: '%' sorts before '~', though 'é' sorts after it
        query.put("Tag.2.Key", "x");
        query.put("Tag.10.Key", "y");
        assertThat(AcsSignatureV3.canonicalQuery(query)).isEqualTo("Tag.10.Key=y&Tag.2.Key=x&a%C3%A9=2&a~=1");
    }

    @Test
    void emptyQueryIsEmptyString() {
        assertThat(AcsSignatureV3.canonicalQuery(Map.of())).isEmpty();
    }

    // --- URI and headers -----------------------------------------------------------------------------

    @Test
    void canonicalUriIsSlashForRpcAndEncodesSegments() {
        assertThat(AcsSignatureV3.canonicalUri("/")).isEqualTo("/");
        assertThat(AcsSignatureV3.canonicalUri("")).isEqualTo("/");
        assertThat(AcsSignatureV3.canonicalUri("/a b/c*")).isEqualTo("/a%20b/c%2A");
    }

    @Test
    void headerValuesAreTrimmedInTheCanonicalRequest() {
        Map<String, String> headers = docHeaders();
        headers.put("x-acs-action", "  RunInstances ");
        assertThat(AcsSignatureV3.canonicalRequest("POST", "/", docQuery(), headers, DOC_SIGNED_HEADERS, EMPTY_SHA256))
                .isEqualTo(DOC_CANONICAL_REQUEST);
    }

    @Test
    void isV3OnlyForAnAcs3Authorization() {
        assertThat(AcsSignatureV3.isV3("ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=b")).isTrue();
        assertThat(AcsSignatureV3.isV3("Basic dXNlcjpwYXNz")).isFalse();
        assertThat(AcsSignatureV3.isV3(null)).isFalse();
    }
}
