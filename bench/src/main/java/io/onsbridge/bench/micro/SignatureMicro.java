package io.onsbridge.bench.micro;

import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.auth.CredentialStore;
import io.onsbridge.protocol.auth.RpcSignature;
import io.onsbridge.protocol.auth.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    }

    @Benchmark
    public String verify() {
        return verifier.verify(request.httpMethod(), request.params());
    }

    @Benchmark
    public byte[] bareHmac() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec((SECRET + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return mac.doFinal(stringToSign);
    }
}
