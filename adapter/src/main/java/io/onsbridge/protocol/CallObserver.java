package io.onsbridge.protocol;

/**
 * Told about every finished ONS call, for metrics. The protocol layer stays free of any metrics library:
 * whoever counts implements this.
 */
@FunctionalInterface
public interface CallObserver {
    /** Label for calls whose Action is not served (unknown names would make the label set unbounded). */
    String UNKNOWN_ACTION = "unknown";
    /** Code of a call that succeeded. */
    String OK = "OK";

    CallObserver NONE = (action, code, nanos) -> { };

    /**
     * @param action the Action when it is one the registry serves, else {@link #UNKNOWN_ACTION}
     * @param code   {@link #OK} or the error code answered
     * @param nanos  time spent serving the call
     */
    void finished(String action, String code, long nanos);
}
