package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker/healthcheck.sh (the image's HEALTHCHECK) run by bash against real bridges: one on the embedded
 * cluster (GET /health 200), one whose name server is gone (503), and a port where nothing listens.
 */
@OnsBridgeTest
class HealthcheckScriptTest {

    @Test
    void healthyWhenTheBridgeAnswers200(OnsBridgeEnvironment ons) throws Exception {
        int port = Integer.parseInt(ons.hostPort().substring(ons.hostPort().lastIndexOf(':') + 1));
        assertThat(healthStatus(port)).isEqualTo(200);
        assertThat(runScript(port)).isZero();
    }

    @Test
    void unhealthyWhenTheClusterIsUnreachable() throws Exception {
        try (OnsBridgeServer bridge = OnsBridgeEnvironment.startServer("127.0.0.1:" + closedPort(), Map.of(), Map.of("id", "secret"))) {
            assertThat(healthStatus(bridge.port())).isEqualTo(503);
            assertThat(runScript(bridge.port())).isEqualTo(1);
        }
    }

    @Test
    void unhealthyWhenNothingListens() throws Exception {
        assertThat(runScript(closedPort())).isEqualTo(1);
    }

    private static int healthStatus(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int runScript(int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", Repository.ROOT.resolve("docker/healthcheck.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ONS_BRIDGE_HTTP_PORT", String.valueOf(port));
        Process process = builder.start();
        // The script gives up after 5 s without an answer; the image's HEALTHCHECK allows it 5 s too.
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("healthcheck.sh finished").isTrue();
        return process.exitValue();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
