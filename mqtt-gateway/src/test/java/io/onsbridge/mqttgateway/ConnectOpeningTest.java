package io.onsbridge.mqttgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Where a CONNECT's session is opened: on the event loop when the backend answers at once, else on a worker. */
class ConnectOpeningTest {
    /** Runs nothing until {@link #runAll}: what was handed to the workers stays visible. */
    private static final class HeldWorkers implements Executor {
        final List<Runnable> held = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void runAll() {
            List<Runnable> tasks = new ArrayList<>(held);
            held.clear();
            tasks.forEach(Runnable::run);
        }
    }

    /** A backend that accepts every CONNECT and says whether it opens at once; records on which thread it opened. */
    private static final class Accepting implements MqttBackend {
        final boolean atOnce;
        final List<String> openedOn = new ArrayList<>();

        Accepting(boolean atOnce) {
            this.atOnce = atOnce;
        }

        @Override
        public boolean opensAtOnce(Connect connect) {
            return atOnce && connect.cleanSession();
        }

        @Override
        public Session open(Connect connect, Device device) {
            openedOn.add(Thread.currentThread().getName());
            return new Session() {
                @Override
                public boolean sessionPresent() {
                    return false;
                }

                @Override
                public CompletableFuture<Void> publish(Message message) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public List<Integer> subscribe(List<Subscription> subscriptions) {
                    return List.of();
                }

                @Override
                public void unsubscribe(List<String> filters) {
                }

                @Override
                public void touched() {
                }

                @Override
                public void closed(CloseReason reason) {
                }
            };
        }
    }

    private static Object connect(boolean cleanSession) {
        return MqttMessageBuilders.connect().clientId("GID_test@@@device").protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(cleanSession).keepAlive(0).hasUser(true).username("Signature|key|instance")
                .hasPassword(true).password("secret".getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void aConnectTheBackendOpensAtOnceIsAnsweredWithoutAWorker() {
        HeldWorkers workers = new HeldWorkers();
        Accepting backend = new Accepting(true);
        EmbeddedChannel channel = new EmbeddedChannel(new MqttConnection(backend, workers, 32, 1_000, 10_000));

        channel.writeInbound(connect(true));

        assertThat(workers.held).isEmpty();
        assertThat(backend.openedOn).hasSize(1);
        MqttConnAckMessage ack = channel.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectThatMayWaitForTheClusterIsOpenedOnAWorker() {
        HeldWorkers workers = new HeldWorkers();
        Accepting backend = new Accepting(true);
        EmbeddedChannel channel = new EmbeddedChannel(new MqttConnection(backend, workers, 32, 1_000, 10_000));

        channel.writeInbound(connect(false)); // a persistent session: not at once

        assertThat(backend.openedOn).isEmpty();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(workers.held).hasSize(1);
        workers.runAll();
        channel.runPendingTasks(); // the answer is handed back to the event loop
        MqttConnAckMessage ack = channel.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(backend.openedOn).hasSize(1);
        channel.finishAndReleaseAll();
    }
}
