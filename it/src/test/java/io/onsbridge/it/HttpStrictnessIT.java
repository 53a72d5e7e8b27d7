package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Leniencies an attacker could use, each refused with the gateway's {@code InvalidParameter}: a signed
 * parameter repeated after signing, an escape that is not UTF-8, a request with both Content-Length and
 * chunked encoding (request smuggling behind a proxy), an HTTP/1.1 request without Host.
 */
@OnsBridgeTest
class HttpStrictnessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Bridge bridge;

    HttpStrictnessIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    private RawOnsCall regionList() {
        return new RawOnsCall("OnsRegionList", bridge.accessKeyId, bridge.accessKeySecret);
    }

    @Test
    void aParameterRepeatedAfterSigningIsRefused() throws Exception {
        URI signed = regionList().signedUri(bridge.hostPort());
        assertThat(RawOnsCall.send(signed).statusCode()).isEqualTo(200);
        URI tampered = URI.create(regionList().signedUri(bridge.hostPort()) + "&Action=OnsInstanceDelete");
        HttpResponse<String> answer = RawOnsCall.send(tampered);
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.path("Code").asText()).isEqualTo("InvalidParameter");
        assertThat(error.path("Message").asText()).contains("\"Action\" is given more than once");
    }

    @Test
    void anEscapeThatIsNotUtf8IsRefusedNotReplaced() throws Exception {
        URI signed = regionList().with("Remark", "\ufffd").signedUri(bridge.hostPort());
        assertThat(RawOnsCall.send(signed).statusCode()).isEqualTo(200); // U+FFFD sent as UTF-8 is fine
        // The same signature over %FF, which a lenient decoder would turn into U+FFFD.
        URI lenient = URI.create(signed.toString().replace("Remark=%EF%BF%BD", "Remark=%FF"));
        assertThat(lenient).isNotEqualTo(signed);
        HttpResponse<String> answer = RawOnsCall.send(lenient);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("Message").asText()).contains("not valid UTF-8");
    }

    @Test
    void contentLengthWithChunkedIsRefusedAndTheHiddenRequestNeverRuns() throws Exception {
        String hidden = "GET " + regionList().signedUri(bridge.hostPort()).toString().replaceFirst("^http://[^/]+", "")
                + " HTTP/1.1\r\nHost: x\r\n\r\n";
        String body = "0\r\n\r\n" + hidden;
        String smuggling = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        String answers = exchange(smuggling);
        assertThat(answers).startsWith("HTTP/1.1 400").contains("InvalidParameter").contains("Transfer-Encoding");
        assertThat(answers.split("HTTP/1.1 ", -1)).as("one answer, the hidden request never ran").hasSize(2);
    }

    @Test
    void anHttp11RequestWithoutHostIsRefused() throws Exception {
        String path = regionList().signedUri(bridge.hostPort()).toString().replaceFirst("^http://[^/]+", "");
        assertThat(exchange("GET " + path + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400").contains("Host header");
        assertThat(exchange("GET " + path.replace("SignatureNonce=", "SignatureNonce=2") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 ").doesNotContain("Host header");
    }

    /** Writes raw bytes, reads until the server closes the connection. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(bridge.hostPort().split(":")[1])), 2_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.write(buffer, 0, n);
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }
}
