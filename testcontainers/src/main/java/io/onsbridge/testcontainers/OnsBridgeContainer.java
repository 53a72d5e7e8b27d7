package io.onsbridge.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.rnorth.ducttape.unreliables.Unreliables;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * ons-bridge in a container, next to an Apache RocketMQ name server and broker ({@link RocketMQImage}),
 * for tests that run with Docker. Gives the ONS endpoint, the admin key pair and the name server address
 * as the test JVM reaches them:
 *
 * <pre>{@code
 * try (OnsBridgeContainer ons = new OnsBridgeContainer(OnsBridgeImage.fromSources(checkout))) {
 *     ons.start();
 *     // SDK: ons.endpoint(), ons.accessKeyId(), ons.accessKeySecret(); RocketMQ clients: ons.namesrvAddress()
 * }
 * }</pre>
 *
 * <p>Networking. RocketMQ clients connect to the broker at the address it registers with the name server,
 * and the bridge is such a client too. So the broker runs in this container's network namespace and
 * registers {@code <docker host>:P}, P being a free port bound to the same number outside: the bridge
 * reaches it on loopback, the test JVM through the published port. The name server is a container of
 * its own on a shared network, reached there as {@code namesrv:9876} (so keep this container on the
 * network it creates rather than calling {@code withNetwork}).
 */
public class OnsBridgeContainer extends GenericContainer<OnsBridgeContainer> {
    public static final int HTTP_PORT = 8080;
    private static final int NAMESRV_PORT = 9876;
    private static final String NAMESRV_HOST = "namesrv";
    private static final String BROKER_CONF = "/home/rocketmq/broker.conf";
    private static final String NAMESRV_LOG = "/home/rocketmq/logs/rocketmqlogs/namesrv.log";
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String accessKeyId = "LTAI" + randomText(20);
    private final String accessKeySecret = randomText(30);
    private final int brokerPort = freeBrokerPort();
    private final Network network = Network.newNetwork();
    private final GenericContainer<?> namesrv = namesrvContainer(network);
    private GenericContainer<?> broker;

    /** A published (or locally built) bridge image. */
    public OnsBridgeContainer(DockerImageName image) {
        super(image);
        setUp();
    }

    /** An image built on first use, e.g. {@link OnsBridgeImage#fromSources}. */
    public OnsBridgeContainer(Future<String> image) {
        super(image);
        setUp();
    }

    private void setUp() {
        withNetwork(network);
        dependsOn(namesrv);
        withExposedPorts(HTTP_PORT);
        withEnv("ONS_BRIDGE_NAMESRV", NAMESRV_HOST + ":" + NAMESRV_PORT);
        withEnv("ONS_BRIDGE_HTTP_PORT", String.valueOf(HTTP_PORT));
        withEnv("ONS_BRIDGE_ACCESS_KEY", accessKeyId);
        withEnv("ONS_BRIDGE_SECRET_KEY", accessKeySecret);
        // 200 once the name server answers; the broker follows in containerIsStarted.
        waitingFor(Wait.forHttp("/health").forPort(HTTP_PORT).forStatusCode(200).withStartupTimeout(STARTUP));
    }

    private static GenericContainer<?> namesrvContainer(Network network) {
        return new GenericContainer<>(RocketMQImage.IMAGE)
                .withNetwork(network)
                .withNetworkAliases(NAMESRV_HOST)
                .withCommand("sh", "mqnamesrv")
                // After the image's -Xms1g -Xmx1g: the last one wins.
                .withEnv("JAVA_OPT_EXT", "-Xms256m -Xmx256m -Xmn128m")
                .withExposedPorts(NAMESRV_PORT)
                .waitingFor(Wait.forLogMessage(".*The Name Server boot success.*", 1).withStartupTimeout(STARTUP));
    }

    @Override
    protected void configure() {
        super.configure();
        // Same number inside and outside: the address the broker registers works from both sides.
        addFixedExposedPort(brokerPort, brokerPort);
        // What OnsInstanceBaseInfo hands to applications: the name server as the test JVM reaches it.
        withEnv("ONS_BRIDGE_ADVERTISED_NAMESRV", namesrvAddress());
    }

    @Override
    protected void containerIsStarted(InspectContainerResponse containerInfo) {
        String brokerIp = dockerHostIpv4();
        // docker/broker.conf (as compose runs it), plus this broker's address and port: later lines win.
        String conf = brokerConf() + "\nbrokerIP1 = " + brokerIp + "\nlistenPort = " + brokerPort + "\n";
        broker = new GenericContainer<>(RocketMQImage.IMAGE)
                .withNetworkMode("container:" + getContainerId())
                .withEnv("NAMESRV_ADDR", NAMESRV_HOST + ":" + NAMESRV_PORT)
                // Instead of the image's -Xms2g -Xmx2g -Xmn1g -XX:MaxDirectMemorySize=1g (the last one wins).
                .withEnv("JAVA_OPT_EXT", "-Xms512m -Xmx512m -Xmn256m -XX:MaxDirectMemorySize=256m")
                .withCopyToContainer(Transferable.of(conf), BROKER_CONF)
                .withCommand("sh", "mqbroker", "-c", BROKER_CONF)
                .waitingFor(Wait.forLogMessage(".*boot success.*", 1).withStartupTimeout(STARTUP));
        broker.start();
        // Started is not yet registered: wait until the name server hands out the broker's address.
        String registered = "new broker registered, " + brokerIp + ":" + brokerPort;
        Unreliables.retryUntilTrue((int) STARTUP.toSeconds(), TimeUnit.SECONDS,
                () -> namesrv.execInContainer("grep", "-qF", registered, NAMESRV_LOG).getExitCode() == 0);
    }

    @Override
    public void stop() {
        // The broker lives in this container's network namespace: it goes first.
        if (broker != null) {
            broker.stop();
            broker = null;
        }
        super.stop();
        namesrv.stop();
        network.close();
    }

    /** The ONS endpoint as SDKs take it: {@code host:port}, protocol HTTP. */
    public String endpoint() {
        return getHost() + ":" + getMappedPort(HTTP_PORT);
    }

    /** The endpoint as a URL, e.g. for {@code GET /health}. */
    public String endpointUrl() {
        return "http://" + endpoint();
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accessKeySecret() {
        return accessKeySecret;
    }

    /** The name server for RocketMQ clients in the test JVM (the instances' TcpEndpoint too). */
    public String namesrvAddress() {
        return namesrv.getHost() + ":" + namesrv.getMappedPort(NAMESRV_PORT);
    }

    /** The broker's address as registered with the name server. */
    public String brokerAddress() {
        return dockerHostIpv4() + ":" + brokerPort;
    }

    public GenericContainer<?> namesrvContainer() {
        return namesrv;
    }

    /** Null until the bridge has started. */
    public GenericContainer<?> brokerContainer() {
        return broker;
    }

    private static String brokerConf() {
        try (InputStream in = OnsBridgeContainer.class.getResourceAsStream("broker.conf")) {
            if (in == null) {
                throw new IllegalStateException("broker.conf is missing from the ons-bridge-testcontainers jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The docker host as an IPv4 address: message ids embed the broker's address, 4 bytes of it. */
    private String dockerHostIpv4() {
        try {
            return Arrays.stream(InetAddress.getAllByName(getHost()))
                    .filter(Inet4Address.class::isInstance)
                    .map(InetAddress::getHostAddress)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no IPv4 address for the docker host " + getHost()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve the docker host " + getHost(), e);
        }
    }

    /** A free port P whose neighbours the broker also binds (P-2 fast server, P+1 HA) stay in range. */
    private static int freeBrokerPort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (port > 1026 && port < 65535 && Math.abs(port - HTTP_PORT) > 2) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port for the broker");
    }

    private static String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }
}
