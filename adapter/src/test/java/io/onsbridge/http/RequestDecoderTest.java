package io.onsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.onsbridge.domain.Tag;
import io.onsbridge.domain.OnsException;
import io.onsbridge.protocol.OnsRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void requestIdsAreUpperCaseVersion4UuidsAndDistinct() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestDecoder.newRequestId();
            assertThat(id).matches("[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
            java.util.UUID parsed = java.util.UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void getReadsTheQueryStringAndCarriesMethodAndRequestId() {
        OnsRequest request = decode(HttpMethod.GET, "/?Action=OnsRegionList&Version=2019-02-14", null, "");
        assertThat(request.params().all()).containsExactly(Map.entry("Action", "OnsRegionList"), Map.entry("Version", "2019-02-14"));
        assertThat(request.httpMethod()).isEqualTo("GET");
        assertThat(request.requestId()).isEqualTo("RID");
    }

    @Test
    void formPostMergesQueryAndBody() {
        OnsRequest request = decode(HttpMethod.POST, "/?Action=OnsInstanceCreate&Format=json", FORM, "InstanceName=x&Remark=y");
        assertThat(request.httpMethod()).isEqualTo("POST");
        assertThat(request.params().all()).containsOnly(Map.entry("Action", "OnsInstanceCreate"), Map.entry("Format", "json"),
                Map.entry("InstanceName", "x"), Map.entry("Remark", "y"));
    }

    @Test
    void plusDecodesToSpaceInQueryAndBody() {
        OnsRequest request = decode(HttpMethod.POST, "/?Timestamp=a+b", FORM, "Remark=c+d");
        assertThat(request.params().all()).containsEntry("Timestamp", "a b").containsEntry("Remark", "c d");
    }

    @Test
    void percentEscapesDecodeAsUtf8InQueryAndBody() {
        String name = "%E6%B5%8B%E8%AF%95%E5%AE%9E%E4%BE%8B";
        OnsRequest request = decode(HttpMethod.POST, "/?Signature=BWt0%2BfVYS%2Fv%2F76UhnCtc3bwk28c%3D&Q=" + name, FORM,
                "InstanceName=" + name + "&Remark=a%20b%2Ac~");
        assertThat(request.params().all())
                .containsEntry("Signature", "BWt0+fVYS/v/76UhnCtc3bwk28c=")
                .containsEntry("Q", "测试实例")
                .containsEntry("InstanceName", "测试实例")
                .containsEntry("Remark", "a b*c~");
    }

    @Test
    void aSemicolonIsAnOrdinaryCharacter() {
        OnsRequest request = decode(HttpMethod.POST, "/?Remark=a;b", FORM, "Tag=c;d");
        assertThat(request.params().all()).containsOnly(Map.entry("Remark", "a;b"), Map.entry("Tag", "c;d"));
    }

    @Test
    void aMalformedEscapeIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode(HttpMethod.GET, "/?Action=%zz", null, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formContentTypeWithCharsetIsStillAForm() {
        OnsRequest request = decode(HttpMethod.POST, "/", FORM + "; charset=UTF-8", "A=1");
        assertThat(request.params().all()).containsEntry("A", "1");
    }

    @Test
    void bodyWithoutContentTypeIsReadAsAForm() {
        assertThat(decode(HttpMethod.POST, "/", null, "A=1").params().all()).containsEntry("A", "1");
    }

    @Test
    void bodyOfOtherContentTypesIsIgnored() {
        OnsRequest request = decode(HttpMethod.POST, "/?Action=X", "application/json", "A=1");
        assertThat(request.params().all()).containsOnlyKeys("Action");
        assertThat(decode(HttpMethod.POST, "/?Action=X", "text/plain", "A=1").params().all()).containsOnlyKeys("Action");
    }

    @Test
    void aRepeatedNameIsRefusedWhereverTheCopyIs() {
        // A copy added after signing would otherwise ride along with a valid signature.
        for (String[] request : new String[][] {{"/?A=1&A=2", ""}, {"/?A=query", "A=body&B=2"}, {"/?B=1", "A=1&A=2"}}) {
            assertThatThrownBy(() -> decode(HttpMethod.POST, request[0], FORM, request[1]))
                    .isInstanceOf(OnsException.class)
                    .hasMessageContaining("\"A\" is given more than once")
                    .satisfies(e -> assertThat(((OnsException) e).code()).isEqualTo("InvalidParameter"));
        }
        assertThat(decode(HttpMethod.POST, "/?A=query", FORM, "B=2").params().all())
                .containsEntry("A", "query").containsEntry("B", "2");
    }

    @Test
    void escapesThatAreNotUtf8AreRefusedNotReplaced() {
        assertThatThrownBy(() -> decode(HttpMethod.GET, "/?Topic=a%FFb", null, ""))
                .isInstanceOf(OnsException.class).hasMessageContaining("URL is not valid UTF-8");
        assertThatThrownBy(() -> decode(HttpMethod.POST, "/", FORM, "Topic=%C3"))
                .isInstanceOf(OnsException.class).hasMessageContaining("form body is not valid UTF-8");
        // Well-formed UTF-8, escaped or not, and U+FFFD itself when the client meant it, pass.
        assertThat(decode(HttpMethod.POST, "/?Remark=%E6%B5%8B%EF%BF%BD", FORM, "Name=\u6d4b").params().all())
                .containsEntry("Remark", "\u6d4b\ufffd").containsEntry("Name", "\u6d4b");
    }

    @Test
    void nameWithoutValueIsEmpty() {
        assertThat(decode(HttpMethod.GET, "/?Remark=&A=1", null, "").params().all()).containsEntry("Remark", "");
    }

    @Test
    void pathIsTheDecodedPathWithoutQuery() {
        assertThat(decode(HttpMethod.GET, "/?Action=X", null, "").path()).isEqualTo("/");
        assertThat(decode(HttpMethod.GET, "/api/v1?Action=X", null, "").path()).isEqualTo("/api/v1");
    }

    // --- what a V3 signature covers ------------------------------------------------------------------

    @Test
    void keepsTheQueryStringsParametersApartFromTheFormBodys() {
        OnsRequest request = decode(HttpMethod.POST, "/?InstanceId=MQ_INST_1&Remark=a+b", FORM, "Topic=Orders");
        assertThat(request.query()).containsOnly(Map.entry("InstanceId", "MQ_INST_1"), Map.entry("Remark", "a b"));
        assertThat(request.params().all()).containsKeys("InstanceId", "Remark", "Topic");
        assertThat(request.path()).isEqualTo("/");
    }

    @Test
    void headersAreKeptWithLowerCaseNamesFirstValueWinning() {
        FullHttpRequest http = http(HttpMethod.POST, "/", FORM, "");
        http.headers().add("X-Acs-Date", "2026-01-01T00:00:00Z").add("x-acs-date", "later").add("Host", "127.0.0.1:8080");
        Map<String, String> headers = RequestDecoder.decode("RID", http).headers();
        assertThat(headers)
                .containsEntry("x-acs-date", "2026-01-01T00:00:00Z").containsEntry("host", "127.0.0.1:8080")
                .containsEntry("content-type", FORM);
        // Walked (as a V3 check walks them): the same, with every name in lower case, each once.
        assertThat(new java.util.HashMap<>(headers)).isEqualTo(Map.of("x-acs-date", "2026-01-01T00:00:00Z",
                "host", "127.0.0.1:8080", "content-type", FORM));
        assertThat(headers.get("x-acs-nonce")).isNull();
        assertThat(headers.containsKey("x-acs-nonce")).isFalse();
    }

    @Test
    void pairsSplitAsNettysDecoderSplitsThem() {
        // '&&' and a lone '=' give nothing, '==a' is the name "a", a second '=' belongs to the value, '#' ends the query.
        assertThat(decode(HttpMethod.GET, "/?&&A=1&=&==B&C=x=y&D#E=2", null, "").params().all())
                .containsExactly(Map.entry("A", "1"), Map.entry("B", ""), Map.entry("C", "x=y"), Map.entry("D", ""));
        assertThat(decode(HttpMethod.GET, "/#?A=1", null, "").params().all()).isEmpty();
    }

    @Test
    void thePathKeepsItsPlusAndDecodesItsEscapes() {
        assertThat(decode(HttpMethod.GET, "/a+b%20c?A=1", null, "").path()).isEqualTo("/a+b c");
    }

    @Test
    void moreParametersThanAnySdkSendsAreRefused() {
        String many = java.util.stream.IntStream.range(0, RequestDecoder.MAX_PARAMS + 1).mapToObj(i -> "P" + i + "=1")
                .collect(java.util.stream.Collectors.joining("&"));
        assertThatThrownBy(() -> decode(HttpMethod.POST, "/?A=1", FORM, many))
                .isInstanceOf(OnsException.class).hasMessageContaining("more than 1024 parameters")
                .satisfies(e -> assertThat(((OnsException) e).code()).isEqualTo("InvalidParameter"));
        assertThat(decode(HttpMethod.POST, "/", FORM, many.substring(0, many.lastIndexOf('&'))).params().all())
                .hasSize(RequestDecoder.MAX_PARAMS);
    }

    @Test
    void aQueryOnlyRequestHasOneMapForBoth() {
        OnsRequest request = decode(HttpMethod.GET, "/?Action=X&B=2", null, "");
        assertThat(request.query()).isEqualTo(request.params().all()).containsOnlyKeys("Action", "B");
    }

    @Test
    void bodyHashIsOverTheBytesAsSentWhateverTheirType() {
        assertThat(decode(HttpMethod.POST, "/", "application/json", "abc").bodySha256())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(decode(HttpMethod.GET, "/?A=1", null, "").bodySha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void newRequestIdIsAnUpperCaseUuidAndUnique() {
        String id = RequestDecoder.newRequestId();
        assertThat(id).matches("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");
        assertThat(RequestDecoder.newRequestId()).isNotEqualTo(id);
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static FullHttpRequest http(HttpMethod method, String uri, String contentType, String body) {
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        return http;
    }

    private static OnsRequest decode(HttpMethod method, String uri, String contentType, String body) {
        FullHttpRequest http = http(method, uri, contentType, body);
        try {
            return RequestDecoder.decode("RID", http);
        } finally {
            http.release();
        }
    }
}
