package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docker build and docker run would do, done here without an engine: the Dockerfile's build
 * command on a copy of the build context (only what OnsBridgeImage sends), its COPY --from=build lines
 * into a scratch root, then docker/entrypoint.sh on that layout against a real cluster, until
 * docker/healthcheck.sh passes and the SDK gets answers; SIGTERM stops it as docker stop would.
 */
@OnsBridgeTest
class ImageWithoutEngineTest {
    private static final Duration BUILD = Duration.ofMinutes(10);

    @Test
    void theBuiltLayoutStartsServesAndStops(OnsBridgeEnvironment cluster, @TempDir Path dir) throws Exception {
        List<String> dockerfile = DockerfileTest.instructions(Repository.read(OnsBridgeImage.DOCKERFILE));
        String build = dockerfile.stream().filter(i -> i.startsWith("RUN mvn ")).findFirst().orElseThrow().substring(4);
        assumeTrue(onPath("mvn"), "no mvn on the PATH");

        Path src = dir.resolve("src");
        for (Path file : OnsBridgeImage.contextFiles(Repository.ROOT)) {
            Files.createDirectories(src.resolve(file).getParent());
            Files.copy(Repository.ROOT.resolve(file), src.resolve(file));
        }
        Path buildLog = dir.resolve("build.log");
        Process mvn = new ProcessBuilder("bash", "-c", build).directory(src.toFile())
                .redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
        assertThat(mvn.waitFor(BUILD.toSeconds(), TimeUnit.SECONDS)).as("the build finished").isTrue();
        assertThat(mvn.exitValue()).as(Files.readString(buildLog)).isZero();

        // COPY --from=build <path in /src...> <path in the image>
        Path image = dir.resolve("image");
        for (String copy : dockerfile.stream().filter(i -> i.startsWith("COPY --from=build ")).toList()) {
            String[] parts = copy.split(" ");
            copyTree(src.resolve(Path.of("/src").relativize(Path.of(parts[2]))), image.resolve(parts[3].substring(1)));
        }

        int port = freePort();
        Path data = dir.resolve("data");
        ProcessBuilder run = new ProcessBuilder("bash", Repository.ROOT.resolve("docker/entrypoint.sh").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("bridge.log").toFile());
        run.environment().putAll(Map.of(
                "ONS_BRIDGE_HOME", image.resolve("opt/ons-bridge").toString(),
                "ONS_BRIDGE_DATA_DIR", data.toString(),
                "ONS_BRIDGE_NAMESRV", cluster.namesrvAddr(),
                "ONS_BRIDGE_HTTP_HOST", "127.0.0.1",
                "ONS_BRIDGE_HTTP_PORT", String.valueOf(port),
                "ONS_BRIDGE_ACCESS_KEY", "LTAIimagetest",
                "ONS_BRIDGE_SECRET_KEY", "image-test-secret",
                "JAVA_OPTS", "-Xmx256m"));
        Process bridge = run.start();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> healthcheck(port) == 0 || !bridge.isAlive());
            assertThat(bridge.isAlive()).as(Files.readString(dir.resolve("bridge.log"))).isTrue();
            assertThat(OnsBridgeEnvironment.teaClient("127.0.0.1:" + port, "LTAIimagetest", "image-test-secret")
                    .onsRegionList().getBody().getData().getRegionDo()).hasSize(1);
            assertThat(Files.isDirectory(data.resolve("tmp"))).isTrue();
        } finally {
            bridge.destroy();
        }
        // SIGTERM runs the bridge's shutdown hook and the JVM exits (exit code 143 after a signal).
        assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        assertThat(Files.readString(dir.resolve("bridge.log"))).contains("ons-bridge is ready").contains("ons-bridge stopped");
    }

    private static int healthcheck(int port) throws IOException, InterruptedException {
        ProcessBuilder check = new ProcessBuilder("bash", Repository.ROOT.resolve("docker/healthcheck.sh").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        check.environment().put("ONS_BRIDGE_HTTP_PORT", String.valueOf(port));
        Process process = check.start();
        return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** A file onto a file, or a directory's content into a directory, as COPY does. */
    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        assertThat(from).as("COPY source").isDirectory();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
