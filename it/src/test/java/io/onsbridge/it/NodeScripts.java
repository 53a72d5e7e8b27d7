package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node scripts of {@code it/src/test/node} that run Alibaba's Node clients unchanged: each prints one JSON
 * object as its last line. They run where {@code npm ci --prefix it/src/test/node} was run and {@code node} is on
 * the PATH (.ci/run does both when npm is there); the test is skipped elsewhere.
 */
final class NodeScripts {
    private static final Path SCRIPTS = Path.of("src/test/node");

    private NodeScripts() {
    }

    /** Skips the test unless the npm package is installed. */
    static void assumeInstalled(String npmPackage) {
        assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules").resolve(npmPackage)), "npm ci --prefix it/src/test/node first");
    }

    /** Runs the script with its arguments: the JSON it printed last, after it ended with 0 within 120 s. */
    static JsonNode run(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process node;
        try {
            node = new ProcessBuilder(command).directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "node is not on the PATH: " + e.getMessage());
            throw e;
        }
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("the script ended within 120 s").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(node.exitValue()).as(output).isZero();
        return new ObjectMapper().readTree(output.substring(output.lastIndexOf('\n') + 1));
    }
}
