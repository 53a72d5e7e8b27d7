package io.onsbridge.domain.mqtt;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** One page of a device's history as QueryMqttTraceDevice answers it: order, page arithmetic, the time format. */
final class TracePage {
    /** {@code yyyy-MM-dd HH:mm:ss.SSS}, without a zone; the bridge writes UTC (docs/mqtt-api.md). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private TracePage() {
    }

    /** Page {@code page} (from 1) of {@code size} of the events, oldest first or (reverse) newest first; empty past the end. */
    static <T> List<T> page(List<T> inTimeOrder, int page, int size, boolean reverse) {
        long from = (long) (page - 1) * size;
        if (from >= inTimeOrder.size()) {
            return List.of();
        }
        int to = (int) Math.min(inTimeOrder.size(), from + size);
        List<T> slice = new ArrayList<>(to - (int) from);
        for (int i = (int) from; i < to; i++) {
            slice.add(inTimeOrder.get(reverse ? inTimeOrder.size() - 1 - i : i));
        }
        return slice;
    }

    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
