package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml without an engine: the checks of what would rot silently (the RocketMQ version,
 * the wiring between services, the volumes that keep the cluster's and the bridge's state).
 */
class ComposeFileTest {
    private static final Path DOCKER = Repository.ROOT.resolve("docker");
    private static final JsonNode COMPOSE = parse();
    private static final JsonNode SERVICES = COMPOSE.path("services");

    @Test
    void rocketmqImagesAreTheVersionTheRootPomPins() {
        assertThat(RocketMQImage.VERSION).matches("\\d+\\.\\d+\\.\\d+")
                .isEqualTo(Repository.element(Repository.pom("pom.xml"), "rocketmq.version"));
        List<String> rocketmqImages = new ArrayList<>();
        SERVICES.forEach(service -> {
            String image = service.path("image").asText();
            if (image.startsWith("apache/rocketmq")) {
                rocketmqImages.add(image);
            }
        });
        assertThat(rocketmqImages).hasSize(2).containsOnly("apache/rocketmq:" + RocketMQImage.VERSION);
        // The broker is that image with the broker plugin added (docker/Dockerfile.broker), built from the same version.
        assertThat(SERVICES.path("broker").path("build").path("dockerfile").asText()).isEqualTo("docker/Dockerfile.broker");
        String brokerDockerfile = Repository.read("docker/Dockerfile.broker");
        assertThat(brokerDockerfile).contains("ARG ROCKETMQ_IMAGE=apache/rocketmq:" + RocketMQImage.VERSION + "\n")
                .contains("ARG ROCKETMQ_VERSION=" + RocketMQImage.VERSION + "\n").contains("FROM ${ROCKETMQ_IMAGE}");
        assertThat(command("namesrv")).isEqualTo("sh mqnamesrv");
        assertThat(command("broker")).contains("exec sh mqbroker -c ");
    }

    @Test
    void theBrokerLoadsThePluginAndGivesANewStoreTheEmbeddedBrokersTimerPrecision() throws IOException {
        Properties brokerConf = new Properties();
        brokerConf.load(new StringReader(Files.readString(DOCKER.resolve("broker.conf"))));
        assertThat(brokerConf).containsEntry("messageStorePlugIn", io.onsbridge.cluster.BrokerSettings.ONS_PLUGIN_CLASS);
        // safe on a volume with older timers only with the plugin, which keeps a store's own precision
        assertThat(brokerConf).containsEntry("timerPrecisionMs",
                Integer.toString(io.onsbridge.embedded.EmbeddedCluster.NEW_STORE_TIMER_PRECISION_MS));
    }

    @Test
    void theBridgeAndTheBrokerUseTheNameServerService() {
        int namesrvPort = 9876;
        assertThat(ports("namesrv")).contains(namesrvPort + ":" + namesrvPort);
        assertThat(env("bridge")).containsEntry("ONS_BRIDGE_NAMESRV", "namesrv:" + namesrvPort);
        assertThat(env("broker")).containsEntry("NAMESRV_ADDR", "namesrv:" + namesrvPort);
        // Applications outside compose get the published name server.
        assertThat(env("bridge").get("ONS_BRIDGE_ADVERTISED_NAMESRV")).endsWith(":" + namesrvPort);
        assertThat(SERVICES.path("bridge").path("depends_on").path("namesrv").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(SERVICES.path("bridge").path("depends_on").path("broker").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(SERVICES.path("broker").path("depends_on").path("namesrv").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(SERVICES.path("namesrv").path("healthcheck").path("test").toString()).contains("/dev/tcp/127.0.0.1/" + namesrvPort);
    }

    @Test
    void theBrokerAdvertisesAnAddressTheBridgeAndOutsideClientsShare() throws IOException {
        Properties brokerConf = new Properties();
        brokerConf.load(new StringReader(Files.readString(DOCKER.resolve("broker.conf"))));
        String listenPort = brokerConf.getProperty("listenPort");
        assertThat(brokerConf).containsEntry("traceTopicEnable", "true").doesNotContainKey("brokerIP1");
        assertThat(command("broker")).contains("brokerIP1 = $${BROKER_IP1}");
        assertThat(env("broker").get("BROKER_IP1")).isEqualTo("${ONS_BRIDGE_PUBLIC_HOST:-127.0.0.1}");
        assertThat(env("bridge").get("ONS_BRIDGE_ADVERTISED_NAMESRV")).startsWith("${ONS_BRIDGE_PUBLIC_HOST:-127.0.0.1}:");
        assertThat(ports("broker")).contains(listenPort + ":" + listenPort);
        assertThat(SERVICES.path("broker").path("healthcheck").path("test").toString()).contains("/dev/tcp/127.0.0.1/" + listenPort);
        assertThat(volumes("broker")).containsEntry("./broker.conf", "/etc/rocketmq/broker.conf:ro");
        assertThat(command("broker")).contains("cp /etc/rocketmq/broker.conf ");

        // The bridge lives in the broker's network namespace, so the broker publishes the bridge's port.
        assertThat(SERVICES.path("bridge").path("network_mode").asText()).isEqualTo("service:broker");
        assertThat(SERVICES.path("bridge").has("ports")).isFalse();
        String httpPort = env("bridge").get("ONS_BRIDGE_HTTP_PORT");
        assertThat(ports("broker")).contains(httpPort + ":" + httpPort);
    }

    @Test
    void namedVolumesKeepTheNameServerKvTheBrokerStoreAndTheBridgeData() {
        Map<String, String> namesrv = volumes("namesrv");
        Map<String, String> broker = volumes("broker");
        Map<String, String> bridge = volumes("bridge");
        // ${user.home}/namesrv/kvConfig.json holds the bridge's metadata; ${user.home}/store the messages.
        assertThat(namesrv).containsValue("/home/rocketmq/namesrv");
        assertThat(broker).containsValue("/home/rocketmq/store");
        String dataDir = Repository.dockerfileEnv(Repository.read(OnsBridgeImage.DOCKERFILE)).get("ONS_BRIDGE_DATA_DIR");
        assertThat(bridge).containsValue(dataDir);
        assertThat(env("bridge")).containsEntry("ONS_BRIDGE_DATA_DIR", dataDir);

        List<String> declared = new ArrayList<>();
        COMPOSE.path("volumes").fieldNames().forEachRemaining(declared::add);
        for (Map<String, String> mounts : List.of(namesrv, broker, bridge)) {
            mounts.keySet().stream().filter(source -> !source.startsWith(".") && !source.startsWith("/"))
                    .forEach(source -> assertThat(declared).as("named volume " + source).contains(source));
        }
        // A fresh named volume belongs to root; the image runs as rocketmq: every one is handed over first.
        String chown = String.join(" ", texts(SERVICES.path("volume-owner").path("command")));
        assertThat(chown).startsWith("chown -R rocketmq:rocketmq ");
        for (String service : List.of("namesrv", "broker")) {
            volumes(service).forEach((source, target) -> {
                if (declared.contains(source)) {
                    assertThat(chown).contains(target);
                    assertThat(volumes("volume-owner")).containsEntry(source, target);
                }
            });
        }
        // The broker starts after the name server, so after the hand-over too.
        assertThat(SERVICES.path("namesrv").path("depends_on").path("volume-owner").path("condition").asText())
                .isEqualTo("service_completed_successfully");
    }

    @Test
    void theBridgeIsBuiltFromTheRepositoryDockerfile() {
        JsonNode build = SERVICES.path("bridge").path("build");
        Path context = DOCKER.resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(Repository.ROOT);
        assertThat(context.resolve(build.path("dockerfile").asText())).isEqualTo(Repository.ROOT.resolve(OnsBridgeImage.DOCKERFILE));
        assertThat(env("bridge")).containsKeys("ONS_BRIDGE_ACCESS_KEY", "ONS_BRIDGE_SECRET_KEY");
    }

    @Test
    void theReadmeShowsTheCommandAndTheDefaultKeyPair() {
        String readme = Repository.read("README.md");
        assertThat(readme).contains("docker compose -f docker/compose.yaml up");
        for (String key : List.of("ONS_BRIDGE_ACCESS_KEY", "ONS_BRIDGE_SECRET_KEY")) {
            String value = env("bridge").get(key);
            assertThat(value).startsWith("${" + key + ":-").endsWith("}");
            assertThat(readme).contains("`" + value.substring(key.length() + 4, value.length() - 1) + "`");
        }
    }

    private static JsonNode parse() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException("docker/compose.yaml does not parse", e);
        }
    }

    private static String command(String service) {
        JsonNode command = SERVICES.path(service).path("command");
        List<String> parts = texts(command);
        // ["sh", "-c", "script"]: the script is what matters.
        return parts.size() == 3 && parts.get(1).equals("-c") ? parts.get(2) : String.join(" ", parts);
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> texts.add(n.asText()));
        } else if (!node.isMissingNode()) {
            texts.add(node.asText());
        }
        return texts;
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        SERVICES.path(service).path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static List<String> ports(String service) {
        return texts(SERVICES.path(service).path("ports"));
    }

    /** source → target (plus ":ro" and the like) of a service's short-form volumes. */
    private static Map<String, String> volumes(String service) {
        Map<String, String> volumes = new LinkedHashMap<>();
        for (String volume : texts(SERVICES.path(service).path("volumes"))) {
            int colon = volume.indexOf(':');
            volumes.put(volume.substring(0, colon), volume.substring(colon + 1));
        }
        return volumes;
    }
}
