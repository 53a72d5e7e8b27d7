package io.onsbridge.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An action's parameters, whichever front door they came through, and the one vocabulary of parameter
 * checks: each failure names the parameter and carries the documented code (see {@link OnsErrors}).
 */
public final class Params {
    public static final int MAX_TAGS = 20;

    private final Map<String, String> params;

    public Params(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(params);
    }

    /** Every parameter as sent, unchecked. */
    public Map<String, String> all() {
        return params;
    }

    // --- strings -------------------------------------------------------------------------------------

    /** A parameter that must be present and non-empty. */
    public String required(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw OnsErrors.missingParameter(name);
        }
        return text(name, value);
    }

    /** A parameter that may be absent; empty means absent (Tea never sends empty values, legacy does). */
    public String optional(String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : text(name, value);
    }

    /**
     * The rule every text parameter follows, before any other: no control characters but tab, newline and
     * carriage return (ONS validates its fields; XML 1.0, the protocol's default answer format, cannot
     * carry them, and a value stored with one would be echoed in every answer).
     */
    static String text(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF) {
                throw OnsErrors.fieldCheckInvalid(name, String.format("control character U+%04X at position %d is not allowed.", (int) c, i + 1));
            }
        }
        return value;
    }

    /** A required parameter that must match {@code pattern}; {@code rule} says the rule in words. */
    public String required(String name, Pattern pattern, String rule) {
        return check(name, required(name), pattern, rule);
    }

    public String optional(String name, Pattern pattern, String rule) {
        String value = optional(name);
        return value == null ? null : check(name, value, pattern, rule);
    }

    public String optional(String name, int maxLength) {
        String value = optional(name);
        if (value != null && value.codePointCount(0, value.length()) > maxLength) {
            throw OnsErrors.fieldCheckInvalid(name, "at most " + maxLength + " characters are allowed.");
        }
        return value;
    }

    private static String check(String name, String value, Pattern pattern, String rule) {
        if (!pattern.matcher(value).matches()) {
            throw OnsErrors.fieldCheckInvalid(name, rule);
        }
        return value;
    }

    // --- numbers and booleans ------------------------------------------------------------------------

    public Long optionalLong(String name, long min, long max) {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw OnsErrors.malformedParameter(name, value, "an integer");
        }
        if (parsed < min || parsed > max) {
            throw OnsErrors.fieldCheckInvalid(name, "must be between " + min + " and " + max + ", was " + parsed + ".");
        }
        return parsed;
    }

    public long requiredLong(String name, long min, long max) {
        required(name);
        return optionalLong(name, min, max);
    }

    public Integer optionalInt(String name, int min, int max) {
        Long value = optionalLong(name, min, max);
        return value == null ? null : value.intValue();
    }

    public int requiredInt(String name, int min, int max) {
        required(name);
        return optionalInt(name, min, max);
    }

    public Boolean optionalBoolean(String name) {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw OnsErrors.malformedParameter(name, value, "true or false");
    }

    // --- lists ---------------------------------------------------------------------------------------

    /** {@code Tag.N.Key}/{@code Tag.N.Value}, N = 1..20 without gaps (protocol.md section 4). */
    public List<Tag> tags(String prefix) {
        List<Tag> tags = new ArrayList<>();
        for (int n = 1; ; n++) {
            String key = params.get(prefix + "." + n + ".Key");
            String value = params.get(prefix + "." + n + ".Value");
            if (key == null && value == null) {
                break;
            }
            if (n > MAX_TAGS) {
                throw OnsErrors.fieldCheckInvalid(prefix, "at most " + MAX_TAGS + " tags are allowed.");
            }
            String name = prefix + "." + n + ".Key";
            if (key == null || key.isEmpty()) {
                throw OnsErrors.missingParameter(name);
            }
            String valueName = prefix + "." + n + ".Value";
            tags.add(new Tag(Tag.checkKey(name, text(name, key)), Tag.checkValue(valueName, text(valueName, value == null ? "" : value))));
        }
        return tags;
    }

    /** {@code Name.N}, N = 1.. without gaps. */
    public List<String> repeated(String prefix, int max) {
        List<String> values = new ArrayList<>();
        for (int n = 1; params.containsKey(prefix + "." + n); n++) {
            if (n > max) {
                throw OnsErrors.fieldCheckInvalid(prefix, "at most " + max + " values are allowed.");
            }
            values.add(text(prefix + "." + n, params.get(prefix + "." + n)));
        }
        return values;
    }
}
