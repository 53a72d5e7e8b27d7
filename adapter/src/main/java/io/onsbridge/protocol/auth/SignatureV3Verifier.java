package io.onsbridge.protocol.auth;

import io.onsbridge.domain.OnsErrors;
import java.util.List;
import java.util.Map;

/**
 * Authenticates a V3 request (protocol.md section 5.9): the Authorization header, STS refused, the headers
 * that must be signed, known AccessKeyId, x-acs-date inside the window, the body against its signed hash,
 * the signature recomputed and compared in constant time, then the nonce checked against replay.
 */
final class SignatureV3Verifier {
    private final CredentialStore credentials;
    private final TimestampWindow timestamps;
    private final NonceGuard nonces;

    SignatureV3Verifier(CredentialStore credentials, TimestampWindow timestamps, NonceGuard nonces) {
        this.credentials = credentials;
        this.timestamps = timestamps;
        this.nonces = nonces;
    }

    String verify(SignedRequest request, AcsAuthorization authorization) {
        Map<String, String> headers = request.headers();
        if (headers.containsKey("x-acs-security-token") || request.params().all().containsKey("SecurityToken")) {
            throw OnsErrors.stsNotSupported();
        }
        String date = requiredHeader(headers, "x-acs-date");
        String nonce = requiredHeader(headers, "x-acs-signature-nonce");
        String declaredHash = requiredHeader(headers, "x-acs-content-sha256");
        requireSigned(headers, authorization.signedHeaders());
        String accessKeyId = authorization.accessKeyId();
        String secret = credentials.secretOf(accessKeyId).orElseThrow(() -> OnsErrors.unknownAccessKey(accessKeyId));
        timestamps.check(date);

        // The signature covers the hash, not the body: without this a client's body could be swapped.
        String bodyHash = request.bodySha256();
        if (!bodyHash.equals(declaredHash)) {
            throw OnsErrors.payloadHashMismatch(declaredHash, bodyHash);
        }
        String canonicalRequest = AcsSignatureV3.canonicalRequest(request.httpMethod(), request.path(), request.query(), headers,
                authorization.signedHeaders(), bodyHash);
        String stringToSign = AcsSignatureV3.stringToSign(canonicalRequest);
        if (!SignatureVerifier.sameSignature(AcsSignatureV3.sign(secret, stringToSign), authorization.signature())) {
            throw OnsErrors.signatureDoesNotMatch(canonicalRequest, stringToSign);
        }
        nonces.claim(accessKeyId, nonce);
        return accessKeyId;
    }

    private static String requiredHeader(Map<String, String> headers, String name) {
        String value = headers.get(name);
        if (value == null || value.isBlank()) {
            throw OnsErrors.incompleteSignature("The request is signed with " + AcsSignatureV3.ALGORITHM
                    + " but has no header " + name + ".");
        }
        return value.trim();
    }

    /**
     * An unsigned x-acs-* header could be added or changed by anyone on the way (a different nonce, a
     * different action); an unsigned host would let a request signed for another endpoint be sent here.
     */
    private static void requireSigned(Map<String, String> headers, List<String> signed) {
        if (!headers.containsKey("host")) {
            throw OnsErrors.incompleteSignature("The request has no Host header, which a " + AcsSignatureV3.ALGORITHM
                    + " request must sign.");
        }
        for (String name : headers.keySet()) {
            if ((name.equals("host") || name.startsWith("x-acs-")) && !signed.contains(name)) {
                throw OnsErrors.incompleteSignature("The header " + OnsErrors.abbreviate(name)
                        + " is not in SignedHeaders; host and every x-acs-* header sent must be signed.");
            }
        }
        for (String name : signed) {
            if (!headers.containsKey(name)) {
                throw OnsErrors.incompleteSignature("SignedHeaders names " + OnsErrors.abbreviate(name)
                        + ", which the request does not send.");
            }
        }
    }
}
