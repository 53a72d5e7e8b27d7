package io.onsbridge.protocol.auth;

import com.google.common.net.PercentEscaper;
import io.onsbridge.domain.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

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
        StringBuilder query = new StringBuilder(256);
        for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
            if (!param.getKey().equals("Signature")) {
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(percentEncode(param.getKey())).append('=').append(percentEncode(param.getValue()));
            }
        }
        return query.toString();
    }

    public static String stringToSign(String httpMethod, Map<String, String> params) {
        return httpMethod + "&" + percentEncode("/") + "&" + percentEncode(canonicalizedQuery(params));
    }

    public static String sign(String secret, String stringToSign) {
        return HmacSha1.base64(secret + "&", stringToSign);
    }
}
