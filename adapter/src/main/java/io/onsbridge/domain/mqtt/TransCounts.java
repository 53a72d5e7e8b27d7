package io.onsbridge.domain.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages published and delivered by this bridge's devices since the last minute record, by kind. Counting
 * costs a map lookup and an add on the channel's thread. Bounded: past {@link #MAX_KINDS} distinct kinds in
 * an interval, new sub topics are counted together under their parent (sub topic null), which a SubTopic
 * filter then does not see.
 */
final class TransCounts {
    static final int MAX_KINDS = 10_000;

    private record Kind(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p, String direction) {
    }

    private volatile Map<Kind, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p, String direction) {
        Map<Kind, LongAdder> current = counts;
        Kind kind = new Kind(instanceId, parentTopic, subTopic == null ? "" : subTopic, qos, p2p, direction);
        LongAdder adder = current.get(kind);
        if (adder == null) {
            if (current.size() >= MAX_KINDS) {
                kind = new Kind(instanceId, parentTopic, null, qos, p2p, direction);
            }
            adder = current.computeIfAbsent(kind, k -> new LongAdder());
        }
        adder.increment();
    }

    /** What was counted since the last call; counting goes on in a fresh map. */
    List<MinuteRecord.Trans> takeAll() {
        Map<Kind, LongAdder> taken = counts;
        counts = new ConcurrentHashMap<>();
        List<MinuteRecord.Trans> all = new ArrayList<>(taken.size());
        taken.forEach((k, n) -> all.add(new MinuteRecord.Trans(k.instanceId(), k.parentTopic(), k.subTopic(), k.qos(), k.p2p(),
                k.direction(), n.sum())));
        return all;
    }
}
