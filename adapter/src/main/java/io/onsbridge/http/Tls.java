package io.onsbridge.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HTTPS side of the endpoint: the port it listens on and the certificate it shows (docs/mqhttp.md#https).
 * Netty's TLS (the JDK's provider), nothing of our own.
 */
public record Tls(int port, SslContext context) {

    /**
     * Reads a PEM certificate chain and its PEM private key (PKCS#8, unencrypted). Any problem is an
     * IllegalArgumentException naming the file and the setting, so that the bridge does not start.
     */
    public static Tls fromPem(int port, Path certificate, Path privateKey) {
        byte[] chain = read(certificate, "--https-cert");
        byte[] key = read(privateKey, "--https-key");
        try {
            return new Tls(port, SslContextBuilder.forServer(new ByteArrayInputStream(chain), new ByteArrayInputStream(key)).build());
        } catch (IOException | RuntimeException e) {
            // Netty says which part it could not read (certificates or key), not which file: we add that.
            throw new IllegalArgumentException("--https-cert " + certificate + " / --https-key " + privateKey
                    + ": not a PEM certificate chain and its unencrypted PKCS#8 PEM private key (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] read(Path file, String setting) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + ": cannot be read (" + e + ")", e);
        }
    }
}
