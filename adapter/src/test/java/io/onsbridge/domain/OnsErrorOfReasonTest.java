package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterException.Reason;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link OnsError#of(Reason)}: the domain's half of the cluster-failure table. */
class OnsErrorOfReasonTest {

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonHasAnOnsError(Reason reason) {
        OnsError error = OnsError.of(reason);

        assertThat(error).isNotNull();
        assertThat(error.code()).isNotBlank();
        assertThat(error.httpStatus()).isBetween(400, 599);
    }

    @Test
    void theWholeTable() {
        Map<Reason, OnsError> expected = new EnumMap<>(Reason.class);
        expected.put(Reason.UNAVAILABLE, OnsError.SERVICE_UNAVAILABLE);
        expected.put(Reason.BUSY, OnsError.SERVICE_UNAVAILABLE);
        expected.put(Reason.FORBIDDEN, OnsError.FORBIDDEN);
        expected.put(Reason.TOPIC_NOT_FOUND, OnsError.TOPIC_NOT_FOUND);
        expected.put(Reason.GROUP_NOT_FOUND, OnsError.GROUP_NOT_FOUND);
        expected.put(Reason.CONSUMER_NOT_ONLINE, OnsError.CONSUMER_NOT_ONLINE);
        expected.put(Reason.NO_MESSAGE, OnsError.NO_MESSAGE);
        expected.put(Reason.NOT_SUPPORTED, OnsError.SYSTEM_ERROR);
        expected.put(Reason.REFUSED, OnsError.SYSTEM_ERROR);
        assertThat(expected).as("a new Reason needs a row here").containsOnlyKeys(Reason.values());

        for (Reason reason : Reason.values()) {
            assertThat(OnsError.of(reason)).as(reason.name()).isEqualTo(expected.get(reason));
        }
    }

    @Test
    void forbiddenIs403() {
        assertThat(OnsError.of(Reason.FORBIDDEN).httpStatus()).isEqualTo(403);
        assertThat(OnsError.of(Reason.FORBIDDEN).code()).isEqualTo("Forbidden.RAM");
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"UNAVAILABLE", "BUSY"})
    void anOutageOrOverloadIs503SoThatClientsRetry(Reason reason) {
        assertThat(OnsError.of(reason).httpStatus()).isEqualTo(503);
        assertThat(OnsError.of(reason).code()).isEqualTo("ServiceUnavailable");
    }

    @Test
    void anyOtherRefusalIsAnOnsSystemError() {
        assertThat(OnsError.of(Reason.REFUSED).httpStatus()).isEqualTo(500);
        assertThat(OnsError.of(Reason.REFUSED).code()).isEqualTo("ONS_SYSTEM_ERROR");
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"TOPIC_NOT_FOUND", "GROUP_NOT_FOUND", "NO_MESSAGE"})
    void whatDoesNotExistIs404(Reason reason) {
        assertThat(OnsError.of(reason).httpStatus()).isEqualTo(404);
        assertThat(OnsError.of(reason).origin()).isEqualTo(OnsError.Origin.ONS);
    }
}
