package io.onsbridge.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.onsbridge.protocol.OnsRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns an HTTP request into an {@link OnsRequest}: the query string and, for a form POST, the body,
 * merged into one parameter map (the legacy SDK puts everything in the query, the Tea SDK puts the API
 * parameters in the body). Both parts decode {@code +} as a space, as {@code URLEncoder} wrote it;
 * {@code ;} is an ordinary character (the SDKs send it encoded, hand-made requests may not). A malformed
 * escape such as {@code %zz} throws {@link IllegalArgumentException}. What a V3 signature covers is kept
 * beside them: the path, the query string's own parameters, the headers and the body.
 */
final class RequestDecoder {
    private RequestDecoder() {
    }

    static String newRequestId() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    static OnsRequest decode(String requestId, FullHttpRequest http) {
        QueryStringDecoder uri = new QueryStringDecoder(http.uri(), StandardCharsets.UTF_8, true, 1024, true);
        Map<String, String> query = new LinkedHashMap<>();
        addAll(query, uri.parameters());
        Map<String, String> params = new LinkedHashMap<>(query);
        // Copied: the worker that verifies the call runs after Netty has released the request's buffer.
        byte[] body = ByteBufUtil.getBytes(http.content());
        if (isForm(http) && body.length > 0) {
            String form = new String(body, StandardCharsets.UTF_8);
            addAll(params, new QueryStringDecoder(form, StandardCharsets.UTF_8, false, 1024, true).parameters());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        http.headers().forEach(header -> headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
        return new OnsRequest(requestId, http.method().name(), uri.path(), query, params, headers, body);
    }

    static String path(FullHttpRequest http) {
        return new QueryStringDecoder(http.uri(), StandardCharsets.UTF_8, true, 1024, true).path();
    }

    private static boolean isForm(FullHttpRequest http) {
        String type = http.headers().get(HttpHeaderNames.CONTENT_TYPE);
        // A body without a Content-Type is read as a form too: that is how curl -d and GET-style tools send it.
        return type == null || type.toLowerCase(Locale.ROOT).startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString());
    }

    /** A name given twice keeps its first value: the SDKs never repeat one. */
    private static void addAll(Map<String, String> params, Map<String, List<String>> decoded) {
        decoded.forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.putIfAbsent(name, values.get(0));
            }
        });
    }
}
