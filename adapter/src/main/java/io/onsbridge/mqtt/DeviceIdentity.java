package io.onsbridge.mqtt;

import io.onsbridge.domain.mqtt.MqttInstanceIds;
import io.onsbridge.protocol.auth.HmacSha1;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Who a device says it is, by ApsaraMQ for MQTT's rules (docs/mqtt.md): client id {@code GID_xxx@@@deviceId},
 * username {@code Signature|AccessKeyId|InstanceId}, password {@code Base64(HMAC-SHA1(AccessKeySecret, ClientId))}.
 */
record DeviceIdentity(String groupId, String deviceId) {
    static final String SEPARATOR = "@@@";
    static final String SIGNATURE_MODE = "Signature";
    /** A group id: GID_ or GID- and letters, digits, '-' or '_', 7 to 64 characters in all. */
    private static final Pattern GROUP = Pattern.compile("GID[_-][A-Za-z0-9_-]{3,60}");
    /** A device id: letters, digits and ApsaraMQ's few marks; the whole client id is at most 64 characters. */
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final int MAX_CLIENT_ID = 64;

    /**
     * Username {@code Signature|AccessKeyId|InstanceId}, split; the instance as its ONS id, whether the device named it
     * so or in its MQTT form {@code mqtt-<ONS id>} (docs/mqtt-api.md#instance-ids).
     */
    record Username(String mode, String accessKeyId, String instanceId) {
        /** Null unless it has exactly three non-empty parts. */
        static Username parse(String username) {
            if (username == null) {
                return null;
            }
            String[] parts = username.split("\\|", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                return null;
            }
            return new Username(parts[0], parts[1], MqttInstanceIds.onsInstanceId(parts[2]));
        }
    }

    /** The client id's group and device; null when the client id does not have that form. */
    static DeviceIdentity parse(String clientId) {
        if (clientId == null || clientId.length() > MAX_CLIENT_ID) {
            return null;
        }
        int at = clientId.indexOf(SEPARATOR);
        if (at < 0) {
            return null;
        }
        String group = clientId.substring(0, at);
        String device = clientId.substring(at + SEPARATOR.length());
        return GROUP.matcher(group).matches() && DEVICE.matcher(device).matches() ? new DeviceIdentity(group, device) : null;
    }

    /** The Signature-mode password of a client id. */
    static String password(String secret, String clientId) {
        return HmacSha1.base64(secret, clientId);
    }

    /** Whether the password the device sent is the client id's signature, compared in constant time. */
    static boolean passwordMatches(String secret, String clientId, byte[] password) {
        return password != null
                && MessageDigest.isEqual(password(secret, clientId).getBytes(StandardCharsets.UTF_8), password);
    }
}
