package io.onsbridge.domain;

/** A resource tag as ONS restricts it: key 1..128 characters, value 0..128, no aliyun/acs: prefix, no URLs. */
public record Tag(String key, String value) {
    public static final int MAX_LENGTH = 128;

    public static String checkKey(String param, String key) {
        return checkText(param, key);
    }

    static String checkValue(String param, String value) {
        return checkText(param, value);
    }

    private static String checkText(String param, String text) {
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            throw OnsErrors.fieldCheckInvalid(param, "at most " + MAX_LENGTH + " characters are allowed.");
        }
        if (text.startsWith("aliyun") || text.startsWith("acs:")) {
            throw OnsErrors.fieldCheckInvalid(param, "must not start with \"aliyun\" or \"acs:\".");
        }
        if (text.contains("http://") || text.contains("https://")) {
            throw OnsErrors.fieldCheckInvalid(param, "must not contain \"http://\" or \"https://\".");
        }
        return text;
    }
}
