package io.onsbridge.protocol;

/**
 * The one error type of the bridge: an Alibaba-style error code, the HTTP status it travels with and a
 * message that says what was wrong. Build it through {@link OnsErrors}, never ad hoc.
 */
public final class OnsException extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public OnsException(String code, int httpStatus, String message) {
        this(code, httpStatus, message, null);
    }

    public OnsException(String code, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** 4xx: the caller's mistake; 5xx: ours or the cluster's. */
    public boolean isClientError() {
        return httpStatus < 500;
    }
}
