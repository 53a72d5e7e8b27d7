package io.onsbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.auth.AcsSignatureV3;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.RpcSignature;
import io.onsbridge.protocol.auth.SignatureVerifier;
import io.onsbridge.protocol.render.RenderedResponse;
import io.onsbridge.protocol.render.ResponseRenderer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestProcessorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = "2020-01-01T12:00:00Z";
    private static final String KEY = "testid";
    private static final String SECRET = "testsecret";

    private final AtomicInteger regionListCalls = new AtomicInteger();
    private final AtomicInteger nonces = new AtomicInteger();
    private final List<String> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the asynchronous action answers: completed by the test, as the cluster client's thread would. */
    private final CompletableFuture<WireObject> later = new CompletableFuture<>();
    /** The threads the blocking start of OnsQuickWhenKnown ran on. */
    private final List<String> startedBlocking = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RequestProcessor processor = new RequestProcessor(
            new SignatureVerifier(new CredentialStore(Map.of(KEY, SECRET)), Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC),
                    SignatureVerifier.DEFAULT_WINDOW, 1_000),
            new ActionRegistry()
                    .register(ActionRegistry.ONS_VERSION, "OnsRegionList", request -> {
                        regionListCalls.incrementAndGet();
                        return WireObject.of().with("Data", WireList.wrapped("RegionDo",
                                List.of(WireObject.of().with("OnsRegionId", "cn-hangzhou"))));
                    })
                    .register(ActionRegistry.ONS_VERSION, "OnsBroken", request -> {
                        throw new IllegalStateException("internal detail xyz-42");
                    })
                    .register(ActionRegistry.ONS_VERSION, "OnsInstanceBaseInfo", request -> {
                        throw OnsErrors.instanceNotFound(request.required("InstanceId"));
                    })
                    .register(ActionRegistry.ONS_VERSION, "OnsMessageGetByKey", OnsAction.async(request -> {
                        request.required("Key"); // refused before the future exists
                        return later;
                    }))
                    .register(ActionRegistry.ONS_VERSION, "OnsQuickWhenKnown", OnsAction.async(request -> {
                        startedBlocking.add(Thread.currentThread().getName());
                        return later;
                    }, request -> request.required("Key").equals("known") ? later : null)),
            new ResponseRenderer("ons.test"),
            (action, code, nanos) -> observed.add(action + " " + code + (nanos > 0 ? "" : " no time")));

    @Test
    void everyCallIsObservedWithItsActionAndCodeAndUnknownActionsShareOneLabel() {
        processor.process(signed("OnsRegionList", Map.of("Format", "JSON")));
        processor.process(signed("OnsInstanceBaseInfo", Map.of("Format", "JSON", "InstanceId", "MQ_INST_x")));
        processor.process(signed("OnsBroken", Map.of("Format", "JSON")));
        processor.process(signed("OnsMadeUp" + nonces.get(), Map.of("Format", "JSON")));
        assertThat(observed).containsExactly("OnsRegionList OK", "OnsInstanceBaseInfo INSTANCE_NOT_FOUND",
                "OnsBroken ONS_SYSTEM_ERROR", CallObserver.UNKNOWN_ACTION + " InvalidAction.NotFound");
    }

    @Test
    void signedRequestForAKnownActionSucceedsInJson() throws Exception {
        RenderedResponse response = processor.process(signed("OnsRegionList", Map.of("Format", "JSON")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode root = JSON.readTree(response.body());
        assertThat(root.get("RequestId").asText()).isEqualTo("RID-1");
        assertThat(root.at("/Data/RegionDo/0/OnsRegionId").asText()).isEqualTo("cn-hangzhou");
        assertThat(regionListCalls).hasValue(1);
    }

    @Test
    void successWithoutFormatIsXmlWithTheActionResponseRoot() {
        RenderedResponse response = processor.process(signed("OnsRegionList", Map.of()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/xml");
        assertThat(text(response)).contains("<OnsRegionListResponse><RequestId>RID-1</RequestId><Data><RegionDo>");
    }

    @Test
    void unknownVersionIsInvalidVersion400() throws Exception {
        JsonNode error = assertError(processor.process(signed("OnsRegionList", Map.of("Format", "JSON", "Version", "2014-05-26"))),
                400, "InvalidVersion");
        assertThat(error.get("Message").asText()).contains("2019-02-14");
    }

    @Test
    void unknownActionIsInvalidActionNotFound404() throws Exception {
        assertError(processor.process(signed("OnsNope", Map.of("Format", "JSON"))), 404, "InvalidAction.NotFound");
    }

    @Test
    void anActionAnsweringAsAFutureIsRenderedAndObservedWhenItCompletes() throws Exception {
        CompletableFuture<RenderedResponse> answer = processor.processAsync(signed("OnsMessageGetByKey",
                Map.of("Format", "JSON", "Key", "k1")));
        assertThat(answer).isNotDone();
        assertThat(observed).isEmpty();

        later.complete(WireObject.of().with("Data", "found"));

        assertThat(answer).isDone();
        assertThat(JSON.readTree(answer.join().body()).get("Data").asText()).isEqualTo("found");
        assertThat(observed).containsExactly("OnsMessageGetByKey OK");
    }

    @Test
    void anActionFailingLaterIsAnsweredWithItsErrorAndAnUnexpectedFailureWithoutDetail() throws Exception {
        CompletableFuture<RenderedResponse> answer = processor.processAsync(signed("OnsMessageGetByKey",
                Map.of("Format", "JSON", "Key", "k1")));
        later.completeExceptionally(new IllegalStateException("internal detail xyz-42"));

        assertError(answer.join(), 500, "ONS_SYSTEM_ERROR");
        assertThat(text(answer.join())).doesNotContain("xyz-42");
        assertThat(observed).containsExactly("OnsMessageGetByKey ONS_SYSTEM_ERROR");
    }

    @Test
    void anActionAnsweringAsAFutureStillRefusesItsParametersAtOnce() throws Exception {
        CompletableFuture<RenderedResponse> answer = processor.processAsync(signed("OnsMessageGetByKey", Map.of("Format", "JSON")));

        assertThat(answer).isDone();
        assertError(answer.join(), 400, "MissingParameter");
        assertThat(later).isNotDone();
    }

    @Test
    void runtimeExceptionInAnActionIsOnsSystemError500WithoutStackTraceOrDetail() throws Exception {
        RenderedResponse response = processor.process(signed("OnsBroken", Map.of("Format", "JSON")));
        JsonNode error = assertError(response, 500, "ONS_SYSTEM_ERROR");
        assertThat(error.get("RequestId").asText()).isEqualTo("RID-1");
        assertThat(text(response)).doesNotContain("\tat ").doesNotContain("io.onsbridge").doesNotContain("xyz-42");
    }

    @Test
    void onsExceptionFromAnActionKeepsItsCodeAndStatus() throws Exception {
        RenderedResponse response = processor.process(signed("OnsInstanceBaseInfo", Map.of("Format", "JSON", "InstanceId", "MQ_INST_9")));
        JsonNode error = assertError(response, 404, "INSTANCE_NOT_FOUND");
        assertThat(error.get("Message").asText()).contains("MQ_INST_9");
    }

    @Test
    void badFormatIsAnsweredAsJsonError() throws Exception {
        RenderedResponse response = processor.process(signed("OnsRegionList", Map.of("Format", "YAML")));
        assertThat(response.contentType()).isEqualTo("application/json;charset=utf-8");
        JsonNode error = assertError(response, 400, "BIZ_FIELD_CHECK_INVALID");
        assertThat(error.get("Message").asText()).contains("Format");
        assertThat(regionListCalls).hasValue(0);
    }

    @Test
    void badSignatureIsRejectedInTheRequestedFormatWithoutRunningTheAction() {
        Map<String, String> params = new LinkedHashMap<>(signed("OnsRegionList", Map.of()).params().all());
        params.put("Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        RenderedResponse response = processor.process(new OnsRequest("RID-1", "POST", params));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/xml");
        assertThat(text(response)).contains("<Error>").contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(regionListCalls).hasValue(0);
    }

    @Test
    void signedRequestWithoutActionIsMissingParameter() throws Exception {
        Map<String, String> params = common(null);
        params.put("Format", "JSON");
        JsonNode error = assertError(processor.process(sign(params)), 400, "MissingParameter");
        assertThat(error.get("Message").asText()).contains("\"Action\"");
    }

    @Test
    void v3RequestIsDispatchedOnItsHeadersAndAnsweredInJson() throws Exception {
        RenderedResponse response = processor.process(v3("OnsRegionList", SECRET));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(response.body()).at("/Data/RegionDo/0/OnsRegionId").asText()).isEqualTo("cn-hangzhou");
    }

    @Test
    void v3RequestWithAWrongSignatureIsRefusedInJsonWithoutRunningTheAction() throws Exception {
        JsonNode error = assertError(processor.process(v3("OnsRegionList", "not-the-secret")), 400, "SignatureDoesNotMatch");
        assertThat(error.get("Message").asText()).contains("x-acs-action:OnsRegionList");
        assertThat(regionListCalls).hasValue(0);
    }

    @Test
    void rejectRendersAJsonErrorWithTheGivenRequestId() throws Exception {
        RenderedResponse response = processor.reject("RID-9", OnsErrors.overloaded());
        JsonNode error = assertError(response, 503, "ServiceUnavailable");
        assertThat(error.get("RequestId").asText()).isEqualTo("RID-9");
    }

    @Test
    void anActionThatCanStartWithoutBlockingStartsOnTheCallersThreadAndElseOnTheExecutorForBlockingWork() throws Exception {
        List<Runnable> blocking = new java.util.ArrayList<>();
        CompletableFuture<RenderedResponse> known = processor.processAsync(signed("OnsQuickWhenKnown",
                Map.of("Format", "JSON", "Key", "known")), blocking::add);
        assertThat(blocking).isEmpty();
        assertThat(known).isNotDone();

        CompletableFuture<RenderedResponse> unknown = processor.processAsync(signed("OnsQuickWhenKnown",
                Map.of("Format", "JSON", "Key", "other")), blocking::add);
        assertThat(blocking).hasSize(1);
        assertThat(startedBlocking).isEmpty();
        Thread worker = new Thread(blocking.get(0), "a-worker");
        worker.start();
        worker.join();
        assertThat(startedBlocking).containsExactly("a-worker");

        later.complete(WireObject.of().with("Data", "found"));
        assertThat(JSON.readTree(known.join().body()).get("Data").asText()).isEqualTo("found");
        assertThat(JSON.readTree(unknown.join().body()).get("Data").asText()).isEqualTo("found");
    }

    @Test
    void anActionThatMustBlockWhileTheExecutorIsFullIsAnsweredServiceUnavailable() throws Exception {
        CompletableFuture<RenderedResponse> answer = processor.processAsync(signed("OnsRegionList", Map.of("Format", "JSON")), task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        });

        assertError(answer.join(), 503, "ServiceUnavailable");
        assertThat(regionListCalls).hasValue(0);
        assertThat(observed).containsExactly("OnsRegionList ServiceUnavailable");
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** The common parameters of a fresh call (own nonce), plus Action unless null. */
    private Map<String, String> common(String action) {
        Map<String, String> params = new LinkedHashMap<>();
        if (action != null) {
            params.put("Action", action);
        }
        params.put("Version", ActionRegistry.ONS_VERSION);
        params.put("AccessKeyId", KEY);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", "nonce-" + nonces.incrementAndGet());
        params.put("Timestamp", NOW);
        return params;
    }

    /** A POST of {@code action} with {@code extra} parameters (overriding common ones), correctly signed. */
    private OnsRequest signed(String action, Map<String, String> extra) {
        Map<String, String> params = common(action);
        params.putAll(extra);
        return sign(params);
    }

    private static OnsRequest sign(Map<String, String> params) {
        params.put("Signature", RpcSignature.sign(SECRET, RpcSignature.stringToSign("POST", params)));
        return new OnsRequest("RID-1", "POST", params);
    }

    /** A V3 POST of {@code action}, no parameters, signed with {@code secret}. */
    private OnsRequest v3(String action, String secret) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", "127.0.0.1:8080");
        headers.put("x-acs-action", action);
        headers.put("x-acs-version", ActionRegistry.ONS_VERSION);
        headers.put("x-acs-date", NOW);
        headers.put("x-acs-signature-nonce", "v3-nonce-" + nonces.incrementAndGet());
        headers.put("x-acs-content-sha256", AcsSignatureV3.sha256Hex(new byte[0]));
        List<String> signed = List.copyOf(headers.keySet());
        String toSign = AcsSignatureV3.stringToSign(AcsSignatureV3.canonicalRequest("POST", "/", Map.of(), headers, signed,
                AcsSignatureV3.sha256Hex(new byte[0])));
        headers.put("authorization", AcsSignatureV3.ALGORITHM + " Credential=" + KEY + ",SignedHeaders=" + String.join(";", signed)
                + ",Signature=" + AcsSignatureV3.sign(secret, toSign));
        return new OnsRequest("RID-3", "POST", "/", Map.of(), Map.of(), headers, new byte[0]);
    }

    private static String text(RenderedResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode assertError(RenderedResponse response, int status, String code) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("Code").asText()).isEqualTo(code);
        return error;
    }
}
