package io.onsbridge.domain.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TracePageTest {
    private final List<Integer> seven = IntStream.rangeClosed(1, 7).boxed().toList();

    @Test
    void pagesOldestFirst() {
        assertThat(TracePage.page(seven, 1, 3, false)).containsExactly(1, 2, 3);
        assertThat(TracePage.page(seven, 3, 3, false)).containsExactly(7);
    }

    @Test
    void pagesNewestFirstWhenReversed() {
        assertThat(TracePage.page(seven, 1, 3, true)).containsExactly(7, 6, 5);
        assertThat(TracePage.page(seven, 3, 3, true)).containsExactly(1);
    }

    @Test
    void beyondTheLastPageIsEmpty() {
        assertThat(TracePage.page(seven, 4, 3, false)).isEmpty();
        assertThat(TracePage.page(seven, Integer.MAX_VALUE, 100, true)).isEmpty();
        assertThat(TracePage.page(List.of(), 1, 100, false)).isEmpty();
    }

    @Test
    void theTimeIsUtcWithMilliseconds() {
        assertThat(TracePage.time(1621583514867L)).isEqualTo("2021-05-21 07:51:54.867");
        assertThat(TracePage.time(0)).isEqualTo("1970-01-01 00:00:00.000");
    }
}
