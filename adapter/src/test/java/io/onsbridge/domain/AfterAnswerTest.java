package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AfterAnswerTest {
    @Test
    void workLeftDuringAnAnswerRunsAfterItInTheSameThread() {
        List<String> order = new ArrayList<>();
        Thread answering = Thread.currentThread();
        AfterAnswer.around(() -> {
            AfterAnswer.then(() -> order.add("work in " + (Thread.currentThread() == answering ? "the same thread" : "another")));
            order.add("answer");
        });
        assertThat(order).containsExactly("answer", "work in the same thread");
    }

    @Test
    void outsideAnAnswerWorkRunsAtOnce() {
        List<String> order = new ArrayList<>();
        AfterAnswer.then(() -> order.add("work"));
        order.add("after");
        assertThat(order).containsExactly("work", "after");
    }

    @Test
    void aFailingPieceOfWorkDoesNotKeepTheOthersFromRunningNorEscapes() {
        List<String> done = new ArrayList<>();
        AfterAnswer.around(() -> {
            AfterAnswer.then(() -> {
                throw new IllegalStateException("a bug");
            });
            AfterAnswer.then(() -> done.add("second"));
        });
        assertThat(done).containsExactly("second");
        AfterAnswer.then(() -> done.add("no answer pending any more"));
        assertThat(done).containsExactly("second", "no answer pending any more");
    }
}
