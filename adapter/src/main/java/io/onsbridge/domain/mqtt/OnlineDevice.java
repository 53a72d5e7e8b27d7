package io.onsbridge.domain.mqtt;

import java.util.List;

/**
 * A connected device as a bridge reports it in its snapshot (short names: a snapshot holds many).
 *
 * @param i  ONS instance ID
 * @param c  client ID
 * @param ch channel id
 * @param r  remote address
 * @param ca connected at, epoch ms
 * @param lt last activity, epoch ms
 * @param s  subscriptions
 */
record OnlineDevice(String i, String c, String ch, String r, long ca, long lt, List<Sub> s) {
    /** One subscription: parent topic, sub topic ({@code /b/+}, empty for the parent itself), QoS. */
    record Sub(String p, String st, int q) {
    }

    OnlineDevice {
        s = s == null ? List.of() : List.copyOf(s);
    }

    /** The client ID's group: {@code GID_x} of {@code GID_x@@@device}, the whole id when it has no separator. */
    String groupId() {
        int at = c.indexOf("@@@");
        return at < 0 ? c : c.substring(0, at);
    }
}
