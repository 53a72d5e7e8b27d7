package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.rocketmq.broker.BrokerStartup;
import org.apache.rocketmq.broker.ConfigContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/broker.conf read by RocketMQ 5.5.0's own loader ({@code mqbroker -c}), as compose and
 * OnsBridgeContainer run it: with brokerIP1 and, for the container, listenPort appended.
 */
class BrokerConfTest {
    private static final String FILE = Repository.read("docker/broker.conf");

    @Test
    void theBrokerReadsTheFileWithTheAppendedAddress(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("broker.conf"), FILE + "\nbrokerIP1 = 192.0.2.7\nlistenPort = 31000\n");
        ConfigContext context = BrokerStartup.configFileToConfigContext(conf.toString());
        assertThat(context.getBrokerConfig().getBrokerIP1()).isEqualTo("192.0.2.7");
        assertThat(context.getNettyServerConfig().getListenPort()).isEqualTo(31000);
        assertThat(context.getBrokerConfig().getBrokerName()).isEqualTo("broker-a");
        assertThat(context.getBrokerConfig().isTraceTopicEnable()).isTrue();
        assertThat(context.getMessageStoreConfig().isTimerWheelEnable()).isTrue();

        ConfigContext asCompose = BrokerStartup.configFileToConfigContext(
                Files.writeString(dir.resolve("compose.conf"), FILE + "\nbrokerIP1 = 127.0.0.1\n").toString());
        assertThat(asCompose.getNettyServerConfig().getListenPort()).isEqualTo(10911);
    }

    @Test
    void everyKeyIsASettingTheBrokerKnows() throws Exception {
        // The loader ignores unknown keys: a misspelt one would silently do nothing.
        ConfigContext context = BrokerStartup.configFileToConfigContext(Repository.ROOT.resolve("docker/broker.conf").toString());
        List<Object> configs = List.of(context.getBrokerConfig(), context.getNettyServerConfig(), context.getNettyClientConfig(),
                context.getMessageStoreConfig(), context.getAuthConfig());
        for (String key : context.getProperties().stringPropertyNames()) {
            String setter = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
            assertThat(configs).as(key).anySatisfy(config -> assertThat(Arrays.stream(config.getClass().getMethods())
                    .anyMatch(m -> m.getName().equals(setter) && m.getParameterCount() == 1)).isTrue());
        }
        assertThat(context.getProperties()).isNotEmpty();
    }

    @Test
    void theContainerModuleCarriesTheSameFile() throws IOException {
        try (InputStream in = OnsBridgeContainer.class.getResourceAsStream("broker.conf")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(FILE);
        }
    }
}
