package io.onsbridge.mqttgateway;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's backend calls, run one after another on the shared workers: a device's publishes are
 * stored in the order it sent them, and its session is closed only after it was opened. A task that throws
 * is logged and the next one runs: no exception ends the connection's queue.
 */
final class SerialTasks {
    private static final Logger log = LoggerFactory.getLogger(SerialTasks.class);

    private final Executor workers;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialTasks(Executor workers) {
        this.workers = workers;
    }

    synchronized void submit(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            workers.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("an MQTT backend call failed", e);
            }
        }
    }
}
