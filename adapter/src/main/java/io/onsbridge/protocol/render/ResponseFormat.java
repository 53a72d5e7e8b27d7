package io.onsbridge.protocol.render;

import io.onsbridge.domain.OnsErrors;
import java.util.Locale;

/** The common parameter {@code Format}: XML by default (protocol.md section 4), compared without case. */
public enum ResponseFormat {
    JSON, XML;

    public static ResponseFormat of(String format) {
        if (format == null || format.isEmpty()) {
            return XML;
        }
        return switch (format.toUpperCase(Locale.ROOT)) {
            case "JSON" -> JSON;
            case "XML" -> XML;
            // Answer the mistake itself in JSON: every SDK in use reads JSON.
            default -> throw OnsErrors.fieldCheckInvalid("Format", "use JSON or XML, not \"" + OnsErrors.abbreviate(format) + "\".");
        };
    }
}
