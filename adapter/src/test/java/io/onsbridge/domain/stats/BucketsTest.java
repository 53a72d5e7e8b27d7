package io.onsbridge.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.domain.OnsException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BucketsTest {
    private static final long MINUTE = 60_000;

    @Test
    void theDocSampleRangeGivesTwentySevenTenMinutePointsFromBeginToEnd() {
        Buckets buckets = Buckets.of(1570852800000L, 1570868400000L, Buckets.DEFAULT_PERIOD_MINUTES);
        assertThat(buckets.count()).isEqualTo(27);
        assertThat(buckets.start(0)).isEqualTo(1570852800000L);
        assertThat(buckets.start(26)).isEqualTo(1570868400000L);
        assertThat(buckets.periodMillis()).isEqualTo(10 * MINUTE);
    }

    @Test
    void startsAreAlignedToThePeriodOnTheEpoch() {
        long begin = 1_700_000_123_456L;
        for (long period : new long[] {1, 5, 10}) {
            Buckets buckets = Buckets.of(begin, begin + 3 * period * MINUTE, period);
            assertThat(buckets.start(0) % (period * MINUTE)).isZero();
            assertThat(buckets.start(0)).isLessThanOrEqualTo(begin).isGreaterThan(begin - period * MINUTE);
            assertThat(buckets.start(buckets.count() - 1)).isLessThanOrEqualTo(begin + 3 * period * MINUTE);
            assertThat(buckets.start(buckets.count())).isGreaterThan(begin + 3 * period * MINUTE);
        }
    }

    @Test
    void typeOneIsMessagesPerSecond() {
        Buckets buckets = Buckets.of(0, 0, 5);
        assertThat(buckets.y(600, 0)).isEqualTo(600f);
        assertThat(buckets.y(600, 1)).isEqualTo(2f);
    }

    @Test
    void tooManyPointsAWrongPeriodOrAnInvertedRangeAreFieldCheckErrors() {
        assertThat(Buckets.of(0, (Buckets.MAX_POINTS - 1) * MINUTE, 1).count()).isEqualTo(Buckets.MAX_POINTS);
        for (Runnable bad : List.<Runnable>of(() -> Buckets.of(0, Buckets.MAX_POINTS * MINUTE, 1),
                () -> Buckets.of(0, MINUTE, 3), () -> Buckets.of(2 * MINUTE, MINUTE, 1))) {
            assertThatThrownBy(bad::run).isInstanceOf(OnsException.class)
                    .extracting(e -> ((OnsException) e).code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        }
    }

    @Test
    void offsetsByHalvingMatchALookupAtEveryBoundaryAndSkipEmptyStretches() {
        // A queue whose messages were stored at these times: offsetAt(t) = how many are older than t.
        TreeMap<Long, Integer> stored = new TreeMap<>();
        long[] times = {5, 6, 6, 70, 71, 400, 401, 402, 999};
        for (long time : times) {
            stored.merge(time, 1, Integer::sum);
        }
        List<Long> asked = new ArrayList<>();
        long[] boundaries = new long[101];
        for (int i = 0; i <= 100; i++) {
            boundaries[i] = i * 10L;
        }
        long[] at = TopicInput.offsetsAt(boundaries, t -> {
            asked.add(t);
            return stored.headMap(t, false).values().stream().mapToLong(Integer::longValue).sum();
        });
        for (int i = 0; i <= 100; i++) {
            long expected = stored.headMap(boundaries[i], false).values().stream().mapToLong(Integer::longValue).sum();
            assertThat(at[i]).as("boundary %d", boundaries[i]).isEqualTo(expected);
        }
        assertThat(at[100] - at[0]).isEqualTo(times.length);
        assertThat(asked).hasSizeLessThan(40);
    }
}
