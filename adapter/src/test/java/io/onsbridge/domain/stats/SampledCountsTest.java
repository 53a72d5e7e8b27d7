package io.onsbridge.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.domain.stats.SampledCounts.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampledCountsTest {
    private static final long[] BOUNDARIES = {0, 100, 200, 300, 400};

    @Test
    void noSamplesMeansZeros() {
        assertThat(SampledCounts.counts(List.of(), BOUNDARIES)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void bucketsBeforeSamplingBeganAreZeroAndTheFirstSampleIsTheBaseline() {
        List<Sample> samples = List.of(new Sample(150, 40), new Sample(250, 45), new Sample(290, 50), new Sample(350, 58));
        assertThat(SampledCounts.counts(samples, BOUNDARIES)).containsExactly(0, 0, 10, 8);
    }

    @Test
    void theOffsetAtABoundaryIsTheLastSampleAtOrBeforeIt() {
        List<Sample> samples = List.of(new Sample(0, 10), new Sample(100, 20), new Sample(199, 25), new Sample(201, 30));
        assertThat(SampledCounts.counts(samples, BOUNDARIES)).containsExactly(10, 5, 5, 0);
    }

    @Test
    void anOffsetMovedBackCountsZeroAndCountingGoesOnFromThere() {
        List<Sample> samples = List.of(new Sample(0, 100), new Sample(150, 10), new Sample(250, 30));
        assertThat(SampledCounts.counts(samples, BOUNDARIES)).containsExactly(0, 0, 20, 0);
    }

    @Test
    void samplesOfSeveralBridgesAtDifferentTimesNeverCountTwice() {
        List<Sample> samples = List.of(new Sample(0, 0), new Sample(10, 0), new Sample(110, 7), new Sample(120, 7), new Sample(210, 9));
        long[] counts = SampledCounts.counts(samples, BOUNDARIES);
        assertThat(counts).containsExactly(0, 7, 2, 0);
    }
}
