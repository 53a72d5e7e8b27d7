package io.onsbridge.tracecollector;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * How a background loop reports failures: the first of a run with its stack trace, then at most one line
 * per quiet period with how many failed meanwhile, and one line when it works again. A cluster outage
 * then costs a handful of log lines, and the cause is never lost. Kept in this, the lowest module, so
 * that every loop of the bridge (the adapter's too) reports the same way.
 */
public final class FailureLog {
    private final Logger log;
    private final long quietNanos;
    private final LongSupplier nanoClock;
    private boolean failing;
    private long lastLogged;
    private long suppressed;

    public FailureLog(Logger log, Duration quiet) {
        this(log, quiet, System::nanoTime);
    }

    FailureLog(Logger log, Duration quiet, LongSupplier nanoClock) {
        this.log = log;
        this.quietNanos = quiet.toNanos();
        this.nanoClock = nanoClock;
    }

    /** @param what what failed, for the log: "consumer sampling round", "sampling group X" */
    public synchronized void failed(String what, Throwable error) {
        long now = nanoClock.getAsLong();
        if (!failing) {
            failing = true;
            lastLogged = now;
            suppressed = 0;
            log.warn("{} failed (further failures are logged at most every {} s)", what, quietNanos / 1_000_000_000L, error);
            return;
        }
        if (now - lastLogged >= quietNanos) {
            log.warn("{} failed again, {} more failure(s) since the last line: {}", what, suppressed, error.toString());
            lastLogged = now;
            suppressed = 0;
        } else {
            suppressed++;
        }
    }

    /** The loop did its work: ends a run of failures, saying so once. */
    public synchronized void succeeded(String what) {
        if (failing) {
            failing = false;
            log.info("{} works again ({} failure(s) since the last line)", what, suppressed);
        }
    }

    synchronized boolean failing() {
        return failing;
    }
}
