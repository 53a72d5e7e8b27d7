package io.onsbridge.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud signature V3, ACS3-HMAC-SHA256 (protocol.md section 5.8): lower-case hex HMAC-SHA256 with
 * the bare secret over {@code "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))}. Pure text rules;
 * {@link SignatureVerifier} decides what to check and in which order.
 */
public final class AcsSignatureV3 {
    public static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private static final HexFormat HEX = HexFormat.of();

    private AcsSignatureV3() {
    }

    /**
     * True for the Authorization header of a V3 signer ({@code ACS3-} and an algorithm); without one the
     * request is left to the V1 rules.
     */
    public static boolean isV3(String authorization) {
        return authorization != null && authorization.startsWith("ACS3-");
    }

    /** The path, each segment percent-encoded as query values are (5.1); an empty path is "/". */
    public static String canonicalUri(String path) {
        StringJoiner uri = new StringJoiner("/");
        for (String segment : (path == null ? "" : path).split("/", -1)) {
            uri.add(RpcSignature.percentEncode(segment));
        }
        return uri.length() == 0 ? "/" : uri.toString();
    }

    /**
     * Only the query string's parameters (a form body is covered by the payload hash), names and values
     * encoded, sorted by encoded name, {@code name=value} joined with {@code &}; an empty value gives {@code name=}.
     */
    public static String canonicalQuery(Map<String, String> query) {
        TreeMap<String, String> encoded = new TreeMap<>();
        query.forEach((name, value) -> encoded.put(RpcSignature.percentEncode(name), RpcSignature.percentEncode(value)));
        StringBuilder canonical = new StringBuilder(128);
        encoded.forEach((name, value) -> {
            if (!canonical.isEmpty()) {
                canonical.append('&');
            }
            canonical.append(name).append('=').append(value);
        });
        return canonical.toString();
    }

    /**
     * @param headers       the request's headers, lower-case names
     * @param signedHeaders the lower-case names the client signed, sorted (as {@link AcsAuthorization} gives them)
     */
    public static String canonicalRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                                          Collection<String> signedHeaders, String hashedPayload) {
        StringBuilder canonical = new StringBuilder(512);
        canonical.append(method).append('\n').append(canonicalUri(path)).append('\n').append(canonicalQuery(query)).append('\n');
        for (String name : signedHeaders) {
            String value = headers.get(name);
            canonical.append(name).append(':').append(value == null ? "" : value.trim()).append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n').append(hashedPayload);
        return canonical.toString();
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = MACS.get(); // init below resets it; looking a Mac up costs more than the HMAC itself
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HEX.formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Lower-case hex SHA-256, as x-acs-content-sha256 and the string to sign carry it. */
    public static String sha256Hex(byte[] bytes) {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        return HEX.formatHex(digest.digest(bytes));
    }

    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    });

    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });
}
