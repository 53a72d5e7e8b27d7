package io.onsbridge.protocol.auth;

import static io.onsbridge.protocol.auth.SignatureVectors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
    private static final Instant A_TIME = Instant.parse(A_TIMESTAMP);

    // --- the spec's vectors, verified at their own Timestamp -----------------------------------------

    @Test
    void acceptsTheDocVectorSignedWithGet() {
        assertThat(verify(verifierAt(Instant.parse(DOC_TIMESTAMP)), "GET", withSignature(docParams(), DOC_SIGNATURE)))
                .isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void acceptsVectorALegacyPostWithEverythingInTheQuery() {
        assertThat(verify(verifierAt(A_TIME), "POST", withSignature(aParams(), A_SIGNATURE))).isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void acceptsVectorBTeaPostWithNonAsciiAndReservedCharacters() {
        assertThat(verify(verifierAt(Instant.parse(B_TIMESTAMP)), "POST", withSignature(bParams(), B_SIGNATURE)))
                .isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void acceptsVectorCTheGetVariantOfB() {
        assertThat(verify(verifierAt(Instant.parse(B_TIMESTAMP)), "GET", withSignature(bParams(), C_SIGNATURE)))
                .isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void rejectsASignatureMadeForAnotherHttpMethod() {
        OnsException e = rejected(verifierAt(Instant.parse(B_TIMESTAMP)), "POST", withSignature(bParams(), C_SIGNATURE));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
    }

    // --- signature mismatch --------------------------------------------------------------------------

    @Test
    void wrongSecretIsSignatureDoesNotMatchEndingWithTheServerStringToSign() {
        Map<String, String> params = signed("POST", bParams(), "wrongsecret");
        OnsException e = rejected(verifierAt(Instant.parse(B_TIMESTAMP)), "POST", params);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).endsWith("server string to sign is:" + B_STRING_TO_SIGN);
    }

    @Test
    void tamperedParameterIsSignatureDoesNotMatch() {
        Map<String, String> params = withSignature(aParams(), A_SIGNATURE);
        params.put("InstanceId", "MQ_INST_111111111111_OTHER");
        assertThat(rejected(verifierAt(A_TIME), "POST", params).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void signatureWhosePlusArrivedAsSpaceIsAccepted() {
        assertThat(B_SIGNATURE).contains("+");
        Map<String, String> params = withSignature(bParams(), B_SIGNATURE.replace('+', ' '));
        assertThat(verify(verifierAt(Instant.parse(B_TIMESTAMP)), "POST", params)).isEqualTo(ACCESS_KEY_ID);
    }

    // --- empty-valued parameters (5.7 item 4) --------------------------------------------------------

    @Test
    void emptyParameterLeftOutOfTheSignatureTeaStyleIsAccepted() {
        Map<String, String> params = withSignature(aParams(), A_SIGNATURE);
        params.put("Remark", "");
        assertThat(verify(verifierAt(A_TIME), "POST", params)).isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void emptyParameterSignedAsNameEqualsLegacyStyleIsAccepted() {
        Map<String, String> unsigned = aParams();
        unsigned.put("Remark", "");
        assertThat(verify(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET))).isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void emptyParameterToleranceStillNeedsTheRightSecret() {
        Map<String, String> params = signed("POST", aParams(), "wrongsecret");
        params.put("Remark", "");
        assertThat(rejected(verifierAt(A_TIME), "POST", params).code()).isEqualTo("SignatureDoesNotMatch");
    }

    // --- required parameters, method, version, key, STS ----------------------------------------------

    @Test
    void missingSignatureIsIncompleteSignature() {
        OnsException e = rejected(verifierAt(A_TIME), "POST", aParams());
        assertThat(e.code()).isEqualTo("IncompleteSignature");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("\"Signature\"");
    }

    @Test
    void emptySignatureIsIncompleteSignature() {
        assertThat(rejected(verifierAt(A_TIME), "POST", withSignature(aParams(), "")).code()).isEqualTo("IncompleteSignature");
    }

    @Test
    void missingAccessKeyIdIsIncompleteSignature() {
        Map<String, String> params = withSignature(aParams(), A_SIGNATURE);
        params.remove("AccessKeyId");
        OnsException e = rejected(verifierAt(A_TIME), "POST", params);
        assertThat(e.code()).isEqualTo("IncompleteSignature");
        assertThat(e.getMessage()).contains("\"AccessKeyId\"");
    }

    @Test
    void signatureMethodOtherThanHmacSha1IsInvalidSignatureMethod() {
        Map<String, String> unsigned = aParams();
        unsigned.put("SignatureMethod", "HMAC-SHA256");
        OnsException e = rejected(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET));
        assertThat(e.code()).isEqualTo("InvalidSignatureMethod");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("HMAC-SHA256");
    }

    @Test
    void signatureVersionOtherThan1Point0IsInvalidSignatureVersion() {
        Map<String, String> unsigned = aParams();
        unsigned.put("SignatureVersion", "2.0");
        OnsException e = rejected(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET));
        assertThat(e.code()).isEqualTo("InvalidSignatureVersion");
        assertThat(e.httpStatus()).isEqualTo(400);
    }

    @Test
    void unknownAccessKeyIdIsInvalidAccessKeyIdNotFound() {
        Map<String, String> unsigned = aParams();
        unsigned.put("AccessKeyId", "nobody");
        OnsException e = rejected(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET));
        assertThat(e.code()).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("nobody");
    }

    @Test
    void missingNonceOrTimestampIsMissingParameterNamingIt() {
        for (String name : new String[] {"SignatureNonce", "Timestamp"}) {
            Map<String, String> unsigned = aParams();
            unsigned.remove(name);
            OnsException e = rejected(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET));
            assertThat(e.code()).as(name).isEqualTo("MissingParameter");
            assertThat(e.getMessage()).contains("\"" + name + "\"");
        }
    }

    @Test
    void stsSecurityTokenIsRejected() {
        Map<String, String> unsigned = aParams();
        unsigned.put("SecurityToken", "sts-token");
        OnsException e = rejected(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET));
        assertThat(e.code()).isEqualTo("InvalidSecurityToken.NotSupported");
        assertThat(e.httpStatus()).isEqualTo(400);
    }

    // --- timestamp window ----------------------------------------------------------------------------

    @Test
    void timestampSixteenMinutesOffEitherWayIsExpired() {
        for (Duration offset : new Duration[] {Duration.ofMinutes(16), Duration.ofMinutes(-16)}) {
            OnsException e = rejected(verifierAt(A_TIME.plus(offset)), "POST", withSignature(aParams(), A_SIGNATURE));
            assertThat(e.code()).as("server clock %s", offset).isEqualTo("InvalidTimeStamp.Expired");
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains(A_TIMESTAMP);
        }
    }

    @Test
    void timestampFourteenMinutesOffEitherWayIsAccepted() {
        for (Duration offset : new Duration[] {Duration.ofMinutes(14), Duration.ofMinutes(-14)}) {
            assertThat(verify(verifierAt(A_TIME.plus(offset)), "POST", withSignature(aParams(), A_SIGNATURE)))
                    .as("server clock %s", offset).isEqualTo(ACCESS_KEY_ID);
        }
    }

    @Test
    void malformedTimestampIsInvalidTimeStampFormat() {
        Map<String, String> unsigned = aParams();
        unsigned.put("Timestamp", "2020-01-01 12:00:00");
        OnsException e = rejected(verifierAt(A_TIME), "POST", signed("POST", unsigned, SECRET));
        assertThat(e.code()).isEqualTo("InvalidTimeStamp.Format");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("2020-01-01 12:00:00");
    }

    // --- nonce replay --------------------------------------------------------------------------------

    @Test
    void sameNonceTwiceIsSignatureNonceUsedTheSecondTime() {
        SignatureVerifier verifier = verifierAt(A_TIME);
        Map<String, String> params = withSignature(aParams(), A_SIGNATURE);
        assertThat(verify(verifier, "POST", params)).isEqualTo(ACCESS_KEY_ID);
        OnsException e = rejected(verifier, "POST", params);
        assertThat(e.code()).isEqualTo("SignatureNonceUsed");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("15215528852396");
    }

    @Test
    void failedSignatureDoesNotUseUpTheNonce() {
        SignatureVerifier verifier = verifierAt(A_TIME);
        assertThat(rejected(verifier, "POST", signed("POST", aParams(), "wrongsecret")).code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(verify(verifier, "POST", withSignature(aParams(), A_SIGNATURE))).isEqualTo(ACCESS_KEY_ID);
    }

    @Test
    void sameNonceUnderAnotherAccessKeyIsAccepted() {
        SignatureVerifier verifier = verifierAt(A_TIME);
        verify(verifier, "POST", withSignature(aParams(), A_SIGNATURE));
        Map<String, String> other = aParams();
        other.put("AccessKeyId", "otherid");
        assertThat(verify(verifier, "POST", signed("POST", other, "othersecret"))).isEqualTo("otherid");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static SignatureVerifier verifierAt(Instant now) {
        CredentialStore credentials = new CredentialStore(Map.of(ACCESS_KEY_ID, SECRET, "otherid", "othersecret"));
        return new SignatureVerifier(credentials, Clock.fixed(now, ZoneOffset.UTC), SignatureVerifier.DEFAULT_WINDOW, 10_000);
    }

    /** {@code params} with the Signature computed by {@link RpcSignature} for {@code secret}. */
    private static Map<String, String> signed(String method, Map<String, String> params, String secret) {
        return withSignature(params, RpcSignature.sign(secret, RpcSignature.stringToSign(method, params)));
    }

    private static String verify(SignatureVerifier verifier, String method, Map<String, String> params) {
        return verifier.verify(method, new Params(new LinkedHashMap<>(params)));
    }

    private static OnsException rejected(SignatureVerifier verifier, String method, Map<String, String> params) {
        OnsException e = catchThrowableOfType(OnsException.class, () -> verify(verifier, method, params));
        assertThat(e).as("verify should have thrown an OnsException").isNotNull();
        return e;
    }
}
