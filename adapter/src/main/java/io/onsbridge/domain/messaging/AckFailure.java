package io.onsbridge.domain.messaging;

/** Why one receipt handle of an ack was not accepted. */
public enum AckFailure {
    /** Not a handle the bridge gave out for this topic (malformed, or of a broker the topic is not on). */
    INVALID,
    /** Its message became visible again (or was acked already): the handle is spent. */
    EXPIRED
}
