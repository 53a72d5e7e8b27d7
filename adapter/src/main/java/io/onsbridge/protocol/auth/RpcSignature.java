package io.onsbridge.protocol.auth;

import com.google.common.net.PercentEscaper;
import java.util.Arrays;
import java.util.Map;

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
        return appendCanonicalizedQuery(new StringBuilder(256), params).toString();
    }

    private static StringBuilder appendCanonicalizedQuery(StringBuilder query, Map<String, String> params) {
        String[] names = params.keySet().toArray(new String[0]);
        Arrays.sort(names);
        for (String name : names) {
            if (!name.equals("Signature")) {
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(percentEncode(name)).append('=').append(percentEncode(params.get(name)));
            }
        }
        return query;
    }

    /**
     * {@code METHOD&%2F&percentEncode(canonicalized query)}. The canonicalized query holds unreserved characters,
     * escapes, {@code =} and {@code &} alone, so encoding it again is escaping those three: done here as it is copied,
     * not by a second pass of the escaper over a string made to be thrown away.
     */
    public static String stringToSign(String httpMethod, Map<String, String> params) {
        StringBuilder query = appendCanonicalizedQuery(new StringBuilder(256), params);
        StringBuilder text = new StringBuilder(httpMethod.length() + 5 + query.length() + query.length() / 3).append(httpMethod).append("&%2F&");
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            switch (c) {
                case '%' -> text.append("%25");
                case '=' -> text.append("%3D");
                case '&' -> text.append("%26");
                default -> text.append(c);
            }
        }
        return text.toString();
    }

    public static String sign(String secret, String stringToSign) {
        return HmacSha1.base64(secret + "&", stringToSign);
    }
}
