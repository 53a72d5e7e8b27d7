package io.onsbridge.tracecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.tracecollector.MessageTrace.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {
    private static final String ID = "7F0000010B5C18B4AAC2A4F1A0C00000";
    private final TraceAssembler assembler = new TraceAssembler(Duration.ofSeconds(60));

    @Test
    void pairsConsumptionsByRequestAndCountsPerGroup() {
        List<TraceEvent> events = List.of(
                TraceEvent.subAfter(ID, 1_100, "GID_a", "h2", 9, false, 1, 4),  // may arrive before its SubBefore
                TraceEvent.pub(ID, 1_000, "GID_p", "orders", "T", "K", "h1", 3, true, 0),
                TraceEvent.subBefore(ID, 1_050, "GID_a", "h2", 0, 1),
                TraceEvent.subBefore(ID, 2_050, "GID_a", "h2", 1, 2),
                TraceEvent.subAfter(ID, 2_060, "GID_a", "h2", 10, true, 2, 0),
                TraceEvent.subBefore(ID, 1_070, "GID_b", "h3", 0, 3),
                TraceEvent.subAfter(ID, 1_080, "GID_b", "h3", 10, true, 3, 0));

        MessageTrace trace = assembler.assemble(ID, events, 10_000);

        assertThat(trace.pub().group()).isEqualTo("GID_p");
        assertThat(trace.groups()).extracting(MessageTrace.GroupConsumptions::group).containsExactly("GID_a", "GID_b");
        MessageTrace.GroupConsumptions a = trace.groups().get(0);
        assertThat(a.consumptions()).extracting(MessageTrace.Consumption::status, MessageTrace.Consumption::reconsumeTimes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.CONSUME_FAILED, 0),
                        org.assertj.core.groups.Tuple.tuple(Status.CONSUME_SUCCESS, 1));
        assertThat(a.successCount()).isEqualTo(1);
        assertThat(a.failCount()).isEqualTo(1);
        assertThat(a.consumptions().get(1).costTime()).isEqualTo(10);
        assertThat(a.consumptions().get(1).subTime()).isEqualTo(2_050);
        assertThat(a.consumptions().get(1).clientHost()).isEqualTo("h2");
    }

    @Test
    void recordsReadTwiceCountOnce() {
        List<TraceEvent> once = List.of(TraceEvent.subBefore(ID, 1, "g", "h", 0, 7), TraceEvent.subAfter(ID, 2, "g", "h", 1, true, 7, 0));
        List<TraceEvent> twice = new java.util.ArrayList<>(once);
        twice.addAll(once);
        assertThat(assembler.assemble(ID, twice, 3)).isEqualTo(assembler.assemble(ID, once, 3));
        assertThat(assembler.assemble(ID, twice, 3).groups().get(0).successCount()).isEqualTo(1);
    }

    @Test
    void aConsumptionWithoutResultIsNotReturnedOnlyAfterTheTimeout() {
        List<TraceEvent> events = List.of(TraceEvent.subBefore(ID, 1_000, "GID_a", "h", 0, 7));
        assertThat(assembler.assemble(ID, events, 30_000).groups()).isEmpty();
        assertThat(assembler.assemble(ID, events, 61_000).groups().get(0).consumptions().get(0).status())
                .isEqualTo(Status.CONSUME_NOT_RETURN);
    }

    @Test
    void aSuccessfulReturnWithAFailureContextIsAFailure() {
        List<TraceEvent> events = List.of(TraceEvent.subBefore(ID, 1, "g", "h", 0, 7), TraceEvent.subAfter(ID, 2, "g", "h", 1, true, 7, 2));
        assertThat(assembler.assemble(ID, events, 3).groups().get(0).consumptions().get(0).status()).isEqualTo(Status.CONSUME_FAILED);
    }

    @Test
    void theLastTransactionDecisionCounts() {
        List<TraceEvent> events = List.of(
                TraceEvent.pub(ID, 1, "g", "t", null, null, "h", 1, true, org.apache.rocketmq.common.message.MessageType.Trans_Msg_Half.ordinal()),
                TraceEvent.endTransaction(ID, 2, "g", "h", TraceEvent.TxState.UNKNOWN),
                TraceEvent.endTransaction(ID, 3, "g", "h", TraceEvent.TxState.ROLLBACK));
        MessageTrace trace = assembler.assemble(ID, events, 4);
        assertThat(trace.isTransactional()).isTrue();
        assertThat(trace.transaction()).isEqualTo(TraceEvent.TxState.ROLLBACK);
        assertThat(assembler.assemble(ID, List.of(), 4).hasPub()).isFalse();
    }
}
