package io.onsbridge.domain;

/**
 * The one error type of the bridge: an {@link OnsError} (code and HTTP status) and a message that says
 * what was wrong. Build it through {@link OnsErrors}, never ad hoc; the cause, when there is one, goes to
 * the log and never onto the wire.
 */
public final class OnsException extends RuntimeException {
    private final OnsError error;

    public OnsException(OnsError error, String message) {
        this(error, message, null);
    }

    public OnsException(OnsError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public OnsError error() {
        return error;
    }

    /** The code as the wire carries it. */
    public String code() {
        return error.code();
    }

    public int httpStatus() {
        return error.httpStatus();
    }

    /** 4xx: the caller's mistake; 5xx: ours or the cluster's. */
    public boolean isClientError() {
        return httpStatus() < 500;
    }
}
