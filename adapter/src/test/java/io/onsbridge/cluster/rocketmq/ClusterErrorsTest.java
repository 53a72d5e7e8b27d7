package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterException.Reason;
import java.util.stream.Stream;
import org.apache.rocketmq.client.common.ClientErrorCode;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.exception.RemotingTooMuchRequestException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterErrorsTest {
    private static final String WHAT = "examine topic X%orders";

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    static Stream<Arguments> responseCodes() {
        return Stream.of(
                Arguments.of(ResponseCode.NO_PERMISSION, Reason.FORBIDDEN),
                Arguments.of(ResponseCode.TOPIC_NOT_EXIST, Reason.TOPIC_NOT_FOUND),
                Arguments.of(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, Reason.GROUP_NOT_FOUND),
                Arguments.of(ResponseCode.CONSUMER_NOT_ONLINE, Reason.CONSUMER_NOT_ONLINE),
                Arguments.of(ResponseCode.NO_MESSAGE, Reason.NO_MESSAGE),
                Arguments.of(ResponseCode.QUERY_NOT_FOUND, Reason.NO_MESSAGE),
                Arguments.of(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, Reason.NOT_SUPPORTED),
                Arguments.of(ResponseCode.SYSTEM_BUSY, Reason.BUSY),
                Arguments.of(ResponseCode.SERVICE_NOT_AVAILABLE, Reason.UNAVAILABLE),
                Arguments.of(ResponseCode.SLAVE_NOT_AVAILABLE, Reason.UNAVAILABLE),
                Arguments.of(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, Reason.UNAVAILABLE),
                Arguments.of(ClientErrorCode.ACCESS_BROKER_TIMEOUT, Reason.UNAVAILABLE),
                Arguments.of(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, Reason.TOPIC_NOT_FOUND),
                // codes outside the table: refused, the code kept
                Arguments.of(ResponseCode.SYSTEM_ERROR, Reason.REFUSED),
                Arguments.of(ResponseCode.FLUSH_DISK_TIMEOUT, Reason.REFUSED),
                Arguments.of(12345, Reason.REFUSED));
    }

    @ParameterizedTest
    @MethodSource("responseCodes")
    void aBrokersAnswerIsSortedByItsResponseCode(int code, Reason reason) {
        MQBrokerException answer = new MQBrokerException(code, "the broker's words", "10.0.0.1:10911");

        ClusterException e = ClusterErrors.of(WHAT, answer);

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.responseCode()).isEqualTo(code);
        assertThat(e.getCause()).isSameAs(answer);
        assertThat(e.getMessage()).contains(WHAT).contains("the broker's words").contains("code " + code);
    }

    @ParameterizedTest
    @MethodSource("responseCodes")
    void aClientExceptionCarryingAResponseCodeIsSortedTheSameWay(int code, Reason reason) {
        // As OlderBrokers throws it, and as the admin client rethrows a broker's answer.
        MQClientException answer = new MQClientException(code, "the client's words");

        ClusterException e = ClusterErrors.of(WHAT, answer);

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.responseCode()).isEqualTo(code);
        assertThat(e.getCause()).isSameAs(answer);
        assertThat(e.getMessage()).contains(WHAT).contains("the client's words");
    }

    @Test
    void noConnectionOrNoAnswerInTimeIsUnavailable() {
        for (Exception failure : new Exception[] {new RemotingConnectException("10.0.0.1:10911"),
                new RemotingTimeoutException("10.0.0.1:10911", 3000), new RemotingSendRequestException("10.0.0.1:10911")}) {
            ClusterException e = ClusterErrors.of(WHAT, failure);

            assertThat(e.reason()).as(failure.getClass().getSimpleName()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(e.responseCode()).isEqualTo(-1);
            assertThat(e.getCause()).isSameAs(failure);
            assertThat(e.getMessage()).contains(WHAT);
        }
    }

    @Test
    void tooManyRequestsIsBusy() {
        RemotingTooMuchRequestException failure = new RemotingTooMuchRequestException("sendDefaultImpl call timeout");

        ClusterException e = ClusterErrors.of(WHAT, failure);

        assertThat(e.reason()).isEqualTo(Reason.BUSY);
        assertThat(e.responseCode()).isEqualTo(-1);
        assertThat(e.getCause()).isSameAs(failure);
    }

    @Test
    void aClientExceptionWrappingATimeoutIsUnavailable() {
        RemotingTimeoutException timeout = new RemotingTimeoutException("10.0.0.1:10911", 3000);

        ClusterException e = ClusterErrors.of(WHAT, new MQClientException("Send [3] times, still failed", timeout));

        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getCause()).isSameAs(timeout);
    }

    @Test
    void aClientExceptionWrappingABrokersAnswerIsSortedByTheAnswer() {
        MQBrokerException answer = new MQBrokerException(ResponseCode.NO_PERMISSION, "no permission");

        ClusterException e = ClusterErrors.of(WHAT, new MQClientException(10001, "wrapped", answer));

        assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN);
        assertThat(e.responseCode()).isEqualTo(ResponseCode.NO_PERMISSION);
        assertThat(e.getCause()).isSameAs(answer);
    }

    @Test
    void aClientExceptionWithoutAResponseCodeIsUnavailable() {
        MQClientException noRoute = new MQClientException("No route info of this topic", null); // code -1
        MQClientException zero = new MQClientException(0, "nothing answered");

        for (MQClientException failure : new MQClientException[] {noRoute, zero}) {
            ClusterException e = ClusterErrors.of(WHAT, failure);

            assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(e.responseCode()).isEqualTo(-1);
            assertThat(e.getCause()).isSameAs(failure);
            assertThat(e.getMessage()).contains(WHAT);
        }
    }

    @Test
    void anInterruptIsUnavailableAndTheThreadStaysInterrupted() {
        InterruptedException interrupted = new InterruptedException();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();

        ClusterException e = ClusterErrors.of(WHAT, interrupted);

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getCause()).isSameAs(interrupted);
        assertThat(e.getMessage()).contains(WHAT).contains("interrupted");
    }

    @Test
    void aFailureInsideTheClientIsRefusedWithItsCauseKept() {
        IllegalStateException bug = new IllegalStateException("The producer service state not OK");

        ClusterException e = ClusterErrors.of(WHAT, bug);

        assertThat(e.reason()).isEqualTo(Reason.REFUSED);
        assertThat(e.responseCode()).isEqualTo(-1);
        assertThat(e.getCause()).isSameAs(bug);
        assertThat(e.getMessage()).contains(WHAT);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aClusterExceptionPassesUnchanged() {
        ClusterException already = new ClusterException(Reason.GROUP_NOT_FOUND, 26, "earlier", null);

        assertThat(ClusterErrors.of(WHAT, already)).isSameAs(already);
    }

    @Test
    void everyCodeOfTheTableMapsToAReasonOtherThanRefused() {
        // REFUSED is what a code missing from the table gets: a table entry saying REFUSED would be a no-op.
        assertThat(ClusterErrors.BY_RESPONSE_CODE).doesNotContainValue(Reason.REFUSED).hasSize(16);
    }
}
