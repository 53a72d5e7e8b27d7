package io.onsbridge.domain.message;

import io.onsbridge.domain.Params;
import java.util.Locale;
import java.util.regex.Pattern;

/** The {@code MsgId} parameter of the message, dead-letter, consumer and trace actions. */
public final class MessageIds {
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9A-Fa-f]{32,64}");
    private static final String MESSAGE_ID_RULE = "a message ID is 32 to 64 hexadecimal characters.";

    private MessageIds() {
    }

    /** A client or broker message ID, 32 to 64 hex characters, as upper case. */
    public static String param(Params request) {
        return request.required("MsgId", MESSAGE_ID, MESSAGE_ID_RULE).toUpperCase(Locale.ROOT);
    }
}
