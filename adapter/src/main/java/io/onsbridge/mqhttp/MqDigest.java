package io.onsbridge.mqhttp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MessageBodyMD5: the MD5 of the body's bytes in upper-case hex, as ONS answers it. */
final class MqDigest {
    private MqDigest() {
    }

    static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
