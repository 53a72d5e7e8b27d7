package io.onsbridge.mqhttp;

/** What to write back: a status and an XML body (empty for 204); always {@code text/xml} with {@code x-mq-request-id}. */
public record MqHttpAnswer(int status, byte[] body, String requestId) {
    public static final String CONTENT_TYPE = "text/xml;charset=utf-8";
    public static final String REQUEST_ID_HEADER = "x-mq-request-id";
}
