package io.onsbridge.bench.micro;

import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.auth.AcsSignatureV3;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.RpcSignature;
import io.onsbridge.protocol.auth.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verifying the signature of a Tea SDK request (its parameters as the SDK sends OnsTopicList) with the
 * bridge's {@link SignatureVerifier}, against the bare HMAC-SHA1 of the same string to sign that any
 * verifier must compute. Each call gets a request with a fresh nonce, made outside the measured time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureMicro {
    private static final String KEY = "LTAImicro";
    private static final String SECRET = "micro-secret-0123456789";

    private final SignatureVerifier verifier = new SignatureVerifier(new CredentialStore(Map.of(KEY, SECRET)), Clock.systemUTC(),
            SignatureVerifier.DEFAULT_WINDOW, 200_000);
    private OnsRequest request;
    private byte[] stringToSign;
    private OnsRequest v3Request;
    private byte[] v3StringToSign;

    @Setup(Level.Invocation)
    public void freshRequest() {
        Map<String, String> params = new TreeMap<>();
        params.put("Action", "OnsTopicList");
        params.put("Format", "json");
        params.put("Version", "2019-02-14");
        params.put("AccessKeyId", KEY);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        params.put("RegionId", "cn-hangzhou");
        params.put("InstanceId", "MQ_INST_1234567890_BXaBcDeF");
        String toSign = RpcSignature.stringToSign("POST", params);
        params.put("Signature", RpcSignature.sign(SECRET, toSign));
        request = new OnsRequest("micro", "POST", params);
        stringToSign = toSign.getBytes(StandardCharsets.UTF_8);
        freshV3Request();
    }

    private void freshV3Request() {
        byte[] body = "InstanceId=MQ_INST_1234567890_BXaBcDeF".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", "127.0.0.1:8080");
        headers.put("content-type", "application/x-www-form-urlencoded");
        headers.put("x-acs-action", "OnsTopicList");
        headers.put("x-acs-version", "2019-02-14");
        headers.put("x-acs-date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        headers.put("x-acs-signature-nonce", UUID.randomUUID().toString());
        headers.put("x-acs-content-sha256", AcsSignatureV3.sha256Hex(body));
        List<String> signed = List.copyOf(headers.keySet());
        String toSign = AcsSignatureV3.stringToSign(AcsSignatureV3.canonicalRequest("POST", "/", Map.of(), headers, signed,
                AcsSignatureV3.sha256Hex(body)));
        headers.put("authorization", AcsSignatureV3.ALGORITHM + " Credential=" + KEY + ",SignedHeaders=" + String.join(";", signed)
                + ",Signature=" + AcsSignatureV3.sign(SECRET, toSign));
        headers.put("user-agent", "AlibabaCloud (Linux; amd64) Java/17 tea-util/0.2.27 TeaDSL/1");
        headers.put("accept", "application/json");
        v3Request = new OnsRequest("micro", "POST", "/", Map.of(), Map.of("InstanceId", "MQ_INST_1234567890_BXaBcDeF"), headers, body);
        v3StringToSign = toSign.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String verify() {
        return verifier.verify(request);
    }

    @Benchmark
    public String verifyV3() {
        return verifier.verify(v3Request);
    }

    @Benchmark
    public byte[] bareHmac() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec((SECRET + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return mac.doFinal(stringToSign);
    }

    @Benchmark
    public byte[] bareHmacSha256() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(v3StringToSign);
    }
}
