package io.onsbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import io.onsbridge.protocol.render.ResponseFormat;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnsRequestTest {
    // --- accessors -----------------------------------------------------------------------------------

    @Test
    void carriesRequestIdMethodActionAndVersion() {
        OnsRequest request = new OnsRequest("RID", "GET", Map.of("Action", "OnsTopicList", "Version", "2019-02-14"));
        assertThat(request.requestId()).isEqualTo("RID");
        assertThat(request.httpMethod()).isEqualTo("GET");
        assertThat(request.action()).isEqualTo("OnsTopicList");
        assertThat(request.version()).isEqualTo("2019-02-14");
    }

    @Test
    void formatDefaultsToXmlAndIsReadWithoutCase() {
        assertThat(request(Map.of()).format()).isEqualTo(ResponseFormat.XML);
        assertThat(request(Map.of("Format", "json")).format()).isEqualTo(ResponseFormat.JSON);
    }

    // --- V3: action, version and format from the signed headers ---------------------------------------

    @Test
    void v3RequestTakesActionAndVersionFromItsHeadersAndAnswersJson() {
        OnsRequest request = v3(Map.of(), Map.of("x-acs-action", "OnsTopicList", "x-acs-version", "2019-02-14"));
        assertThat(request.requiredAction()).isEqualTo("OnsTopicList");
        assertThat(request.requiredVersion()).isEqualTo("2019-02-14");
        assertThat(request.format()).isEqualTo(ResponseFormat.JSON);
    }

    @Test
    void v3RequestIgnoresActionParametersAndKeepsAFormatParameter() {
        OnsRequest request = v3(Map.of("Action", "OnsTopicDelete", "Format", "XML"), Map.of("x-acs-action", "OnsTopicList"));
        assertThat(request.requiredAction()).isEqualTo("OnsTopicList");
        assertThat(request.format()).isEqualTo(ResponseFormat.XML);
    }

    @Test
    void v3RequestWithoutActionHeaderIsMissingParameterNamingTheHeader() {
        OnsException e = catchThrowableOfType(OnsException.class, () -> v3(Map.of("Action", "OnsTopicList"), Map.of()).requiredAction());
        assertThat(e.code()).isEqualTo("MissingParameter");
        assertThat(e.getMessage()).contains("x-acs-action");
    }

    @Test
    void v1RequestIgnoresTheActionHeader() {
        OnsRequest request = new OnsRequest("RID", "POST", "/", Map.of(), Map.of("Action", "OnsTopicList"),
                Map.of("x-acs-action", "OnsTopicDelete"), new byte[0]);
        assertThat(request.requiredAction()).isEqualTo("OnsTopicList");
        assertThat(request.format()).isEqualTo(ResponseFormat.XML);
    }

    @Test
    void bodyHashIsTheHashOfTheBytesReceived() {
        OnsRequest request = new OnsRequest("RID", "POST", "/", Map.of(), Map.of(), Map.of(), "abc".getBytes(StandardCharsets.UTF_8));
        assertThat(request.bodySha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private static OnsRequest v3(Map<String, String> params, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("authorization", "ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host,Signature=0");
        return new OnsRequest("RID", "POST", "/", params, params, all, new byte[0]);
    }

    private static OnsRequest request(Map<String, String> params) {
        return new OnsRequest("test", "POST", params);
    }
}
