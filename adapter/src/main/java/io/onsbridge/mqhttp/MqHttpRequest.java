package io.onsbridge.mqhttp;

import java.util.Map;

/**
 * One request of the MQ HTTP protocol, copied off the connection's buffers so that it can be served on
 * another thread.
 *
 * @param target  the request target exactly as sent (the signature covers it)
 * @param headers first value of each header, names as sent
 */
public record MqHttpRequest(String requestId, String method, String target, Map<String, String> headers, byte[] body) {
}
