package io.onsbridge.bench;

import io.onsbridge.embedded.EmbeddedCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge in a JVM of its own, as {@code bin/ons-bridge} starts it (its main class, its JVM options, the
 * bench's classpath standing in for the jar), so that its heap and RSS are its own and its start is a
 * real start: ready when {@code /health} answers UP. Stopped on {@link #close()} as Ctrl-C stops it.
 */
final class BridgeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ons-bridge is ready \\((\\d+) ms\\)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final ChildJvm jvm;
    private final int httpPort;
    private final double startMillis;

    private BridgeProcess(ChildJvm jvm, int httpPort, double startMillis) {
        this.jvm = jvm;
        this.httpPort = httpPort;
        this.startMillis = startMillis;
    }

    /**
     * Starts a bridge under {@code dataDir}: on the given name server, or with its embedded cluster when
     * {@code namesrv} is null; returns once {@code /health} answered UP.
     */
    static BridgeProcess start(Path dataDir, String namesrv, String accessKey, String secretKey) throws Exception {
        int httpPort = EmbeddedCluster.freePort();
        List<String> arguments = new ArrayList<>(List.of(
                "--data-dir=" + dataDir, "--http-host=127.0.0.1", "--http-port=" + httpPort, "--max-instances=0",
                "--mqtt-port=" + EmbeddedCluster.freePort()));
        if (namesrv != null) {
            arguments.addAll(List.of("--namesrv=" + namesrv, "--access-key=" + accessKey, "--secret-key=" + secretKey));
        } else {
            arguments.addAll(List.of("--embedded-namesrv-port=" + EmbeddedCluster.freePort(),
                    "--embedded-broker-port=" + EmbeddedCluster.freeBrokerPort()));
        }
        long begin = System.nanoTime();
        // -Xmx512m: bin/ons-bridge's default JAVA_OPTS; more for the bridge's JVM alone: ONS_BRIDGE_BENCH_BRIDGE_JAVA_OPTS
        ChildJvm jvm = ChildJvm.start(dataDir, "bridge", List.of("-Xmx512m"), "ONS_BRIDGE_BENCH_BRIDGE_JAVA_OPTS",
                "io.onsbridge.OnsBridge", arguments);
        try {
            awaitUp(jvm, httpPort, begin);
            return new BridgeProcess(jvm, httpPort, (System.nanoTime() - begin) / 1e6);
        } catch (Exception | Error e) {
            jvm.close();
            throw e;
        }
    }

    private static void awaitUp(ChildJvm jvm, int httpPort, long begin) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() - begin < START_TIMEOUT.toNanos()) {
            jvm.requireAlive("the bridge");
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20); // a poll interval, not synchronisation: the answer decides
        }
        throw new IllegalStateException("the bridge was not UP within " + START_TIMEOUT + "; see " + jvm.output());
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return jvm.pid();
    }

    /** From the JVM's start to {@code /health} UP, as the caller saw it. */
    double startMillis() {
        return startMillis;
    }

    /** What the bridge itself printed: from its main's start to ready (the banner's figure); -1 if not printed. */
    double bannerMillis() throws IOException {
        Matcher ready = READY.matcher(Files.readString(jvm.output()));
        return ready.find() ? Double.parseDouble(ready.group(1)) : -1;
    }

    /** Runs {@code jcmd <pid> <command>} and returns its output. */
    String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(jvm.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    ChildJvm jvm() {
        return jvm;
    }

    /** A size of {@code /proc/<pid>/status} ({@code VmRSS}, {@code RssAnon}...) in MiB. */
    double statusMiB(String field) throws IOException {
        return status(field) / 1024.0;
    }

    /** A figure of {@code /proc/<pid>/status}: kB for sizes, a count for {@code Threads}. */
    long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + jvm.pid() + "/status");
    }

    /**
     * Stops the bridge as Ctrl-C does (SIGTERM: its shutdown hook closes the bridge, then the embedded cluster,
     * which flushes its store) and returns the time to its exit, in ms; -1 if it did not exit in time.
     */
    double stopMillis() throws InterruptedException {
        return jvm.stopMillis(120);
    }

    /** Stops the bridge as Ctrl-C does (a JFR recording set to dump on exit is written); killed after 20 s. */
    @Override
    public void close() {
        jvm.close();
    }
}
