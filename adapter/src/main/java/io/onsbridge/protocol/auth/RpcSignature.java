package io.onsbridge.protocol.auth;

import com.google.common.net.PercentEscaper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud RPC signature version 1.0 (protocol.md section 5): HMAC-SHA1 with key {@code secret + "&"}
 * over {@code METHOD&%2F&percentEncode(sorted, percent-encoded parameters)}.
 */
public final class RpcSignature {
    /** RFC 3986: unreserved characters stay, everything else is %XY with upper-case hex, space is %20. */
    private static final PercentEscaper ENCODER = new PercentEscaper("-_.~", false);

    private RpcSignature() {
    }

    public static String percentEncode(String value) {
        return ENCODER.escape(value);
    }

    /** Parameters sorted by name (character order, so Tag.10 sorts before Tag.2), encoded and joined. */
    public static String canonicalizedQuery(Map<String, String> params) {
        return new TreeMap<>(params).entrySet().stream()
                .filter(e -> !e.getKey().equals("Signature"))
                .map(e -> percentEncode(e.getKey()) + "=" + percentEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static String stringToSign(String httpMethod, Map<String, String> params) {
        return httpMethod + "&" + percentEncode("/") + "&" + percentEncode(canonicalizedQuery(params));
    }

    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
