package io.onsbridge.tracecollector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers for the few strings that repeat across millions of trace records (groups, topics, tags,
 * hosts), so each record stores a small number instead of a string. Bounded: once full, new strings
 * are stored inline by {@link TraceCodec}. Not thread-safe; {@link TraceStore} guards it.
 */
final class StringTable {
    static final int NONE = -1;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private final int maxStrings;
    private final long maxChars;
    private long chars;

    StringTable(int maxStrings, long maxChars) {
        this.maxStrings = maxStrings;
        this.maxChars = maxChars;
    }

    /** The last string looked up and its number: names repeat from one record to the next. */
    private final String[] recent = new String[8];
    private final int[] recentIds = new int[8];

    /**
     * The string's number, or {@link #NONE} when the table is full and the string is new.
     *
     * @param slot which recent-string slot to try first (one per field), 0 to 7
     */
    int idOf(String s, int slot) {
        if (s.equals(recent[slot])) {
            return recentIds[slot];
        }
        int id = idOf(s);
        recent[slot] = s;
        recentIds[slot] = id;
        return id;
    }

    /** The string's number, or {@link #NONE} when the table is full and the string is new. */
    int idOf(String s) {
        Integer id = ids.get(s);
        if (id != null) {
            return id;
        }
        if (strings.size() >= maxStrings || chars + s.length() > maxChars) {
            return NONE;
        }
        int next = strings.size();
        strings.add(s);
        ids.put(s, next);
        chars += s.length();
        return next;
    }

    String get(int id) {
        return strings.get(id);
    }

    int size() {
        return strings.size();
    }

    /** Heap the table holds, roughly: two map/list references and the string itself per entry. */
    long bytes() {
        return strings.size() * 88L + chars;
    }
}
