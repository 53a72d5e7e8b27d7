package io.onsbridge.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An MQ HTTP request written byte by byte on a socket (Java's HttpClient will not send a Date header), signed
 * as the SDKs sign, for what no SDK would send: hostile bodies, skewed clocks, missing headers.
 */
final class RawMqHttpCall {
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String host;
    private final int port;
    final Map<String, String> headers = new LinkedHashMap<>();
    private final String method;
    private final String target;
    private byte[] body = new byte[0];

    RawMqHttpCall(String hostPort, String method, String target) {
        this.host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        this.port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        this.method = method;
        this.target = target;
        headers.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        headers.put("Content-Type", "text/xml;charset=UTF-8");
        headers.put("x-mq-version", "2015-06-06");
    }

    RawMqHttpCall body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    RawMqHttpCall body(String xml) {
        return body(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs with the headers as they are now: VERB, Content-MD5, Content-Type, Date, sorted x-mq-*, target. */
    RawMqHttpCall sign(String accessKeyId, String secret) throws Exception {
        TreeMap<String, String> mq = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (k.toLowerCase(Locale.ROOT).startsWith("x-mq-")) {
                mq.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        StringBuilder text = new StringBuilder(method).append('\n')
                .append(headers.getOrDefault("Content-MD5", "")).append('\n')
                .append(headers.getOrDefault("Content-Type", "")).append('\n')
                .append(headers.getOrDefault("Date", "")).append('\n');
        mq.forEach((k, v) -> text.append(k).append(':').append(v).append('\n'));
        text.append(target);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        headers.put("Authorization", "MQ " + accessKeyId + ":"
                + Base64.getEncoder().encodeToString(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8))));
        return this;
    }

    /** @param sendBody false to send the headers only (a server that refuses by Content-Length answers before the body) */
    Answer send(boolean sendBody) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(40_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n")
                    .append("Connection: close\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            if (sendBody) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    Answer send() throws IOException {
        return send(true);
    }

    private static Answer parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
