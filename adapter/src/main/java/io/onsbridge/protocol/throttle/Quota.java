package io.onsbridge.protocol.throttle;

import java.time.Duration;

/**
 * A rate as Alibaba's quota centre writes it: {@code calls} per {@code window} (e.g. 600/60 s). Served as
 * a token bucket of {@code calls} tokens refilled evenly over the window, so a quiet client may burst the
 * whole quota at once and a busy one is held to the average.
 */
public record Quota(long calls, Duration window) {
    public Quota {
        if (calls < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a quota needs at least one call per positive window, not " + calls + "/" + window);
        }
    }

    public static Quota perSecond(long calls) {
        return new Quota(calls, Duration.ofSeconds(1));
    }

    public static Quota perMinute(long calls) {
        return new Quota(calls, Duration.ofMinutes(1));
    }

    /**
     * Reads {@code 10} (calls per second), {@code 0.5} (one call every two seconds) or {@code 600/60}
     * (calls per that many seconds), as a limits file writes them.
     */
    public static Quota parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        try {
            if (slash >= 0) {
                return new Quota(Long.parseLong(value.substring(0, slash).trim()),
                        Duration.ofSeconds(Long.parseLong(value.substring(slash + 1).trim().replaceFirst("s$", ""))));
            }
            double perSecond = Double.parseDouble(value);
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("a rate must be a positive number of calls per second, not " + text);
            }
            if (perSecond >= 1 && perSecond == Math.rint(perSecond)) {
                return perSecond((long) perSecond);
            }
            // A fractional rate: one call per 1/rate seconds, at millisecond resolution.
            return new Quota(1, Duration.ofMillis(Math.max(1, Math.round(1000 / perSecond))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a rate: \"" + text + "\"; write calls per second (10, 0.5) or calls/seconds (600/60)");
        }
    }

    /** How the quota reads in a message: {@code 10 calls per 1 s}. */
    public String describe() {
        long seconds = window.toSeconds();
        String per = seconds >= 1 && window.toMillis() % 1000 == 0 ? seconds + " s" : window.toMillis() + " ms";
        return calls + (calls == 1 ? " call" : " calls") + " per " + per;
    }
}
