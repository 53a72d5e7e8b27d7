package io.onsbridge.cluster.rocketmq;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl;
import org.apache.rocketmq.common.constant.LoggerName;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Logger;
import org.apache.rocketmq.logging.ch.qos.logback.classic.turbo.TurboFilter;
import org.apache.rocketmq.logging.ch.qos.logback.core.spi.FilterReply;
import org.apache.rocketmq.logging.org.slf4j.Marker;

/**
 * Drops the ERROR lines RocketMQ writes for what is not an error, so that an ERROR in the bridge's log
 * means something is wrong. Installed by rmq.logback.xml.
 * <ul>
 * <li>The client's "dataVersion changed": a broker's topic or group table changed while the client read it
 * page by page (any write during a list); the client starts the read again and answers correctly.</li>
 * <li>The embedded broker's "No topic in this broker": its answer to a lookup of a topic it does not have,
 * which is how the bridge asks whether a topic exists (one topic asked of each master, instead of reading
 * every master's whole table). A broker of your own cluster still logs it in its own log.</li>
 * <li>The embedded name server's "Handle unregister broker request failed" with an InterruptedException: its
 * unregistration thread, stopped while it waits for work when the bridge stops.</li>
 * <li>The embedded broker's "Failed to write response" to a closed channel: the answer to a long poll whose
 * client went away meanwhile (the trace collector, when the bridge stops; any consumer that disconnects).</li>
 * <li>The embedded broker's "processRequestWrapper response to … failed" to a closed channel, and the two lines
 * that follow it in the same thread (the request and the response): the answer to a held pull whose consumer
 * left meanwhile (an application that stops or restarts its consumer).</li>
 * <li>A lite pull consumer's "An error occurred in pull message process" once the bridge is stopping
 * ({@link #clientsStopping}): the trace collector's long polls, cut short when its client closes its
 * connections. Before the stop the same line is a real failure and stays.</li>
 * <li>Netty's "Failed to submit a listener notification task" once the bridge is stopping: the embedded broker's
 * shutdown closes its server before its held long polls, and a poll answered after that (a message arrived, or its
 * time ran out) finds its event loop gone. Only a stopped event loop refuses a task.</li>
 * </ul>
 */
public final class BenignErrors extends TurboFilter {
    private static final String CLIENT_API = MQClientAPIImpl.class.getName();
    private static final String LITE_PULL = DefaultLitePullConsumerImpl.class.getName();
    /** Netty's logger for a listener its promise's executor refused ({@code DefaultPromise}). */
    private static final String REJECTED_LISTENER = "io.netty.util.concurrent.DefaultPromise.rejectedExecution";
    /** Set once this JVM's bridge began to stop (several bridges share a JVM only in tests). */
    private static volatile boolean stopping;
    /** RocketMQ logs a dropped pull answer's request and response right after it, in the same thread. */
    private static final int COMMANDS_AFTER_PULL_ANSWER = 2;
    private final ThreadLocal<int[]> commandsToDrop = ThreadLocal.withInitial(() -> new int[1]);

    /** The bridge is stopping: pulls cut short by its clients' shutdown are no longer errors. */
    static void clientsStopping() {
        stopping = true;
    }

    /** Back to running, for a test that needs the state before a stop (the flag is this JVM's). */
    static void clientsRunning() {
        stopping = false;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || format == null) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        int[] commands = commandsToDrop.get();
        if (commands[0] > 0) {
            if (format.startsWith("RemotingCommand [") && LoggerName.BROKER_LOGGER_NAME.equals(name)) {
                commands[0]--;
                return FilterReply.DENY;
            }
            commands[0] = 0;
        }
        // A throwable logged after a format's arguments (RocketMQ's "Failed to write response") arrives as the last one.
        Throwable cause = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        boolean benign = (format.startsWith("dataVersion changed") && CLIENT_API.equals(name))
                || (format.startsWith("No topic in this broker") && LoggerName.BROKER_LOGGER_NAME.equals(name))
                || (format.startsWith("Handle unregister broker request failed") && cause instanceof InterruptedException
                        && LoggerName.NAMESRV_LOGGER_NAME.equals(name))
                || (format.startsWith("Failed to write response") && cause instanceof ClosedChannelException
                        && LoggerName.ROCKETMQ_REMOTING_NAME.equals(name))
                || (format.startsWith("processRequestWrapper response to") && cause instanceof ClosedChannelException
                        && LoggerName.BROKER_LOGGER_NAME.equals(name) && dropCommandsAfter(commands))
                || (stopping && format.startsWith("An error occurred in pull message process") && LITE_PULL.equals(name))
                || (stopping && format.startsWith("Failed to submit a listener notification task")
                        && cause instanceof RejectedExecutionException && REJECTED_LISTENER.equals(name));
        return benign ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean dropCommandsAfter(int[] commands) {
        commands[0] = COMMANDS_AFTER_PULL_ANSWER;
        return true;
    }
}
