package io.onsbridge.mqhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.protocol.auth.CredentialStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MQ HTTP signature as the SDKs compute it, and what the bridge refuses. */
class MqSignatureTest {
    private static final String DATE = "Wed, 02 Dec 2026 06:30:00 GMT";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T06:31:00Z"), ZoneOffset.UTC);
    /** The Java SDK's target for a consume: parameters in its own order, the tag already URL-encoded. */
    private static final String TARGET = "/topics/Orders/messages?numOfMessages=3&consumer=GID_a&ns=MQ_INST_1&tag=A%7C%7CB&waitseconds=5";
    private final MqAuthenticator authenticator = new MqAuthenticator(new CredentialStore(Map.of("AK1", "secret-1")), CLOCK);

    @Test
    void stringToSignHasTheVerbTheThreeHeadersTheSortedMqHeadersAndTheTargetAsSent() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-MQ-Version", "2015-06-06");
        headers.put("x-mq-b", "2");
        headers.put("Host", "bridge:8080");
        assertThat(MqSignature.stringToSign("GET", null, "text/xml;charset=UTF-8", DATE, headers, TARGET))
                .isEqualTo("GET\n\ntext/xml;charset=UTF-8\n" + DATE + "\nx-mq-b:2\nx-mq-version:2015-06-06\n" + TARGET);
    }

    @Test
    void signatureIsBase64OfHmacSha1KeyedWithTheSecretAlone() {
        // Expected value computed apart from this code (Python's hmac) over the same string to sign.
        String stringToSign = "GET\n\ntext/xml;charset=UTF-8\n" + DATE + "\nx-mq-version:2015-06-06\n" + TARGET;
        assertThat(MqSignature.sign("secret-1", stringToSign)).isEqualTo("6O1BTHDo017VOytTpi9VQd9Za34=");
    }

    @Test
    void aCorrectlySignedRequestNamesItsKey() {
        assertThat(authenticator.authenticate("GET", signed("secret-1", DATE), TARGET)).isEqualTo("AK1");
    }

    @Test
    void aWrongSecretIsRefusedWith403SignatureDoesNotMatch() {
        assertThatThrownBy(() -> authenticator.authenticate("GET", signed("other", DATE), TARGET))
                .isInstanceOfSatisfying(MqHttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
                });
    }

    @Test
    void theSignatureCoversTheTargetAsSent() {
        String reordered = "/topics/Orders/messages?consumer=GID_a&numOfMessages=3&ns=MQ_INST_1&tag=A%7C%7CB&waitseconds=5";
        assertThatThrownBy(() -> authenticator.authenticate("GET", signed("secret-1", DATE), reordered))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void anUnknownKeyIsRefusedWith403InvalidAccessKeyId() {
        Map<String, String> headers = signed("secret-1", DATE);
        headers.put("Authorization", headers.get("Authorization").replace("AK1", "AK2"));
        assertThatThrownBy(() -> authenticator.authenticate("GET", headers, TARGET))
                .isInstanceOfSatisfying(MqHttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("InvalidAccessKeyId");
                });
    }

    @Test
    void aDateMoreThanFifteenMinutesOffIsRefusedEvenWhenSigned() {
        String late = "Wed, 02 Dec 2026 06:46:01 GMT";
        String early = "Wed, 02 Dec 2026 06:15:59 GMT";
        for (String date : new String[] {late, early}) {
            assertThatThrownBy(() -> authenticator.authenticate("GET", signed("secret-1", date), TARGET))
                    .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("TimeExpired"));
        }
        assertThat(authenticator.authenticate("GET", signed("secret-1", "Wed, 02 Dec 2026 06:45:59 GMT"), TARGET)).isEqualTo("AK1");
    }

    @Test
    void missingOrMalformedHeadersAreClientErrors() {
        Map<String, String> noAuthorization = signed("secret-1", DATE);
        noAuthorization.remove("Authorization");
        Map<String, String> notMq = signed("secret-1", DATE);
        notMq.put("Authorization", "Bearer x");
        Map<String, String> badDate = signed("secret-1", "yesterday");
        assertThatThrownBy(() -> authenticator.authenticate("GET", noAuthorization, TARGET))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("MissingAuthorizationHeader"));
        assertThatThrownBy(() -> authenticator.authenticate("GET", notMq, TARGET))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("InvalidAuthorizationHeader"));
        assertThatThrownBy(() -> authenticator.authenticate("GET", badDate, TARGET))
                .isInstanceOfSatisfying(MqHttpException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidDateHeader");
                    assertThat(e.status()).isEqualTo(400);
                });
    }

    private static Map<String, String> signed(String secret, String date) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Date", date);
        headers.put("Content-Type", "text/xml;charset=UTF-8");
        headers.put("x-mq-version", "2015-06-06");
        String signature = MqSignature.sign(secret, MqSignature.stringToSign("GET", null, "text/xml;charset=UTF-8", date, headers, TARGET));
        headers.put("Authorization", "MQ AK1:" + signature);
        return headers;
    }
}
