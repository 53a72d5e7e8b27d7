package io.onsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.ActionRegistry;
import io.onsbridge.protocol.OnsAction;
import io.onsbridge.protocol.RequestProcessor;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.RpcSignature;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.ResponseRenderer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the HTTP front door runs a call: on its event loop while the bridge is nearly idle, else on a worker. */
class OnsHttpHandlerTest {
    private static final String KEY = "handler-key";
    private static final String SECRET = "handler-secret";

    /** The threads the action was started on, in order. */
    private final List<String> startedOn = new CopyOnWriteArrayList<>();
    /** The answers the action gave, in order, completed by the test. */
    private final List<CompletableFuture<WireObject>> answers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nonces = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;

    @AfterEach
    void stop() {
        answers.forEach(a -> a.complete(WireObject.of()));
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCallThatCanStartWithoutBlockingStartsOnTheEventLoopWhileFewAreInProgressThenOnAWorker() throws Exception {
        OnsAction held = OnsAction.async(this::start, this::start);
        RequestProcessor processor = new RequestProcessor(
                new SignatureVerifier(new CredentialStore(Map.of(KEY, SECRET)), Clock.systemUTC(), SignatureVerifier.DEFAULT_WINDOW, 1_000),
                new ActionRegistry().register(ActionRegistry.ONS_VERSION, "OnsHeld", held), new ResponseRenderer("ons.test"));
        server = new HttpServer("127.0.0.1", 0, processor, () -> new HealthProbe.Health(true, Map.of()), MetricsEndpoint.NONE,
                4, 16, new HttpServer.Limits(64, 64, Duration.ofSeconds(30), Duration.ofSeconds(30)), null, null);

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            calls.add(client.sendAsync(signedPost("OnsHeld"), HttpResponse.BodyHandlers.ofString()));
            int started = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> startedOn.size() == started);
        }

        // The first two arrive with none and one other in progress; the third finds two and goes to a worker.
        assertThat(startedOn.subList(0, 2)).allSatisfy(thread -> assertThat(thread).startsWith("ons-http-io"));
        assertThat(startedOn.get(2)).startsWith("ons-worker");
        for (int i = 0; i < answers.size(); i++) {
            answers.get(i).complete(WireObject.of().with("Data", "answer " + i));
        }
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"Data\":\"answer " + i + "\"");
        }

        // All answered: a new call is back on the event loop.
        CompletableFuture<HttpResponse<String>> after = client.sendAsync(signedPost("OnsHeld"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> startedOn.size() == 4);
        assertThat(startedOn.get(3)).startsWith("ons-http-io");
        answers.get(3).complete(WireObject.of().with("Data", "answer 3"));
        assertThat(after.get().statusCode()).isEqualTo(200);
    }

    private CompletableFuture<WireObject> start(io.onsbridge.domain.Params params) {
        CompletableFuture<WireObject> answer = new CompletableFuture<>();
        answers.add(answer);
        startedOn.add(Thread.currentThread().getName());
        return answer;
    }

    private HttpRequest signedPost(String action) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", action);
        params.put("Version", ActionRegistry.ONS_VERSION);
        params.put("Format", "JSON");
        params.put("AccessKeyId", KEY);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", "handler-nonce-" + nonces.incrementAndGet());
        params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        params.put("Signature", RpcSignature.sign(SECRET, RpcSignature.stringToSign("POST", params)));
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }
}
