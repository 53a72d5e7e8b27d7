package io.onsbridge.domain.messaging;

import java.util.Map;

/**
 * One message handed to an HTTP consumer, in ONS's terms.
 *
 * @param properties     the application's properties and ONS's reserved ones it may read ({@code KEYS}, ...)
 * @param receiptHandle  acks it, until {@code nextConsumeTime}
 * @param consumedTimes  1 the first time it is handed out, one more each time it comes back unacked
 */
public record Delivery(String messageId, byte[] body, String tag, Map<String, String> properties, long publishTime,
                       String receiptHandle, long nextConsumeTime, long firstConsumeTime, int consumedTimes) {
}
