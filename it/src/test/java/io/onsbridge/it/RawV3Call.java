package io.onsbridge.it;

import com.aliyun.openapiutil.Client;
import com.aliyun.tea.TeaRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A V3 (ACS3-HMAC-SHA256) call built by hand for what the SDK will not send: a replay, an altered body or
 * query, an unsigned header, a skewed date. Signed by Alibaba's own {@code openapiutil} (the code the Tea
 * SDK signs with), independently of the bridge's code; anything changed after {@link #sign} is unsigned.
 */
final class RawV3Call {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    String method = "POST";
    final Map<String, String> query = new TreeMap<>();
    final Map<String, String> headers = new TreeMap<>();
    String body = "";

    RawV3Call(String action, String hostPort) {
        headers.put("host", hostPort); // java.net.http sends the same Host itself: it may not be set by hand
        headers.put("x-acs-action", action);
        headers.put("x-acs-version", "2019-02-14");
        headers.put("x-acs-date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        headers.put("x-acs-signature-nonce", UUID.randomUUID().toString());
    }

    RawV3Call form(String formBody) {
        body = formBody;
        headers.put("content-type", "application/x-www-form-urlencoded");
        return this;
    }

    RawV3Call sign(String accessKeyId, String secret) {
        try {
            String hashedPayload = Client.hexEncode(Client.hash(body.getBytes(StandardCharsets.UTF_8), "ACS3-HMAC-SHA256"));
            headers.put("x-acs-content-sha256", hashedPayload);
            TeaRequest request = new TeaRequest();
            request.method = method;
            request.pathname = "/";
            request.query = new TreeMap<>(query);
            request.headers = new TreeMap<>(headers);
            headers.put("authorization", Client.getAuthorization(request, "ACS3-HMAC-SHA256", hashedPayload, accessKeyId, secret));
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send() throws IOException, InterruptedException {
        String queryString = query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + headers.get("host") + "/?" + queryString))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((name, value) -> {
            if (!name.equals("host")) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
