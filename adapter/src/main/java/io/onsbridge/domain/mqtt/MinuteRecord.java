package io.onsbridge.domain.mqtt;

import java.util.List;
import java.util.Map;

/**
 * What one bridge counted over one interval (a minute by default), as written to the MQTT topic.
 *
 * @param b  the bridge
 * @param t0 start of the interval, epoch ms
 * @param t1 its end: the online counts are as of then
 * @param on online devices by {@code instance/group}
 * @param tr messages published and delivered
 */
record MinuteRecord(String b, long t0, long t1, Map<String, Long> on, List<Trans> tr) {
    /**
     * Messages of one kind: instance, parent topic, sub topic (null: several sub topics, counted together once
     * a bridge's distinct kinds passed its bound), QoS, P2P, direction ({@code PUB} or {@code SUB}), count.
     */
    record Trans(String i, String p, String st, int q, boolean p2p, String d, long n) {
    }

    MinuteRecord {
        on = on == null ? Map.of() : Map.copyOf(on);
        tr = tr == null ? List.of() : List.copyOf(tr);
    }

    /** The time the record stands for in a curve: the middle of its interval. */
    long middle() {
        return t0 + (t1 - t0) / 2;
    }

    static String onlineKey(String instanceId, String groupId) {
        return instanceId + "/" + groupId;
    }
}
