package io.onsbridge;

import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Credentials;
import io.onsbridge.config.Setting;
import io.onsbridge.domain.region.RegionActions;
import io.onsbridge.embedded.EmbeddedCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/ons-bridge}: starts the bridge against the configured cluster, or first an embedded
 * RocketMQ name server and broker under the data dir when none is configured, prints how to reach it
 * and runs until Ctrl-C or SIGTERM, then shuts everything down in order.
 */
public final class OnsBridge {
    private OnsBridge() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(BridgeConfig.help());
            return;
        }
        BridgeConfig config;
        try {
            config = BridgeConfig.load(args, System.getenv());
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("ons-bridge: cannot read the configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dataDir = config.dataDir();
        // Before the first logger exists: RocketMQ's logging (which ours goes through) reads these once.
        System.setProperty("onsbridge.log.dir", dataDir.resolve("logs").toString());
        System.setProperty("logback.statusListenerClass",
                "org.apache.rocketmq.logging.ch.qos.logback.core.status.NopStatusListener");
        Logger log = LoggerFactory.getLogger(OnsBridge.class);

        long begin = System.nanoTime();
        EmbeddedCluster embedded = null;
        OnsBridgeServer server;
        Credentials credentials;
        try {
            credentials = Credentials.load(config);
            String namesrv = config.get(Setting.NAMESRV);
            if (config.embedded()) {
                embedded = EmbeddedCluster.builder(dataDir.resolve("rocketmq"))
                        .namesrvPort(config.getInt(Setting.EMBEDDED_NAMESRV_PORT))
                        .brokerPort(config.getInt(Setting.EMBEDDED_BROKER_PORT))
                        .region(config.get(Setting.REGION))
                        .start();
                namesrv = embedded.namesrvAddr();
            }
            server = OnsBridgeServer.start(config, namesrv, credentials.secrets());
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("ons-bridge did not start: {}", e.getMessage(), e.getCause());
            if (embedded != null) {
                embedded.close();
            }
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedCluster cluster = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("ons-bridge stopping");
            server.close();
            if (cluster != null) {
                log.info("stopping the embedded broker (it flushes its store; a few seconds)");
                cluster.close();
            }
            log.info("ons-bridge stopped");
            stopped.countDown();
        }, "ons-bridge-shutdown"));

        printBanner(System.out, config, server, credentials, cluster != null, (System.nanoTime() - begin) / 1_000_000);
        stopped.await();
    }

    private static void printBanner(PrintStream out, BridgeConfig config, OnsBridgeServer server, Credentials credentials,
                                    boolean embedded, long startMillis) {
        String region = config.get(Setting.REGION);
        String advertised = config.get(Setting.ADVERTISED_NAMESRV) != null ? config.get(Setting.ADVERTISED_NAMESRV) : server.namesrvAddr();
        out.println();
        out.println("ons-bridge is ready (" + startMillis + " ms)" + (embedded ? " with an embedded RocketMQ cluster" : ""));
        out.println("  ONS endpoint     " + server.endpoint());
        if (server.httpsEndpoint() != null) {
            out.println("  HTTPS endpoint   " + server.httpsEndpoint() + "   (the same over TLS; OnsInstanceBaseInfo HttpInternetSecureEndpoint)");
        }
        out.println(server.mqttPort() < 0 ? "  MQTT gateway     off (--mqtt-port 0)"
                : "  MQTT gateway     tcp://" + server.mqttHost() + ":" + server.mqttPort()
                + "   (devices: client id GID_xxx@@@deviceId, Signature mode; docs/mqtt.md)");
        out.println("  name server      " + advertised + "   (for RocketMQ clients, namespace = instance ID)");
        out.println("  region           " + region + " (" + RegionActions.displayName(region) + ")");
        out.println("  AccessKeyId      " + credentials.adminAccessKeyId());
        if (credentials.adminFile() != null) {
            // Only a pair the embedded mode generated: a configured secret is the operator's and is never echoed.
            // Straight to stdout, never through the logger, so that it stays out of log files.
            out.println("  AccessKeySecret  " + credentials.secrets().get(credentials.adminAccessKeyId())
                    + "   (generated; kept in " + credentials.adminFile() + ")");
        }
        out.println("  data dir         " + config.dataDir());
        out.println("Stop with Ctrl-C.");
        out.flush();
    }
}
