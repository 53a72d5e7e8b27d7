package io.onsbridge.protocol.auth;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Authenticates a request: signed with V3 when its Authorization header says {@code ACS3-...}
 * ({@link SignatureV3Verifier}, protocol.md section 5.9), else with V1 as section 5.7 recommends: required
 * signature parameters, known AccessKeyId, Timestamp inside the window, signature recomputed with the
 * actual HTTP method and compared in constant time, then the nonce checked against replay. Returns the
 * caller's AccessKeyId. Both share the nonces: a nonce used once with either version is used up.
 */
public final class SignatureVerifier {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    private final CredentialStore credentials;
    private final TimestampWindow timestamps;
    private final NonceGuard nonces;
    private final SignatureV3Verifier v3;

    public SignatureVerifier(CredentialStore credentials, Clock clock, Duration window, long maxNonces) {
        this.credentials = credentials;
        this.timestamps = new TimestampWindow(clock, window);
        this.nonces = new NonceGuard(clock, window, maxNonces);
        this.v3 = new SignatureV3Verifier(credentials, timestamps, nonces);
    }

    /** @return the AccessKeyId the request is signed with, V1 or V3 */
    public String verify(SignedRequest request) {
        String authorization = request.headers().get("authorization");
        if (AcsSignatureV3.isV3(authorization)) {
            return v3.verify(request, AcsAuthorization.parse(authorization));
        }
        return verify(request.httpMethod(), request.params());
    }

    /**
     * V1 alone.
     *
     * @param httpMethod the request's method, which is signed
     * @param params     every parameter of the request, as sent
     * @return the AccessKeyId the request is signed with
     */
    public String verify(String httpMethod, Params request) {
        Map<String, String> params = request.all();
        String signature = requireForSignature(params, "Signature");
        String accessKeyId = requireForSignature(params, "AccessKeyId");
        String method = requireForSignature(params, "SignatureMethod");
        String version = requireForSignature(params, "SignatureVersion");
        if (!method.equals("HMAC-SHA1")) {
            throw OnsErrors.unsupportedSignatureMethod(method);
        }
        if (!version.equals("1.0")) {
            throw OnsErrors.unsupportedSignatureVersion(version);
        }
        String nonce = request.required("SignatureNonce");
        String timestamp = request.required("Timestamp");
        if (params.containsKey("SecurityToken")) {
            throw OnsErrors.stsNotSupported();
        }
        String secret = credentials.secretOf(accessKeyId).orElseThrow(() -> OnsErrors.unknownAccessKey(accessKeyId));
        timestamps.check(timestamp);

        // A client that copied a signature with a raw '+' into a URL sends a space (protocol.md 5.7 item 7).
        String received = signature.replace(' ', '+');
        String stringToSign = RpcSignature.stringToSign(httpMethod, params);
        boolean matches = sameSignature(RpcSignature.sign(secret, stringToSign), received);
        if (!matches && params.containsValue("")) {
            // The Tea signer skips empty values that the legacy signer includes as "Name=" (5.7 item 4).
            Map<String, String> withoutEmpty = new HashMap<>(params);
            withoutEmpty.values().removeIf(String::isEmpty);
            matches = sameSignature(RpcSignature.sign(secret, RpcSignature.stringToSign(httpMethod, withoutEmpty)), received);
        }
        if (!matches) {
            throw OnsErrors.signatureDoesNotMatch(stringToSign);
        }
        // Only a request that proved knowledge of the secret may use up a nonce.
        nonces.claim(accessKeyId, nonce);
        return accessKeyId;
    }

    private static String requireForSignature(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw OnsErrors.incompleteSignature("The request is not signed: parameter \"" + name + "\" is missing.");
        }
        return value;
    }

    static boolean sameSignature(String expected, String received) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), received.getBytes(StandardCharsets.UTF_8));
    }
}
