package io.onsbridge.domain.device;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster writes a CONNECT causes (the takeover notice, a clean start's discarding of a stored session),
 * made behind the CONNACK by one thread in the order they were submitted: a client id's writes land in the order
 * of its connects. Bounded: while {@value #MAX_QUEUED} wait, a connect waits for room (nothing is dropped). A
 * write that fails is tried {@value #ATTEMPTS} times, {@value #RETRY_MILLIS} ms apart; when it still fails its
 * {@code onFailure} runs (the session closes and the device, connecting again, makes the write again).
 */
final class SessionWrites implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionWrites.class);
    static final int MAX_QUEUED = 10_000;
    private static final int ATTEMPTS = 3;
    private static final long RETRY_MILLIS = 200;

    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mqtt-session-writes");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore room = new Semaphore(MAX_QUEUED);
    /** Per key, the last write submitted and not yet made: what a later connect of the key waits for. */
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    /** Queues the key's write; blocks only while {@value #MAX_QUEUED} writes wait. */
    void submit(String key, Runnable write, Runnable onFailure) {
        room.acquireUninterruptibly();
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.put(key, done);
        try {
            writer.execute(() -> {
                try {
                    if (!attempt(key, write)) {
                        onFailure.run();
                    }
                } finally {
                    pending.remove(key, done);
                    room.release();
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException stopping) {
            pending.remove(key, done);
            room.release();
            throw stopping;
        }
    }

    private static boolean attempt(String key, Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return true;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    log.warn("MQTT session {}: a cluster write failed {} times; closing the session so that it connects again",
                            key, ATTEMPTS, e);
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)); // the cluster may be back in a moment
            }
        }
    }

    /** Waits (at most {@code timeoutMillis}) until the writes of the key submitted so far were made or given up. */
    void awaitWritten(String key, long timeoutMillis) {
        CompletableFuture<Void> last = pending.get(key);
        if (last == null) {
            return;
        }
        try {
            last.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("MQTT session {}: its earlier cluster writes are still queued after {} ms; going on", key, timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a session write cannot fail its future", e);
        }
    }

    /** Makes the writes queued (for at most 5 s), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("MQTT session writes: {} still queued after 5 s; leaving them", MAX_QUEUED - room.availablePermits());
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
