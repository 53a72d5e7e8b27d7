package io.onsbridge.tracecollector;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collector's memory: every message's trace records in compact form, bounded in bytes and
 * entries, the oldest message evicted first (insertion order: a message is as old as its first record).
 * A message it no longer holds is still found through the broker's index of the trace topic.
 *
 * <p>One writer (the collector) and occasional readers (trace queries): a plain lock is cheaper than
 * any concurrent structure would be per entry.
 */
public final class TraceStore {
    /** Heap per entry besides its data: map entry 40, key 32, array header 16, table slot ~8. */
    static final int ENTRY_OVERHEAD = 96;
    private static final int MAX_STRINGS = 1 << 16;
    private static final long MAX_STRING_CHARS = 4L << 20;

    private final long maxBytes;
    private final int maxEntries;
    private final StringTable strings = new StringTable(MAX_STRINGS, MAX_STRING_CHARS);
    private final TraceCodec codec = new TraceCodec(strings);
    private final LinkedHashMap<Object, byte[]> traces = new LinkedHashMap<>(1 << 12);
    private long dataBytes;
    private long evicted;
    private long records;

    public TraceStore(long maxBytes, int maxEntries) {
        if (maxBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("a trace store needs room: maxBytes and maxEntries must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    public synchronized void addAll(List<TraceEvent> events) {
        for (TraceEvent event : events) {
            Object key = MessageIdKey.of(event.msgId());
            byte[] before = traces.get(key);
            byte[] after = codec.append(before, event);
            traces.put(key, after);
            dataBytes += after.length - (before == null ? 0 : before.length) + (before == null ? overhead(key) : 0);
            records++;
        }
        evictOverflow();
    }

    /** The records held for a message, if any. */
    public synchronized Optional<List<TraceEvent>> events(String msgId) {
        byte[] data = traces.get(MessageIdKey.of(msgId));
        return data == null ? Optional.empty() : Optional.of(codec.decode(msgId, data));
    }

    public synchronized int size() {
        return traces.size();
    }

    /** Estimated heap of everything held, string table included. */
    public synchronized long bytes() {
        return dataBytes + strings.bytes();
    }

    public synchronized long evicted() {
        return evicted;
    }

    public synchronized long records() {
        return records;
    }

    private void evictOverflow() {
        Iterator<Map.Entry<Object, byte[]>> oldest = traces.entrySet().iterator();
        while ((dataBytes + strings.bytes() > maxBytes || traces.size() > maxEntries) && oldest.hasNext()) {
            Map.Entry<Object, byte[]> entry = oldest.next();
            dataBytes -= entry.getValue().length + overhead(entry.getKey());
            oldest.remove();
            evicted++;
        }
    }

    private static long overhead(Object key) {
        return ENTRY_OVERHEAD + (key instanceof String s ? 24L + s.length() : 0);
    }
}
