package io.onsbridge.domain.stats;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The time buckets of a statistics curve (stats.md). Bucket {@code i} covers
 * {@code [start(i), start(i) + period)} and is reported at X = its start. Starts are aligned to
 * multiples of the period on the epoch (whole minutes, 5 or 10 minutes), so an aligned BeginTime is the
 * first X, as in the doc's samples; the last X is the last start at or before EndTime, so EndTime is a
 * point too when it is aligned (the samples include both ends).
 */
public record Buckets(long first, long periodMillis, int count) {
    /** Default Period: the doc's examples omit it and their points are 10 minutes apart. */
    public static final long DEFAULT_PERIOD_MINUTES = 10;
    /** At most one day of one-minute points (ten days of ten-minute ones): bounds cost and answer size. */
    public static final int MAX_POINTS = 1_440;

    /** From BeginTime, EndTime and Period of a trend request; an invalid or too long range gets BIZ_FIELD_CHECK_INVALID. */
    public static Buckets of(Params request) {
        long begin = request.requiredLong("BeginTime", 0, Long.MAX_VALUE / 2);
        long end = request.requiredLong("EndTime", 0, Long.MAX_VALUE / 2);
        Long period = request.optionalLong("Period", 1, 10);
        return of(begin, end, period == null ? DEFAULT_PERIOD_MINUTES : period);
    }

    public static Buckets of(long begin, long end, long periodMinutes) {
        if (periodMinutes != 1 && periodMinutes != 5 && periodMinutes != 10) {
            throw OnsErrors.fieldCheckInvalid("Period", "must be 1, 5 or 10 (minutes).");
        }
        if (end < begin) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "must not be before BeginTime.");
        }
        long period = periodMinutes * 60_000;
        long first = Math.floorDiv(begin, period) * period;
        long points = (end - first) / period + 1;
        if (points > MAX_POINTS) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "the range holds " + points + " points of " + periodMinutes
                    + " minute(s); at most " + MAX_POINTS + " are served: shorten the range or use a longer Period.");
        }
        return new Buckets(first, period, (int) points);
    }

    /** Start of bucket {@code i}; {@code start(count())} is the end of the last bucket. */
    public long start(int i) {
        return first + i * periodMillis;
    }

    /** The {@code count() + 1} boundaries. */
    public long[] boundaries() {
        long[] boundaries = new long[count + 1];
        for (int i = 0; i <= count; i++) {
            boundaries[i] = start(i);
        }
        return boundaries;
    }

    /** Y of bucket {@code i}: the count (Type 0) or the messages per second over the period (Type 1). */
    public float y(long count, int type) {
        return type == 0 ? count : (float) (count * 1000.0 / periodMillis);
    }

    /** The shared curve answer of stats.md: one StatsDataDo per bucket, empty buckets included (as 0), Y by {@link #y}. */
    public WireObject curve(String title, String yUnit, long[] counts, int type) {
        List<WireObject> points = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            points.add(WireObject.of().with("X", start(i)).with("Y", y(counts[i], type)));
        }
        return WireObject.of().with("Data", WireObject.of()
                .with("Title", title)
                .with("XUnit", "time")
                .with("YUnit", yUnit)
                .with("Records", WireList.wrapped("StatsDataDo", points)));
    }
}
