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
 * real start: ready when {@code /health} answers UP. Killed on {@link #close()}.
 */
final class BridgeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ons-bridge is ready \\((\\d+) ms\\)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final Path output;
    private final int httpPort;
    private final double startMillis;

    private BridgeProcess(Process process, Path output, int httpPort, double startMillis) {
        this.process = process;
        this.output = output;
        this.httpPort = httpPort;
        this.startMillis = startMillis;
    }

    /**
     * Starts a bridge under {@code dataDir}: on the given name server, or with its embedded cluster when
     * {@code namesrv} is null; returns once {@code /health} answered UP.
     */
    static BridgeProcess start(Path dataDir, String namesrv, String accessKey, String secretKey) throws Exception {
        Files.createDirectories(dataDir.resolve("tmp"));
        int httpPort = EmbeddedCluster.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", // bin/ons-bridge's default JAVA_OPTS
                "-Djava.net.preferIPv4Stack=true", "-Dtls.server.mode=disabled",
                "-Djava.io.tmpdir=" + dataDir.resolve("tmp"),
                "-cp", System.getProperty("java.class.path")));
        // more JVM options for the bridge's JVM alone (a profiler, a flag to compare): ONS_BRIDGE_BENCH_BRIDGE_JAVA_OPTS
        String extra = System.getenv().getOrDefault("ONS_BRIDGE_BENCH_BRIDGE_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "io.onsbridge.OnsBridge",
                "--data-dir=" + dataDir, "--http-host=127.0.0.1", "--http-port=" + httpPort, "--max-instances=0",
                "--mqtt-port=" + EmbeddedCluster.freePort()));
        if (namesrv != null) {
            command.addAll(List.of("--namesrv=" + namesrv, "--access-key=" + accessKey, "--secret-key=" + secretKey));
        } else {
            command.addAll(List.of("--embedded-namesrv-port=" + EmbeddedCluster.freePort(),
                    "--embedded-broker-port=" + EmbeddedCluster.freeBrokerPort()));
        }
        Path output = dataDir.resolve("bridge.out");
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        BridgeProcess bridge = new BridgeProcess(process, output, httpPort, 0);
        try {
            bridge.awaitUp(begin);
            return new BridgeProcess(process, output, httpPort, (System.nanoTime() - begin) / 1e6);
        } catch (Exception | Error e) {
            bridge.close();
            throw e;
        }
    }

    private void awaitUp(long begin) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() - begin < START_TIMEOUT.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bridge exited with " + process.exitValue() + "; see " + output);
            }
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
        throw new IllegalStateException("the bridge was not UP within " + START_TIMEOUT + "; see " + output);
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return process.pid();
    }

    /** From the JVM's start to {@code /health} UP, as the caller saw it. */
    double startMillis() {
        return startMillis;
    }

    /** What the bridge itself printed: from its main's start to ready (the banner's figure); -1 if not printed. */
    double bannerMillis() throws IOException {
        Matcher ready = READY.matcher(Files.readString(output));
        return ready.find() ? Double.parseDouble(ready.group(1)) : -1;
    }

    /** Runs {@code jcmd <pid> <command>} and returns its output. */
    String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    /** CPU time the bridge's threads alive now have spent ({@code /proc/<pid>/task/<tid>/schedstat}), in ns. */
    long cpuNanos() throws IOException {
        return ProcessSampler.threadCpuNanos(process.pid(), name -> true);
    }

    /** A size of {@code /proc/<pid>/status} ({@code VmRSS}, {@code RssAnon}...) in MiB. */
    double statusMiB(String field) throws IOException {
        return status(field) / 1024.0;
    }

    /** A figure of {@code /proc/<pid>/status}: kB for sizes, a count for {@code Threads}. */
    long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    /**
     * Stops the bridge as Ctrl-C does (SIGTERM: its shutdown hook closes the bridge, then the embedded cluster,
     * which flushes its store) and returns the time to its exit, in ms; -1 if it did not exit in time.
     */
    double stopMillis() throws InterruptedException {
        long begin = System.nanoTime();
        process.destroy();
        return process.waitFor(2, TimeUnit.MINUTES) ? (System.nanoTime() - begin) / 1e6 : -1;
    }

    /**
     * Stops the bridge as Ctrl-C does, so that what its JVM writes at exit is written (a JFR recording started with
     * {@code dumponexit=true} through ONS_BRIDGE_BENCH_BRIDGE_JAVA_OPTS); killed if it has not exited in 20 s.
     */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
