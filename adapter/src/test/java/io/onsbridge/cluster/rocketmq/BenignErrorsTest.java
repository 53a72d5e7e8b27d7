package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.RejectedExecutionException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Logger;
import org.apache.rocketmq.logging.ch.qos.logback.classic.LoggerContext;
import org.apache.rocketmq.logging.ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BenignErrorsTest {
    private final LoggerContext context = new LoggerContext();
    private final BenignErrors filter = new BenignErrors();

    @BeforeEach
    void running() {
        BenignErrors.clientsRunning();
    }

    @Test
    void onlyTheClientsRecoveredPagedReadIsDropped() {
        Logger client = context.getLogger(MQClientAPIImpl.class);
        Logger other = context.getLogger("RocketmqBroker");
        String changed = "dataVersion changed, currentDataVersion: {}, newDataVersion: {}";
        assertThat(filter.decide(null, client, Level.ERROR, changed, null, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, client, Level.ERROR, "connect to {} failed", null, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, other, Level.ERROR, changed, null, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, client, Level.WARN, changed, null, null)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void theBrokersAnswerToALookupOfAMissingTopicIsDropped() {
        Logger broker = context.getLogger("RocketmqBroker");
        String missing = "No topic in this broker, client: {} topic: {}";
        assertThat(filter.decide(null, broker, Level.ERROR, missing, null, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, broker, Level.ERROR, "put message failed {}", null, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger(MQClientAPIImpl.class), Level.ERROR, missing, null, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void theNameServersStopInterruptingItsWaitingThreadIsDropped() {
        Logger namesrv = context.getLogger("RocketmqNamesrv");
        String failed = "Handle unregister broker request failed";
        assertThat(filter.decide(null, namesrv, Level.ERROR, failed, null, new InterruptedException())).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, namesrv, Level.ERROR, failed, null, new IllegalStateException())).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("RocketmqBroker"), Level.ERROR, failed, null, new InterruptedException()))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aResponseToAClientThatWentAwayIsDropped() {
        Logger remoting = context.getLogger("RocketmqRemoting");
        String failed = "Failed to write response[request code: {}, response code: {}, opaque: {}] to channel{}";
        assertThat(filter.decide(null, remoting, Level.ERROR, failed, null, new java.nio.channels.ClosedChannelException()))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, remoting, Level.ERROR, failed, null, new java.io.IOException("disk full"))).isEqualTo(FilterReply.NEUTRAL);
        // as RocketMQ logs it: the exception after the format's four arguments
        Object[] arguments = {361, 19, 42339, "channel", new java.nio.channels.ClosedChannelException()};
        assertThat(filter.decide(null, remoting, Level.ERROR, failed, arguments, null)).isEqualTo(FilterReply.DENY);
        Object[] diskFull = {361, 19, 42339, "channel", new java.io.IOException("disk full")};
        assertThat(filter.decide(null, remoting, Level.ERROR, failed, diskFull, null)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aHeldPullsAnswerToAConsumerThatLeftIsDroppedWithTheTwoCommandsLoggedAfterIt() {
        Logger broker = context.getLogger("RocketmqBroker");
        String failed = "processRequestWrapper response to {} failed";
        String request = "RemotingCommand [code=11, language=JAVA, version=513, opaque=3391, flag(B)=0, remark=null]";
        String response = "RemotingCommand [code=24, language=JAVA, version=513, opaque=3391, flag(B)=1, remark=gone]";
        Object[] arguments = {"/127.0.0.1:59392", new java.nio.channels.ClosedChannelException() {}};
        assertThat(filter.decide(null, broker, Level.ERROR, failed, arguments, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, broker, Level.ERROR, request, null, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, broker, Level.ERROR, response, null, null)).isEqualTo(FilterReply.DENY);
        // only those two: a third command, or one logged after another failure, stays
        assertThat(filter.decide(null, broker, Level.ERROR, request, null, null)).isEqualTo(FilterReply.NEUTRAL);
        Object[] diskFull = {"/127.0.0.1:59392", new java.io.IOException("disk full")};
        assertThat(filter.decide(null, broker, Level.ERROR, failed, diskFull, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, broker, Level.ERROR, request, null, null)).isEqualTo(FilterReply.NEUTRAL);
        // another ERROR between them ends the pair
        assertThat(filter.decide(null, broker, Level.ERROR, failed, arguments, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, broker, Level.ERROR, "put message failed {}", null, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, broker, Level.ERROR, request, null, null)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aListenerRefusedByAStoppedEventLoopIsDroppedOnlyOnceTheBridgeIsStopping() {
        Logger netty = context.getLogger("io.netty.util.concurrent.DefaultPromise.rejectedExecution");
        String refused = "Failed to submit a listener notification task. Event loop shut down?";
        RejectedExecutionException terminated = new RejectedExecutionException("event executor terminated");
        assertThat(filter.decide(null, netty, Level.ERROR, refused, null, terminated)).isEqualTo(FilterReply.NEUTRAL);
        BenignErrors.clientsStopping();
        assertThat(filter.decide(null, netty, Level.ERROR, refused, null, terminated)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, netty, Level.ERROR, refused, null, new IllegalStateException())).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("RocketmqRemoting"), Level.ERROR, refused, null, terminated))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aPullCutShortIsDroppedOnlyOnceTheBridgeIsStopping() {
        Logger litePull = context.getLogger(org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl.class);
        String failed = "An error occurred in pull message process.";
        assertThat(filter.decide(null, litePull, Level.ERROR, failed, null, new IllegalStateException())).isEqualTo(FilterReply.NEUTRAL);
        BenignErrors.clientsStopping();
        assertThat(filter.decide(null, litePull, Level.ERROR, failed, null, new IllegalStateException())).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, context.getLogger(MQClientAPIImpl.class), Level.ERROR, failed, null, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
