package io.onsbridge.protocol.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --access-policies} file: read at start (a file that cannot be used stops the start with
 * its line or key and reason), then looked at every {@code interval} and read again when its
 * modification time or size changed. A new version that cannot be used is logged at WARN and the
 * policies in force stay; the file's keys stay accepted with their old secrets until a good version
 * comes. Polling rather than a WatchService: it also sees a file replaced by a rename or on a mounted volume.
 */
public final class AccessPolicyFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessPolicyFile.class);

    private record Stamp(long modifiedNanos, long size) {
    }

    private final Path path;
    private final ResourceScope scope;
    private final Set<String> reservedKeys;
    private final ScheduledExecutorService poller;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile AccessPolicies current;
    private volatile Stamp seen;
    private volatile boolean unreadable;

    private AccessPolicyFile(Path path, ResourceScope scope, Set<String> reservedKeys) {
        this.path = path;
        this.scope = scope;
        this.reservedKeys = Set.copyOf(reservedKeys);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "access-policies-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Reads the file now and starts watching it. */
    public static AccessPolicyFile start(Path path, ResourceScope scope, Set<String> reservedKeys, Duration interval) {
        AccessPolicyFile file = new AccessPolicyFile(path, scope, reservedKeys);
        try {
            file.seen = file.stamp();
            file.current = file.read();
        } catch (IOException e) {
            file.poller.shutdownNow();
            throw new AccessPolicyException(path + ": cannot be read: " + e.getMessage(), e);
        } catch (AccessPolicyException e) {
            file.poller.shutdownNow();
            throw e;
        }
        log.info("access policies: {} key(s) from {}", file.current.keys(), path);
        file.poller.scheduleWithFixedDelay(file::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return file;
    }

    public AccessPolicies current() {
        return current;
    }

    public Optional<String> secretOf(String accessKeyId) {
        return current.secretOf(accessKeyId);
    }

    /** Versions read and put in force since the start. */
    public long reloads() {
        return reloads.get();
    }

    /** Versions read and refused since the start (the previous policies stayed). */
    public long rejectedReloads() {
        return rejected.get();
    }

    void reloadIfChanged() {
        try {
            Stamp now = stamp();
            unreadable = false;
            if (Objects.equals(now, seen)) {
                return;
            }
            seen = now;
            try {
                current = read();
                reloads.incrementAndGet();
                log.info("access policies reloaded: {} key(s) from {}", current.keys(), path);
            } catch (AccessPolicyException e) {
                rejected.incrementAndGet();
                log.warn("access policies NOT reloaded, the previous ones stay in force: {}", e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            // The file is gone or unreadable (being replaced?): keep what is in force, look again next round, say so once.
            if (!unreadable) {
                unreadable = true;
                rejected.incrementAndGet();
                log.warn("access policies NOT reloaded, the previous ones stay in force: {} cannot be read: {}", path, e.toString());
            }
        }
    }

    private AccessPolicies read() throws IOException {
        return AccessPolicies.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString(), scope, reservedKeys);
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new Stamp(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size());
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
