package io.onsbridge.domain.trace;

import io.onsbridge.domain.OnsErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A trace query as its QueryId carries it. The id is self-describing (like the page query's TaskId):
 * any bridge can answer it, also after a restart or when its task table no longer holds it, by running
 * the query again; only its age decides when it is {@code removed}.
 *
 * @param byKey   true for OnsTraceQueryByMsgKey ({@code value} is the key), false for a message id
 * @param topic   the topic as the user names it
 */
public record TraceQuery(boolean byKey, String instanceId, String topic, String value, long begin, long end, long createdAt) {
    private static final String VERSION = "t1";

    public String queryId() {
        String text = String.join("|", VERSION, byKey ? "key" : "id", instanceId, topic, Long.toString(begin), Long.toString(end),
                Long.toString(createdAt), value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static TraceQuery of(String queryId) {
        try {
            // the value comes last and may itself contain '|'
            String[] parts = new String(Base64.getUrlDecoder().decode(queryId), StandardCharsets.UTF_8).split("\\|", 8);
            if (parts.length != 8 || !parts[0].equals(VERSION) || !(parts[1].equals("key") || parts[1].equals("id"))) {
                throw new IllegalArgumentException("not a query id");
            }
            return new TraceQuery(parts[1].equals("key"), parts[2], parts[3], parts[7], Long.parseLong(parts[4]),
                    Long.parseLong(parts[5]), Long.parseLong(parts[6]));
        } catch (IllegalArgumentException e) {
            throw OnsErrors.fieldCheckInvalid("QueryId",
                    "not a QueryId this service issued; create one with OnsTraceQueryByMsgId or OnsTraceQueryByMsgKey.");
        }
    }
}
