package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.remoting.ChannelEventListener;
import org.apache.rocketmq.remoting.netty.NettyRemotingServer;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.junit.jupiter.api.Test;

/** A real RocketMQ remoting server stopped through {@link PromptStop}: what its listener is given, and what is left running. */
class PromptStopTest {

    @Test
    void theListenerIsGivenOnlyEmptyConnectsAndNothingKeepsWakingAfterTheStop() {
        List<String> heard = new CopyOnWriteArrayList<>();
        NettyServerConfig config = new NettyServerConfig();
        config.setBindAddress("127.0.0.1");
        config.setListenPort(0);
        // every event the server's listener is given, as "method [arguments]"
        ChannelEventListener listener = (ChannelEventListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ChannelEventListener.class}, (proxy, method, args) -> {
                    heard.add(method.getName() + " " + Arrays.toString(args));
                    return null;
                });
        NettyRemotingServer server = new NettyRemotingServer(config, listener);
        server.start();

        PromptStop.run(() -> {
            // the server is woken while the stop runs: the listener hears of it before the stop goes on
            await().atMost(Duration.ofSeconds(5)).until(() -> !heard.isEmpty());
            server.shutdown();
        }, () -> List.of(server));

        assertThat(heard).isNotEmpty().allMatch(e -> e.equals("onChannelConnect [, null]"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("rocketmq-prompt-stop")));
    }

    @Test
    void aFailingStopIsThrownToItsCaller() {
        assertThatThrownBy(() -> PromptStop.run(() -> {
            throw new IllegalStateException("broken");
        }, List::of)).hasMessage("broken");
    }
}
