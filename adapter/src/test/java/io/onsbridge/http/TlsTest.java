package io.onsbridge.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatCannotBeReadIsNamedWithItsSetting() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> Tls.fromPem(0, missing, missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--https-cert " + missing + ": cannot be read");
    }

    @Test
    void filesThatAreNotPemAreRefusedNamingBothSettings() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key");
        assertThatThrownBy(() -> Tls.fromPem(0, cert, key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--https-cert " + cert).hasMessageContaining("--https-key " + key).hasMessageContaining("PKCS#8");
    }
}
