package io.onsbridge.mqttgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishAnswersTest {
    private final PublishAnswers answers = new PublishAnswers();
    private final List<String> answered = new ArrayList<>();

    private void answer(int qos, int packetId, Throwable failure) {
        answered.add(packetId + (failure == null ? "" : " " + failure.getMessage()));
    }

    @Test
    void storesThatCompleteOutOfOrderAreAnsweredInTheOrderOfThePublishes() {
        PublishAnswers.Pending one = answers.add(1, 1);
        PublishAnswers.Pending two = answers.add(1, 2);
        PublishAnswers.Pending three = answers.add(1, 3);

        three.stored(null);
        answers.answerReady(this::answer);
        assertThat(answered).isEmpty(); // 1 and 2 are still being stored
        two.stored(new IllegalStateException("refused"));
        answers.answerReady(this::answer);
        assertThat(answered).isEmpty();
        one.stored(null);
        answers.answerReady(this::answer);

        assertThat(answered).containsExactly("1", "2 refused", "3");
        assertThat(answers.size()).isZero();
    }

    @Test
    void aClosedConnectionAnswersNothingMore() {
        PublishAnswers.Pending one = answers.add(1, 7);
        answers.clear();
        one.stored(null);
        answers.answerReady(this::answer);
        assertThat(answered).isEmpty();
    }
}
