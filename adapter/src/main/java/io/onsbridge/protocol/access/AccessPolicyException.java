package io.onsbridge.protocol.access;

/** The access-policies file cannot be used; the message says where and why. */
public final class AccessPolicyException extends IllegalArgumentException {
    public AccessPolicyException(String message) {
        super(message);
    }

    public AccessPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
