package io.onsbridge.cluster.rocketmq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.remoting.netty.NettyEvent;
import org.apache.rocketmq.remoting.netty.NettyEventType;
import org.apache.rocketmq.remoting.netty.NettyRemotingAbstract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops RocketMQ parts without the three idle seconds each of their event threads adds. Every remoting
 * server, and every client instance's remoting client, runs a {@code NettyEventExecutor} that polls its
 * queue for 3 s at a time and that its stop does not wake (RocketMQ 5.5.0), so each one a shutdown joins
 * costs up to 3 s: a bridge with its embedded broker took 25 s to stop, 12 of them such joins. While the
 * stop runs, an empty CONNECT event is put to each of them every {@link #WAKE_EVERY_MILLIS} ms, so that
 * a stopped executor sees its stop at once. Every listener RocketMQ has ignores a CONNECT or only counts
 * it (the broker's connection count). A server without a listener never runs the thread: its queue keeps
 * what a stop put there (50 small events a second of it) until the server is dropped.
 */
public final class PromptStop {
    static final long WAKE_EVERY_MILLIS = 20;
    private static final Logger log = LoggerFactory.getLogger(PromptStop.class);

    private PromptStop() {
    }

    /**
     * Runs {@code stop} in this thread while waking the event threads of the remoting services
     * {@code remotings} gives (asked at each wake: a part may make them while it stops) and of every
     * RocketMQ client instance of this JVM (those of the parts stopping among them).
     */
    public static void run(Runnable stop, Supplier<? extends Collection<?>> remotings) {
        Thread waker = new Thread(() -> wakeUntilInterrupted(remotings), "rocketmq-prompt-stop");
        waker.setDaemon(true);
        waker.start();
        try {
            stop.run();
        } finally {
            waker.interrupt();
        }
    }

    private static void wakeUntilInterrupted(Supplier<? extends Collection<?>> remotings) {
        NettyEvent nothing = new NettyEvent(NettyEventType.CONNECT, "", null);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (NettyRemotingAbstract remoting : eventSources(remotings)) {
                    remoting.putNettyEvent(nothing);
                }
                Thread.sleep(WAKE_EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a part half stopped may answer oddly; the stop goes on without the waking, as slow as before
                log.debug("cannot wake RocketMQ's event threads; the stop takes its usual time", e);
                return;
            }
        }
    }

    private static List<NettyRemotingAbstract> eventSources(Supplier<? extends Collection<?>> remotings) {
        List<NettyRemotingAbstract> sources = new ArrayList<>();
        for (Object remoting : remotings.get()) {
            if (remoting instanceof NettyRemotingAbstract netty) {
                sources.add(netty);
            }
        }
        for (MQClientInstance instance : MQClientManager.getInstance().getFactoryTable().values()) {
            if (instance.getMQClientAPIImpl().getRemotingClient() instanceof NettyRemotingAbstract netty) {
                sources.add(netty);
            }
        }
        return sources;
    }
}
