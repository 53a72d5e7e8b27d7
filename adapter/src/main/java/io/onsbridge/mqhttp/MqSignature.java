package io.onsbridge.mqhttp;

import io.onsbridge.protocol.auth.HmacSha1;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MQ HTTP protocol's request signature, as both SDKs compute it: Base64 of HMAC-SHA1 keyed with the
 * AccessKey secret itself (no {@code &} appended, unlike the ONS API) over
 * {@code VERB\nContent-MD5\nContent-Type\nDate\n} + every {@code x-mq-*} header lower-cased and sorted as
 * {@code name:value\n} + the request target exactly as sent (path and query, in the client's order).
 */
public final class MqSignature {
    static final String HEADER_PREFIX = "x-mq-";

    private MqSignature() {
    }

    /**
     * @param headers every header of the request (any case); only the x-mq-* ones are signed
     * @param target  the request target as it came on the request line, e.g. {@code /topics/T/messages?ns=I}
     */
    static String stringToSign(String method, String contentMd5, String contentType, String date, Map<String, String> headers,
                               String target) {
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(HEADER_PREFIX)) {
                signed.put(lower, value);
            }
        });
        StringBuilder text = new StringBuilder()
                .append(method).append('\n')
                .append(nullToEmpty(contentMd5)).append('\n')
                .append(nullToEmpty(contentType)).append('\n')
                .append(nullToEmpty(date)).append('\n');
        signed.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
        return text.append(target).toString();
    }

    /** Base64 of HMAC-SHA1 with the secret as key ({@link HmacSha1}, the RPC API's and the MQTT password's too). */
    public static String sign(String secret, String stringToSign) {
        return HmacSha1.base64(secret, stringToSign);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
