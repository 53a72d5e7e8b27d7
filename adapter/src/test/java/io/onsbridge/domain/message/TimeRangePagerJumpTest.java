package io.onsbridge.domain.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The jump to a deep page by store time, on store times whose counts the test knows. */
class TimeRangePagerJumpTest {
    private static final int PAGE = 50;

    @Test
    void aSteadyStreamLandsWithinAPageOfTheTargetInAFewProbes() {
        long[] times = new long[100_000];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1_000_000 + i / 3; // three messages a millisecond
        }
        assertLandsBefore(times, 49L * PAGE, 6);
        assertLandsBefore(times, 99_000, 6);
    }

    @Test
    void burstsAndGapsStillLandBeforeTheTarget() {
        Random random = new Random(42);
        List<Long> stored = new ArrayList<>();
        long time = 0;
        for (int burst = 0; burst < 400; burst++) {
            time += random.nextInt(600_000); // up to ten minutes of silence
            int size = 1 + random.nextInt(300); // a batch stored within one millisecond
            for (int i = 0; i < size; i++) {
                stored.add(time);
            }
        }
        long[] times = stored.stream().mapToLong(Long::longValue).toArray();
        for (long target : new long[] {0, 1, 245, 2_450, times.length / 2, times.length - 1}) {
            assertLandsBefore(times, target, 12);
        }
    }

    private static void assertLandsBefore(long[] times, long target, int maxProbes) {
        int[] probes = {0};
        TimeRangePager.Probe low = new TimeRangePager.Probe(times[0], new long[] {0}, 0);
        TimeRangePager.Probe high = new TimeRangePager.Probe(times[times.length - 1] + 1, new long[] {times.length}, times.length);
        TimeRangePager.Probe landed = TimeRangePager.jump(target, PAGE, low, high, (t, below, above) -> {
            assertThat(t).isGreaterThan(below.time()).isLessThan(above.time());
            probes[0]++;
            long before = before(times, t);
            return new TimeRangePager.Probe(t, new long[] {before}, before);
        });
        assertThat(landed.before()).as("never past the target").isLessThanOrEqualTo(target);
        assertThat(landed.before()).isEqualTo(before(times, landed.time()));
        assertThat(probes[0]).isLessThanOrEqualTo(maxProbes);
        // Within a page, or as close as whole milliseconds allow: the next millisecond would be past it.
        boolean closeEnough = target - landed.before() < PAGE || before(times, nextTime(times, landed.time()) + 1) > target;
        assertThat(closeEnough).as("landed at %d messages for target %d", landed.before(), target).isTrue();
    }

    /** Messages stored before the time, as the offsets found by time count them. */
    private static long before(long[] times, long time) {
        int at = Arrays.binarySearch(times, time);
        if (at < 0) {
            return -at - 1;
        }
        while (at > 0 && times[at - 1] == time) {
            at--;
        }
        return at;
    }

    private static long nextTime(long[] times, long time) {
        long before = before(times, time);
        return before < times.length ? times[(int) before] : time;
    }
}
