package io.onsbridge.domain.consumer;

import java.util.ArrayList;
import java.util.List;

/**
 * The thread dump a RocketMQ client sends in its running info (UtilAll.jstack): one block per thread,
 * blocks separated by a blank line, every line prefixed by the thread name padded to 40 characters,
 * the first line being "TID: n STATE: s".
 */
final class JstackText {
    private static final int NAME_WIDTH = 40;

    record ThreadTrack(String thread, List<String> track) {
    }

    private JstackText() {
    }

    static List<ThreadTrack> parse(String jstack) {
        List<ThreadTrack> threads = new ArrayList<>();
        if (jstack == null || jstack.isBlank()) {
            return threads;
        }
        for (String block : jstack.split("\\R\\s*\\R")) {
            List<String> lines = block.lines().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                continue;
            }
            String first = lines.get(0);
            int tid = first.indexOf("TID:");
            String name = (tid > 0 ? first.substring(0, tid) : first).trim();
            List<String> track = new ArrayList<>();
            for (String line : lines) {
                track.add(line.length() > NAME_WIDTH && line.startsWith(name) ? line.substring(Math.max(NAME_WIDTH, name.length())).trim()
                        : line.trim());
            }
            threads.add(new ThreadTrack(name, track));
        }
        return threads;
    }
}
