package io.onsbridge.bench;

import io.onsbridge.protocol.auth.RpcSignature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small load generator for loopback HTTP: {@code connections} keep-alive sockets, one thread each,
 * sending a freshly signed ONS GET as soon as the previous answer is read. Every request is signed with
 * the bridge's own {@link RpcSignature} and a new nonce, whatever the target, so both sides of a
 * comparison pay the same client cost (the bridge refuses a replayed nonce).
 */
final class HttpLoad {
    private final int port;
    private final String action;
    private final String accessKeyId;
    private final String secret;
    private final Map<String, String> actionParams;

    HttpLoad(int port, String action, String accessKeyId, String secret) {
        this(port, action, accessKeyId, secret, Map.of());
    }

    HttpLoad(int port, String action, String accessKeyId, String secret, Map<String, String> actionParams) {
        this.port = port;
        this.action = action;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.actionParams = Map.copyOf(actionParams);
    }

    /** One answer: status and body. */
    record Answer(int status, String contentType, byte[] body) {
    }

    /** A freshly signed request line and headers, ready to write. */
    byte[] signedRequest() {
        Map<String, String> params = new TreeMap<>(actionParams);
        params.put("Action", action);
        params.put("Format", "JSON");
        params.put("Version", "2019-02-14");
        params.put("AccessKeyId", accessKeyId);
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        String signature = RpcSignature.sign(secret, RpcSignature.stringToSign("GET", params));
        String query = RpcSignature.canonicalizedQuery(params) + "&Signature=" + RpcSignature.percentEncode(signature);
        return ("GET /?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A single call on a connection of its own: what the replay server will answer with. */
    Answer once() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(signedRequest());
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** Requests per second over {@code seconds}, all connections together; every answer must be 200. */
    double run(int connections, double seconds) throws Exception {
        AtomicLong answered = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                try (Socket socket = connect()) {
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    long count = 0;
                    while (System.nanoTime() < deadline) {
                        out.write(signedRequest());
                        out.flush();
                        Answer answer = read(in);
                        if (answer.status() != 200) {
                            throw new IllegalStateException("HTTP " + answer.status() + ": " + new String(answer.body(), StandardCharsets.UTF_8));
                        }
                        count++;
                    }
                    answered.addAndGet(count);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "bench-load-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("load on port " + port + " failed", failures.get(0));
        }
        return answered.get() / elapsed;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Reads one HTTP/1.1 response with a Content-Length (both servers always send one). */
    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("the server closed the connection");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = -1;
        String type = null;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).trim());
            } else if (lower.startsWith("content-type:")) {
                type = header.substring(13).trim();
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in the answer");
        }
        return new Answer(code, type, in.readNBytes(length));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
