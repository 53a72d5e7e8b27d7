package io.onsbridge.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SignatureVerifier} on V3 requests: the document's own request, then each way to forge or alter one. */
class SignatureV3VerifierTest {
    private static final String KEY = "LTAIv3test";
    private static final String SECRET = "v3-secret";
    private static final String DATE = "2026-01-02T03:04:05Z";
    private static final Instant NOW = Instant.parse(DATE);

    @Test
    void acceptsTheDocumentsExampleRequest() {
        Map<String, String> headers = new LinkedHashMap<>(AcsSignatureV3Test.docHeaders());
        headers.put("authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=" + String.join(";",
                AcsSignatureV3Test.DOC_SIGNED_HEADERS) + ",Signature=" + AcsSignatureV3Test.DOC_SIGNATURE);
        V3Request doc = new V3Request("unused", "unused");
        doc.query.putAll(AcsSignatureV3Test.docQuery());
        doc.headers.clear();
        doc.headers.putAll(headers);
        SignatureVerifier verifier = new SignatureVerifier(new CredentialStore(Map.of("YourAccessKeyId", AcsSignatureV3Test.DOC_SECRET)),
                Clock.fixed(Instant.parse("2023-10-26T10:22:32Z"), ZoneOffset.UTC), SignatureVerifier.DEFAULT_WINDOW, 100);
        assertThat(verifier.verify(doc.decoded())).isEqualTo("YourAccessKeyId");
    }

    @Test
    void acceptsQueryAndFormParametersWithReservedAndNonAsciiCharacters() {
        V3Request request = request();
        request.query.put("InstanceId", "MQ_INST_1_x");
        request.query.put("Remark", "a b*c~测");
        request.form("Topic", "Orders", "Orders").form("Empty", "", "");
        assertThat(verifierAt(NOW).verify(request.sign(KEY, SECRET).decoded())).isEqualTo(KEY);
    }

    @Test
    void acceptsGet() {
        V3Request request = request();
        request.method = "GET";
        request.query.put("InstanceId", "MQ_INST_1_x");
        assertThat(verifierAt(NOW).verify(request.sign(KEY, SECRET).decoded())).isEqualTo(KEY);
    }

    @Test
    void stillAcceptsV1WhenThereIsNoAcs3Authorization() {
        Map<String, String> params = SignatureVectors.aParams();
        params.put("Signature", SignatureVectors.A_SIGNATURE);
        V3Request v1 = new V3Request("unused", "unused");
        v1.headers.clear();
        v1.headers.put("authorization", "Basic irrelevant");
        v1.query.putAll(params);
        SignatureVerifier verifier = new SignatureVerifier(new CredentialStore(Map.of(SignatureVectors.ACCESS_KEY_ID, SignatureVectors.SECRET)),
                Clock.fixed(Instant.parse(SignatureVectors.A_TIMESTAMP), ZoneOffset.UTC), SignatureVerifier.DEFAULT_WINDOW, 100);
        assertThat(verifier.verify(v1.decoded())).isEqualTo(SignatureVectors.ACCESS_KEY_ID);
    }

    // --- altered after signing -----------------------------------------------------------------------

    @Test
    void alteredBodyIsRefusedAsNotTheSignedOne() {
        V3Request request = request().form("Topic", "Orders", "Orders").sign(KEY, SECRET);
        request.body = "Topic=Payments".getBytes(StandardCharsets.UTF_8);
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("The request body's SHA-256 is " + AcsSignatureV3.sha256Hex(request.body))
                .contains("x-acs-content-sha256");
    }

    @Test
    void alteredBodyWithItsHashRecomputedFailsTheSignature() {
        V3Request request = request().form("Topic", "Orders", "Orders").sign(KEY, SECRET);
        request.body = "Topic=Payments".getBytes(StandardCharsets.UTF_8);
        request.headers.put("x-acs-content-sha256", AcsSignatureV3.sha256Hex(request.body));
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getMessage()).contains("server string to sign is:ACS3-HMAC-SHA256\n");
    }

    @Test
    void alteredQueryValueFailsTheSignatureAndTheMessageShowsTheServersCanonicalRequest() {
        V3Request request = request();
        request.query.put("InstanceId", "MQ_INST_1_x");
        request.sign(KEY, SECRET).query.put("InstanceId", "MQ_INST_1_y");
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getMessage()).contains("POST\n/\nInstanceId=MQ_INST_1_y\nhost:127.0.0.1:8080\n")
                .matches("(?s).*server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}");
    }

    @Test
    void otherMethodThanSignedFailsTheSignature() {
        V3Request request = request().sign(KEY, SECRET);
        request.method = "GET";
        assertThat(rejected(verifierAt(NOW), request).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void wrongSecretFailsTheSignature() {
        assertThat(rejected(verifierAt(NOW), request().sign(KEY, "not-the-secret")).code()).isEqualTo("SignatureDoesNotMatch");
    }

    // --- headers that must be signed -----------------------------------------------------------------

    @Test
    void xAcsHeaderAddedAfterSigningIsRefusedByName() {
        V3Request request = request().sign(KEY, SECRET);
        request.headers.put("x-acs-extra", "1");
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("IncompleteSignature");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("x-acs-extra");
    }

    @Test
    void unsignedNonceHeaderIsRefused() {
        OnsException e = rejected(verifierAt(NOW), request().sign(KEY, SECRET, name -> !name.equals("x-acs-signature-nonce")));
        assertThat(e.code()).isEqualTo("IncompleteSignature");
        assertThat(e.getMessage()).contains("x-acs-signature-nonce");
    }

    @Test
    void unsignedHostIsRefused() {
        OnsException e = rejected(verifierAt(NOW), request().sign(KEY, SECRET, name -> !name.equals("host")));
        assertThat(e.code()).isEqualTo("IncompleteSignature");
        assertThat(e.getMessage()).contains("host");
    }

    @Test
    void unsignedContentTypeIsAccepted() {
        V3Request request = request().form("Topic", "Orders", "Orders").sign(KEY, SECRET, name -> !name.equals("content-type"));
        assertThat(verifierAt(NOW).verify(request.decoded())).isEqualTo(KEY);
    }

    @Test
    void signedHeaderThatIsNotSentIsRefused() {
        V3Request request = request().form("Topic", "Orders", "Orders").sign(KEY, SECRET);
        request.headers.remove("content-type");
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("IncompleteSignature");
        assertThat(e.getMessage()).contains("content-type");
    }

    @Test
    void missingDateOrNonceOrPayloadHashIsIncompleteSignature() {
        for (String header : new String[] {"x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"}) {
            V3Request request = request().sign(KEY, SECRET);
            request.headers.remove(header);
            OnsException e = rejected(verifierAt(NOW), request);
            assertThat(e.code()).as(header).isEqualTo("IncompleteSignature");
            assertThat(e.getMessage()).as(header).contains(header);
        }
    }

    // --- the Authorization header --------------------------------------------------------------------

    @Test
    void authorizationWithoutSignedHeadersOrSignatureIsIncompleteSignatureNamingIt() {
        for (String missing : new String[] {"Credential", "SignedHeaders", "Signature"}) {
            V3Request request = request().sign(KEY, SECRET);
            String header = request.headers.get("authorization").replaceFirst(missing + "=[^,]*", "");
            request.headers.put("authorization", header);
            OnsException e = rejected(verifierAt(NOW), request);
            assertThat(e.code()).as(header).isEqualTo("IncompleteSignature");
            assertThat(e.getMessage()).as(header).contains("no " + missing + "=");
        }
    }

    @Test
    void otherAcs3AlgorithmIsInvalidSignatureMethod() {
        V3Request request = request().sign(KEY, SECRET);
        request.headers.put("authorization", request.headers.get("authorization").replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3"));
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("InvalidSignatureMethod");
        assertThat(e.getMessage()).contains("ACS3-HMAC-SM3").endsWith("use ACS3-HMAC-SHA256.");
    }

    @Test
    void unknownAccessKeyIsNotFound() {
        OnsException e = rejected(verifierAt(NOW), request().sign("LTAIunknown", SECRET));
        assertThat(e.code()).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("LTAIunknown");
    }

    @Test
    void securityTokenIsRefusedAsForV1() {
        V3Request request = request();
        request.headers.put("x-acs-security-token", "sts-token");
        assertThat(rejected(verifierAt(NOW), request.sign(KEY, SECRET)).code()).isEqualTo("InvalidSecurityToken.NotSupported");
    }

    // --- date and replay -----------------------------------------------------------------------------

    @Test
    void dateMoreThanFifteenMinutesOffIsExpired() {
        for (Duration offset : new Duration[] {Duration.ofMinutes(16), Duration.ofMinutes(-16)}) {
            OnsException e = rejected(verifierAt(NOW.plus(offset)), request().sign(KEY, SECRET));
            assertThat(e.code()).as("clock %s", offset).isEqualTo("InvalidTimeStamp.Expired");
            assertThat(e.getMessage()).contains(DATE);
        }
    }

    @Test
    void dateFourteenMinutesOffIsAccepted() {
        assertThat(verifierAt(NOW.plus(Duration.ofMinutes(14))).verify(request().sign(KEY, SECRET).decoded())).isEqualTo(KEY);
    }

    @Test
    void malformedDateIsInvalidTimeStampFormat() {
        V3Request request = new V3Request("2026-01-02 03:04:05", "nonce-1").sign(KEY, SECRET);
        OnsException e = rejected(verifierAt(NOW), request);
        assertThat(e.code()).isEqualTo("InvalidTimeStamp.Format");
        assertThat(e.getMessage()).contains("2026-01-02 03:04:05");
    }

    @Test
    void replayIsSignatureNonceUsedAndAFailedSignatureDoesNotUseTheNonceUp() {
        SignatureVerifier verifier = verifierAt(NOW);
        assertThat(rejected(verifier, request().sign(KEY, "not-the-secret")).code()).isEqualTo("SignatureDoesNotMatch");
        V3Request request = request().sign(KEY, SECRET);
        assertThat(verifier.verify(request.decoded())).isEqualTo(KEY);
        OnsException e = rejected(verifier, request);
        assertThat(e.code()).isEqualTo("SignatureNonceUsed");
        assertThat(e.getMessage()).contains("nonce-1");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static V3Request request() {
        return new V3Request(DATE, "nonce-1");
    }

    private static SignatureVerifier verifierAt(Instant now) {
        return new SignatureVerifier(new CredentialStore(Map.of(KEY, SECRET)), Clock.fixed(now, ZoneOffset.UTC),
                SignatureVerifier.DEFAULT_WINDOW, 100);
    }

    private static OnsException rejected(SignatureVerifier verifier, V3Request request) {
        OnsException e = catchThrowableOfType(OnsException.class, () -> verifier.verify(request.decoded()));
        assertThat(e).as("verify should have thrown an OnsException").isNotNull();
        return e;
    }
}
