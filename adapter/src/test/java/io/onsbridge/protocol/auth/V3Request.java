package io.onsbridge.protocol.auth;

import io.onsbridge.domain.Params;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A V3 request for the verifier's tests, signed as a V3 client signs it (every x-acs-* header, host and
 * content-type), then open to tampering: whatever is changed after {@link #sign} is not signed.
 */
final class V3Request {
    String method = "POST";
    String path = "/";
    final Map<String, String> query = new LinkedHashMap<>();
    final Map<String, String> form = new LinkedHashMap<>();
    final Map<String, String> headers = new TreeMap<>();
    byte[] body = new byte[0];

    V3Request(String date, String nonce) {
        headers.put("host", "127.0.0.1:8080");
        headers.put("x-acs-action", "OnsTopicList");
        headers.put("x-acs-version", "2019-02-14");
        headers.put("x-acs-date", date);
        headers.put("x-acs-signature-nonce", nonce);
        headers.put("user-agent", "AlibabaCloud tea-openapi");
    }

    /** A form body, as the Tea SDK sends API parameters (the caller writes it already encoded). */
    V3Request form(String name, String value, String encoded) {
        form.put(name, value);
        String text = (body.length == 0 ? "" : new String(body, StandardCharsets.UTF_8) + "&") + name + "=" + encoded;
        body = text.getBytes(StandardCharsets.UTF_8);
        headers.put("content-type", "application/x-www-form-urlencoded");
        return this;
    }

    V3Request sign(String accessKeyId, String secret) {
        return sign(accessKeyId, secret, name -> true);
    }

    /** Signs the headers a V3 client signs that {@code signed} accepts. */
    V3Request sign(String accessKeyId, String secret, Predicate<String> signed) {
        headers.put("x-acs-content-sha256", AcsSignatureV3.sha256Hex(body));
        List<String> names = new ArrayList<>();
        for (String name : headers.keySet()) {
            if ((name.startsWith("x-acs-") || name.equals("host") || name.equals("content-type")) && signed.test(name)) {
                names.add(name);
            }
        }
        String canonical = AcsSignatureV3.canonicalRequest(method, path, query, headers, names, AcsSignatureV3.sha256Hex(body));
        String toSign = AcsSignatureV3.stringToSign(canonical);
        headers.put("authorization", AcsSignatureV3.ALGORITHM + " Credential=" + accessKeyId + ",SignedHeaders=" + String.join(";", names)
                + ",Signature=" + AcsSignatureV3.sign(secret, toSign));
        return this;
    }

    SignedRequest decoded() {
        Map<String, String> params = new LinkedHashMap<>(query);
        form.forEach(params::putIfAbsent);
        String bodyHash = AcsSignatureV3.sha256Hex(body);
        Map<String, String> sentHeaders = Map.copyOf(headers);
        Map<String, String> sentQuery = Map.copyOf(query);
        String sentMethod = method;
        String sentPath = path;
        return new SignedRequest() {
            @Override
            public String httpMethod() {
                return sentMethod;
            }

            @Override
            public Params params() {
                return new Params(params);
            }

            @Override
            public String path() {
                return sentPath;
            }

            @Override
            public Map<String, String> query() {
                return sentQuery;
            }

            @Override
            public Map<String, String> headers() {
                return sentHeaders;
            }

            @Override
            public String bodySha256() {
                return bodyHash;
            }
        };
    }
}
