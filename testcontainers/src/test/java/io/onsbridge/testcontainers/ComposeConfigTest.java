package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code docker compose config}: the Compose client's own validation of docker/compose.yaml (it needs
 * no engine). Skipped where the client or its compose plugin is missing.
 */
class ComposeConfigTest {

    @Test
    void composeAcceptsTheFile() throws Exception {
        assumeTrue(run(List.of("docker", "compose", "version")).exitCode == 0, "no docker compose client here");
        Result config = run(List.of("docker", "compose", "-f", Repository.ROOT.resolve("docker/compose.yaml").toString(),
                "config", "--quiet"));
        assertThat(config.exitCode).as(config.output).isZero();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (var in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
    }
}
