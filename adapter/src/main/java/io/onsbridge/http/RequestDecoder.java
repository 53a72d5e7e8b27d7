package io.onsbridge.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.protocol.OnsRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns an HTTP request into an {@link OnsRequest}: the query string and, for a form POST, the body,
 * merged into one parameter map (the legacy SDK puts everything in the query, the Tea SDK puts the API
 * parameters in the body). Both parts decode {@code +} as a space, as {@code URLEncoder} wrote it;
 * {@code ;} is an ordinary character (the SDKs send it encoded, hand-made requests may not). A malformed
 * escape such as {@code %zz} throws {@link IllegalArgumentException}; escapes that are not UTF-8 and a
 * parameter given twice are refused as {@code InvalidParameter}. What a V3 signature covers is kept
 * beside them: the path, the query string's own parameters, the headers and the body.
 */
final class RequestDecoder {
    /** What one request may carry: the SDKs send under 30. */
    static final int MAX_PARAMS = 1024;

    private RequestDecoder() {
    }

    /**
     * A random (version 4) UUID in upper case. A request id names a call in the logs and is no secret: drawn from the
     * thread's own generator, not {@link UUID#randomUUID()}'s SecureRandom, which every event loop took turns on for
     * every request.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString().toUpperCase(Locale.ROOT);
    }

    static OnsRequest decode(String requestId, FullHttpRequest http) {
        String uri = http.uri();
        requireUtf8(uri, "URL");
        // Its path alone: Netty's decoder reads it lazily, and its map of lists of parameters is not wanted.
        String path = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, MAX_PARAMS, true).path();
        int pathEnd = pathEnd(uri);
        Map<String, String> query = new LinkedHashMap<>();
        if (pathEnd < uri.length() && uri.charAt(pathEnd) == '?') {
            addAll(query, uri, pathEnd + 1);
        }
        Map<String, String> params = query; // the legacy SDK's request: the query string is every parameter
        // Copied: the worker that verifies the call runs after Netty has released the request's buffer.
        byte[] body = ByteBufUtil.getBytes(http.content());
        if (isForm(http) && body.length > 0) {
            requireUtf8(body, "form body");
            params = new LinkedHashMap<>(query);
            addAll(params, new String(body, StandardCharsets.UTF_8), 0);
        }
        return new OnsRequest(requestId, http.method().name(), path, query, params, new LowerCaseHeaders(http.headers()), body);
    }

    /** Where the path ends: at the first {@code ?} or {@code #}, as {@link QueryStringDecoder} reads a URI. */
    private static int pathEnd(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return uri.length();
    }

    private static boolean isForm(FullHttpRequest http) {
        String type = http.headers().get(HttpHeaderNames.CONTENT_TYPE);
        // A body without a Content-Type is read as a form too: that is how curl -d and GET-style tools send it.
        return type == null || type.toLowerCase(Locale.ROOT).startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString());
    }

    /**
     * Decodes {@code name=value} pairs from {@code from} into {@code params}, as {@link QueryStringDecoder} splits them
     * (on {@code &}, up to a {@code #}; a name without {@code =} has the empty value; an empty name is skipped), each
     * pair put straight into the map: Netty's decoder would build a map of lists to be copied again. A name already in
     * {@code params} is refused (a form body's are added to the query string's): the SDKs never repeat one, and a copy
     * added after signing would otherwise ride along with a valid signature (only one of its values is signed).
     */
    private static void addAll(Map<String, String> params, String text, int from) {
        int nameStart = from;
        int valueStart = -1;
        int i = from;
        for (; i < text.length() && text.charAt(i) != '#'; i++) {
            char c = text.charAt(i);
            if (c == '=' && nameStart == i) {
                nameStart = i + 1;
            } else if (c == '=' && valueStart < nameStart) {
                valueStart = i + 1;
            } else if (c == '&') {
                add(params, text, nameStart, valueStart, i);
                nameStart = i + 1;
            }
        }
        add(params, text, nameStart, valueStart, i);
    }

    private static void add(Map<String, String> params, String text, int nameStart, int valueStart, int valueEnd) {
        if (nameStart >= valueEnd) {
            return;
        }
        if (params.size() >= MAX_PARAMS) {
            throw OnsErrors.badRequest("The request has more than " + MAX_PARAMS + " parameters.");
        }
        int nameEnd = valueStart <= nameStart ? valueEnd : valueStart - 1;
        String name = QueryStringDecoder.decodeComponent(text.substring(nameStart, nameEnd), StandardCharsets.UTF_8);
        String value = valueStart <= nameStart ? "" : QueryStringDecoder.decodeComponent(text.substring(valueStart, valueEnd), StandardCharsets.UTF_8);
        if (params.putIfAbsent(name, value) != null) {
            throw OnsErrors.badRequest("The parameter \"" + name + "\" is given more than once; give each parameter once.");
        }
    }

    /**
     * Percent-escapes must spell UTF-8: decoded leniently, {@code %FF} would become U+FFFD and a signature
     * computed over U+FFFD would pass for bytes the client never meant.
     */
    static void requireUtf8(String raw, String part) {
        if (!asciiOnceDecoded(raw)) {
            requireUtf8(raw.getBytes(StandardCharsets.UTF_8), part);
        }
    }

    static void requireUtf8(byte[] raw, String part) {
        if (asciiOnceDecoded(raw)) {
            return; // what the SDKs send: every byte ASCII, every escape below %80
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int hi = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
            if (lo >= 0) {
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(raw[i]); // a malformed escape is QueryStringDecoder's to report
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
        } catch (CharacterCodingException e) {
            throw OnsErrors.badRequest("The request's " + part + " is not valid UTF-8 once percent-decoded (e.g. %FF): "
                    + "encode every character as UTF-8.");
        }
    }

    /** {@link #asciiOnceDecoded(byte[])} for a string: its characters, without encoding it first. */
    private static boolean asciiOnceDecoded(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 0x80 || (c == '%' && i + 1 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 8)) {
                return false;
            }
        }
        return true;
    }

    /** No byte and no escape at or above 0x80: ASCII, so UTF-8, with nothing decoded or allocated. */
    private static boolean asciiOnceDecoded(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] < 0 || (raw[i] == '%' && i + 1 < raw.length && Character.digit(raw[i + 1], 16) >= 8)) {
                return false;
            }
        }
        return true;
    }
}
