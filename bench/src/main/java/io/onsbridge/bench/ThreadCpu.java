package io.onsbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The CPU time a process's threads of some names have spent ({@code /proc/<pid>/task/<tid>/schedstat}), kept from one
 * reading to the next so that it never goes down: a thread that ends (HotSpot starts and stops JIT compiler threads
 * as their queue grows and shrinks) keeps the time it was last seen with, where a sum over the threads alive would
 * lose it and a difference of two readings could come out negative. Only the time between a thread's last reading
 * and its end is missed.
 */
final class ThreadCpu {
    private final long pid;
    private final Predicate<String> named;
    private final Map<String, Long> lastSeen = new HashMap<>();

    ThreadCpu(long pid, Predicate<String> named) {
        this.pid = pid;
        this.named = named;
    }

    /** In nanoseconds, since the process started. */
    synchronized long nanos() throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (named.test(Files.readString(task.resolve("comm")).trim())) {
                        long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                        lastSeen.merge(task.getFileName().toString(), nanos, Math::max);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile: its last reading stays
                }
            }
        }
        long total = 0;
        for (long nanos : lastSeen.values()) {
            total += nanos;
        }
        return total;
    }
}
