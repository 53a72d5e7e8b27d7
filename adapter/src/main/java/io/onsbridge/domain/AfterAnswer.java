package io.onsbridge.domain;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work an action starts for later (a trace query's lookup) that should begin only once its answer is handed to
 * the connection, in the same thread. On a loaded machine, threads woken by the work (the cluster client's event
 * loop, the broker's) run before the thread that still has to render and send the answer, so that the client
 * waits for the work it was meant to overlap; started after the hand-over, the answer gets going first.
 */
public final class AfterAnswer {
    private static final Logger LOG = LoggerFactory.getLogger(AfterAnswer.class);
    private static final ThreadLocal<List<Runnable>> PENDING = new ThreadLocal<>();

    private AfterAnswer() {
    }

    /** Runs {@code answer}, which renders the answer and hands it to the connection, then the work left for after it. */
    public static void around(Runnable answer) {
        List<Runnable> pending = new ArrayList<>(1);
        PENDING.set(pending);
        try {
            answer.run();
        } finally {
            PENDING.remove();
            for (Runnable work : pending) {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("work left for after an answer failed", e); // its owner reports its own failures; this is a bug
                }
            }
        }
    }

    /** Runs {@code work} once the answer being made in this thread is handed over; at once where none is being made. */
    public static void then(Runnable work) {
        List<Runnable> pending = PENDING.get();
        if (pending == null) {
            work.run();
        } else {
            pending.add(work);
        }
    }
}
