package io.onsbridge.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Base64(HMAC-SHA1(key, data)), the signature of the RPC API and of an MQTT device's password; one Mac per thread,
 * kept keyed with the last key it was given: a thread mostly checks one caller's calls after another, and a Mac is
 * ready for the same key again once it has signed.
 */
public final class HmacSha1 {
    private static final ThreadLocal<KeyedMac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return new KeyedMac(Mac.getInstance("HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    });

    private static final class KeyedMac {
        final Mac mac;
        String key;

        KeyedMac(Mac mac) {
            this.mac = mac;
        }
    }

    private HmacSha1() {
    }

    public static String base64(String key, String data) {
        try {
            KeyedMac keyed = MACS.get(); // looking a Mac up costs more than the HMAC itself
            if (!key.equals(keyed.key)) {
                keyed.key = null; // not keyed with either if init fails
                keyed.mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                keyed.key = key;
            }
            return Base64.getEncoder().encodeToString(keyed.mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
