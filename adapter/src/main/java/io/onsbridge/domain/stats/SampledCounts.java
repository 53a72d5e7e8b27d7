package io.onsbridge.domain.stats;

import java.util.List;

/**
 * Consumed messages per bucket from offset samples: the committed offset at a time is the value of the
 * last sample at or before it (a step function), and a bucket's count is its growth across the bucket.
 * Before the first sample nothing is known, so those buckets are 0, and the bucket in which sampling
 * began counts from the first sample on. An offset moved back (a reset) counts 0, not a negative number.
 */
final class SampledCounts {
    record Sample(long time, long consumed) {
    }

    private SampledCounts() {
    }

    /** @param samples by time; {@code boundaries} ascending, one more than buckets */
    static long[] counts(List<Sample> samples, long[] boundaries) {
        long[] counts = new long[boundaries.length - 1];
        if (samples.isEmpty()) {
            return counts;
        }
        long first = samples.get(0).consumed();
        int next = 0;
        Long previous = null; // the value at the previous boundary, null before the first sample
        for (int i = 0; i < boundaries.length; i++) {
            while (next < samples.size() && samples.get(next).time() <= boundaries[i]) {
                next++;
            }
            Long value = next == 0 ? null : samples.get(next - 1).consumed();
            if (i > 0 && value != null) {
                counts[i - 1] = Math.max(0, value - (previous == null ? first : previous));
            }
            previous = value;
        }
        return counts;
    }
}
