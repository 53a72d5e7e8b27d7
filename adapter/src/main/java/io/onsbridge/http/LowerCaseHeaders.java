package io.onsbridge.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's headers as {@link io.onsbridge.protocol.auth.SignedRequest#headers()} gives them: names in lower case,
 * the first value of a repeated one. A name is looked up in Netty's own headers, which ignore case; the lower-case copy
 * is made only when the headers are walked (a V3 signature's check), not for each V1 call that reads two of them.
 * Netty releases a request's body after it is read, not its headers, so the worker reads them later.
 */
final class LowerCaseHeaders extends AbstractMap<String, String> {
    private final HttpHeaders headers;
    private Map<String, String> copy;

    LowerCaseHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String get(Object name) {
        return name instanceof String text ? headers.get(text) : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return name instanceof String text && headers.contains(text);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        if (copy == null) {
            Map<String, String> lowerCase = new LinkedHashMap<>();
            headers.forEach(header -> lowerCase.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
            copy = Collections.unmodifiableMap(lowerCase);
        }
        return copy.entrySet();
    }
}
