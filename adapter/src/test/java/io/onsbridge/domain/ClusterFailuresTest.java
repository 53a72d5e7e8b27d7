package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClusterFailuresTest {

    private static ClusterException failure(Reason reason) {
        return new ClusterException(reason, 17, "examine topic X%orders: topic not exist (code 17)", new RuntimeException("rocketmq"));
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonBecomesItsOnsErrorWithTheClusterFailureAsCause(Reason reason) {
        ClusterException e = failure(reason);

        OnsException translated = ClusterFailures.translate(e);

        assertThat(translated.error()).isEqualTo(OnsError.of(reason));
        assertThat(translated.getCause()).isSameAs(e);
        assertThat(translated.getMessage()).contains("examine topic X%orders");
    }

    @Test
    void aFutureFailingWithAClusterFailureFailsWithItsOnsErrorAndOthersAsTheyAre() {
        java.util.concurrent.CompletableFuture<String> failing = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<String> guarded = ClusterFailures.guardedAsync(() -> failing);
        failing.completeExceptionally(failure(Reason.UNAVAILABLE));

        assertThat(guarded).isCompletedExceptionally();
        assertThat(guarded.handle((v, e) -> e.getCause()).join()).isInstanceOfSatisfying(OnsException.class,
                e -> assertThat(e.error()).isEqualTo(OnsError.of(Reason.UNAVAILABLE)));
        IllegalStateException other = new IllegalStateException("bug");
        assertThat(ClusterFailures.guardedAsync(() -> java.util.concurrent.CompletableFuture.failedFuture(other))
                .handle((v, e) -> e.getCause()).join()).isSameAs(other);
        assertThat(ClusterFailures.guardedAsync(() -> {
            throw failure(Reason.TOPIC_NOT_FOUND);
        }).handle((v, e) -> e).join()).isInstanceOf(OnsException.class);
    }

    @Test
    void aMissingTopicIsTheCallersMistake() {
        OnsException translated = ClusterFailures.translate(failure(Reason.TOPIC_NOT_FOUND));

        assertThat(translated.code()).isEqualTo("BIZ_TOPIC_NOT_FOUND");
        assertThat(translated.httpStatus()).isEqualTo(404);
        assertThat(translated.isClientError()).isTrue();
    }

    @Test
    void anOutageIsOursAndSaysToRetry() {
        OnsException translated = ClusterFailures.translate(failure(Reason.UNAVAILABLE));

        assertThat(translated.httpStatus()).isEqualTo(503);
        assertThat(translated.isClientError()).isFalse();
        assertThat(translated.getMessage()).contains("retry");
    }

    @Test
    void aRefusalOfTheClusterIsASystemError() {
        OnsException translated = ClusterFailures.translate(failure(Reason.REFUSED));

        assertThat(translated.code()).isEqualTo("ONS_SYSTEM_ERROR");
        assertThat(translated.isClientError()).isFalse();
    }

    @Test
    void guardedPassesResultsThroughAndTranslatesClusterFailures() {
        assertThat(ClusterFailures.guarded(() -> "ok")).isEqualTo("ok");

        ClusterException e = failure(Reason.GROUP_NOT_FOUND);
        OnsException translated = catchThrowableOfType(OnsException.class, () -> ClusterFailures.guarded(() -> {
            throw e;
        }));

        assertThat(translated).isNotNull();
        assertThat(translated.code()).isEqualTo("BIZ_SUBSCRIPTION_NOT_FOUND");
        assertThat(translated.getCause()).isSameAs(e);
    }

    @Test
    void guardedLeavesOtherFailuresAlone() {
        IllegalArgumentException bug = new IllegalArgumentException("bug");

        Throwable thrown = catchThrowableOfType(IllegalArgumentException.class, () -> ClusterFailures.guarded(() -> {
            throw bug;
        }));

        assertThat(thrown).isSameAs(bug);
    }
}
