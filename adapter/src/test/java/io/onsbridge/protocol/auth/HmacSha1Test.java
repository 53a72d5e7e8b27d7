package io.onsbridge.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha1Test {

    @Test
    void eachCallIsSignedWithItsOwnKeyWhenTheThreadsKeyChanges() throws Exception {
        // The thread's Mac stays keyed with the last key: a change of key must re-key it, a return to it too.
        for (String key : new String[] {"secretA&", "secretA&", "secretB&", "secretA&", "x"}) {
            assertThat(HmacSha1.base64(key, "GET&%2F&A%3D1")).as(key).isEqualTo(plainJdk(key, "GET&%2F&A%3D1"));
        }
    }

    private static String plainJdk(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }
}
