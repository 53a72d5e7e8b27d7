package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a connection may hold of the bridge: idle connections are closed after the idle time, a client
 * that trickles its headers after the read time, connections beyond the per-address bound at once, an
 * oversized request gets the documented error body; a normal call is served meanwhile.
 */
@OnsBridgeTest
class ConnectionLimitsIT {
    private static final int IDLE_CONNECTIONS = 300;
    private final Bridge bridge;

    ConnectionLimitsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeWhileCallsAreServed() throws Exception {
        try (OnsBridgeServer server = bridge.startServer(Map.of(Setting.HTTP_IDLE_SECONDS, "2", Setting.HTTP_READ_SECONDS, "10"))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                    idle.add(connect(server));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.openHttpConnections() >= IDLE_CONNECTIONS);
                assertThat(Scrape.of(server.endpoint()).gauge("ons_bridge_http_connections_open", Map.of()))
                        .hasValueSatisfying(open -> assertThat(open).isGreaterThanOrEqualTo(IDLE_CONNECTIONS));
                // Meanwhile a signed call is answered at once.
                HttpResponse<String> answer = RawOnsCall.send(new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret)
                        .signedUri("127.0.0.1:" + server.port()));
                assertThat(answer.statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(15)).until(() -> idle.stream().allMatch(ConnectionLimitsIT::closedByServer));
                await().atMost(Duration.ofSeconds(5)).until(() -> server.openHttpConnections() == 0);
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientThatTricklesItsHeadersIsCutOffAfterTheReadTime() throws Exception {
        try (OnsBridgeServer server = bridge.startServer(Map.of(Setting.HTTP_IDLE_SECONDS, "60", Setting.HTTP_READ_SECONDS, "1"));
             Socket slow = connect(server)) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /?Action=OnsRegionList HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // One more header byte every poll: a connection timed only by idleness would stay open for good.
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250)).until(() -> trickleAndCheckClosed(slow));
        }
    }

    @Test
    void connectionsBeyondThePerAddressBoundAreClosedAtOnce() throws Exception {
        try (OnsBridgeServer server = bridge.startServer(Map.of(Setting.HTTP_MAX_CONNECTIONS_PER_ADDRESS, "3"))) {
            List<Socket> allowed = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    allowed.add(connect(server));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> server.openHttpConnections() == 3);
                try (Socket fourth = connect(server)) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(fourth));
                }
                assertThat(allowed).noneMatch(ConnectionLimitsIT::closedByServer);
            } finally {
                for (Socket socket : allowed) {
                    socket.close();
                }
            }
            // Once they are gone, the address may connect again.
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openHttpConnections() == 0);
            HttpResponse<String> answer = RawOnsCall.send(new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret)
                    .signedUri("127.0.0.1:" + server.port()));
            assertThat(answer.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anOversizedRequestGetsTheDocumentedErrorBody() throws Exception {
        // Headers announcing 9 MiB: the bridge answers before reading any of it.
        String answer;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(bridge.hostPort().split(":")[1])), 2_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + (9 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // it closes after answering
        }
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        JsonNode error = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(error.get("Code").asText()).isEqualTo("InvalidParameter");
        assertThat(error.get("Message").asText()).contains("larger than 8 MiB");
        assertThat(error.get("RequestId").asText()).isNotEmpty();
    }

    private static Socket connect(OnsBridgeServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
        socket.setSoTimeout(50);
        return socket;
    }

    /** The server closed its end: a read answers end of stream (or the connection was reset). */
    private static boolean closedByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false; // nothing to read, still open
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean trickleAndCheckClosed(Socket socket) {
        if (closedByServer(socket)) {
            return true;
        }
        try {
            socket.getOutputStream().write('X');
            socket.getOutputStream().flush();
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
