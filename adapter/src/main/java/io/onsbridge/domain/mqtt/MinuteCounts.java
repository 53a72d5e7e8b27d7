package io.onsbridge.domain.mqtt;

import io.onsbridge.domain.stats.Buckets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The curves of the minute records: online devices of a group, messages of a kind, per bucket, summed over the bridges. */
final class MinuteCounts {
    /** A day of records of 20 bridges. */
    static final int MAX_RECORDS_READ = 30_000;

    private MinuteCounts() {
    }

    /** Per bucket, each bridge's last count of the group in it, summed: the devices online then. */
    static long[] online(List<MinuteRecord> records, Buckets buckets, String instanceId, String groupId) {
        long[] online = new long[buckets.count()];
        String key = MinuteRecord.onlineKey(instanceId, groupId);
        Map<String, MinuteRecord>[] lastByBridge = lastPerBridge(records, buckets);
        for (int i = 0; i < online.length; i++) {
            for (MinuteRecord record : lastByBridge[i].values()) {
                online[i] += record.on().getOrDefault(key, 0L);
            }
        }
        return online;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, MinuteRecord>[] lastPerBridge(List<MinuteRecord> records, Buckets buckets) {
        Map<String, MinuteRecord>[] last = new Map[buckets.count()];
        for (int i = 0; i < last.length; i++) {
            last[i] = new HashMap<>();
        }
        records.stream().sorted(Comparator.comparingLong(MinuteRecord::t1)).forEach(record -> {
            int bucket = bucket(buckets, record.middle());
            if (bucket >= 0 && record.b() != null) {
                last[bucket].put(record.b(), record);
            }
        });
        return last;
    }

    /** Per bucket, the messages of the kinds {@code which} accepts. */
    static long[] messages(List<MinuteRecord> records, Buckets buckets, Predicate<MinuteRecord.Trans> which) {
        long[] counts = new long[buckets.count()];
        for (MinuteRecord record : records) {
            int bucket = bucket(buckets, record.middle());
            if (bucket >= 0) {
                counts[bucket] += record.tr().stream().filter(which).mapToLong(MinuteRecord.Trans::n).sum();
            }
        }
        return counts;
    }

    /** The bucket holding a time, or -1 outside the curve. */
    static int bucket(Buckets buckets, long time) {
        if (time < buckets.start(0) || time >= buckets.start(buckets.count())) {
            return -1;
        }
        return (int) ((time - buckets.start(0)) / buckets.periodMillis());
    }

    /** The finest period of 1, 5 or 10 minutes at which the range fits in a curve (Buckets refuses a longer range). */
    static Buckets buckets(long begin, long end) {
        for (long minutes : new long[] {1, 5}) {
            if (end >= begin && (end - begin) / (minutes * 60_000) + 2 <= Buckets.MAX_POINTS) {
                return Buckets.of(begin, end, minutes);
            }
        }
        return Buckets.of(begin, end, 10);
    }
}
