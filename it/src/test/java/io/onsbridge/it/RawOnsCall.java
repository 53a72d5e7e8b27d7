package io.onsbridge.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A hand-signed ONS call for what the SDKs will not send (a replayed nonce, an old timestamp, a wrong
 * parameter type). It signs with the doc's own recipe (protocol.md 5.1: URLEncoder, then fix +, * and
 * %7E), independently of the bridge's code, and sends GET with everything in the query string.
 */
final class RawOnsCall {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, String> params = new TreeMap<>();
    private final String secret;

    RawOnsCall(String action, String accessKeyId, String secret) {
        this.secret = secret;
        params.put("Action", action);
        params.put("Format", "JSON");
        params.put("Version", "2019-02-14");
        params.put("AccessKeyId", accessKeyId);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    RawOnsCall with(String name, String value) {
        params.put(name, value);
        return this;
    }

    /** The full GET URI, signed; sending it twice replays the request byte for byte. */
    URI signedUri(String hostPort) {
        return URI.create("http://" + hostPort + "/?" + join(signed("GET")));
    }

    /** A POST with every parameter in a form body, as curl -d sends it (the method is signed too). */
    HttpRequest signedFormPost(String hostPort, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://" + hostPort + "/")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(join(signed("POST")))).build();
    }

    private Map<String, String> signed(String method) {
        String stringToSign = method + "&" + encode("/") + "&" + encode(join(params));
        Map<String, String> signed = new TreeMap<>(params);
        signed.put("Signature", hmac(stringToSign));
        return signed;
    }

    static HttpResponse<String> send(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String hostPort) throws IOException, InterruptedException {
        return send(signedUri(hostPort));
    }

    private static String join(Map<String, String> map) {
        return map.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private String hmac(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
