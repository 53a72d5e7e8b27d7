package io.onsbridge.brokerplugin;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.apache.rocketmq.store.timer.Slot;
import org.apache.rocketmq.store.timer.TimerMessageStore;
import org.apache.rocketmq.store.timer.TimerWheel;

/**
 * Keeps the timer precision ({@code timerPrecisionMs}) a broker's store was written with. RocketMQ 5's timer wheel
 * file has a fixed number of slots whatever the precision, and finds a time's slot at {@code time / precision}; each
 * slot records that quotient, and each timer log entry its time rounded down to the precision. Started with another
 * precision on a store that holds timers, the broker finds the wheel's slots no more, and puts the end of its timer
 * log back into slots of the new precision at the old rounded times: lowered from 1000 to 100 ms, timers came up to
 * 805 ms early (docs/broker-plugin.md). So a finer precision may only apply to a store without timers.
 * <p>
 * RocketMQ records no precision of its own. The plugin records it in {@value #MARKER} in the store directory at
 * every start, and uses the recorded one once the store has timers (a timer log). A store without timers gets the
 * configured precision. A store with timers from before the plugin (no marker) gets the
 * precision its wheel's used slots were written with: a slot holds {@code time / precision}, and only the right
 * precision turns that into a plausible time (with 1000 ms read as 100 ms, a time of 2026 becomes one of 1975). A
 * store with a timer log but no used slot on disk yet (the wheel is flushed only every {@code timerFlushIntervalMs},
 * not at shutdown) gets RocketMQ's default, 1000 ms, which such stores were written with unless configured
 * otherwise.
 * <p>
 * The plugin is built before the broker makes its timer store ({@code BrokerController.initializeMessageStore}) and
 * sets that precision into the broker's {@link MessageStoreConfig}, which the timer store and the broker's send hook
 * then read.
 */
final class StoreTimerPrecision {
    private static final Logger log = LoggerFactory.getLogger(StoreTimerPrecision.class);
    /** The file in the store directory that records the store's precision, in ms. */
    static final String MARKER = "ons-bridge-timer-precision";
    /** The precisions RocketMQ accepts ({@code MessageStoreConfig.setTimerPrecisionMs} rounds to one of them). */
    static final int[] PRECISIONS_MS = {100, 200, 500, 1000};
    private static final int ROCKETMQ_DEFAULT_MS = 1000;
    /** A slot's time read with the right precision lies in this window around now; with a wrong one, decades off. */
    private static final long PLAUSIBLE_BEFORE_MS = TimeUnit.DAYS.toMillis(3650);
    private static final long PLAUSIBLE_AFTER_MS = TimeUnit.DAYS.toMillis(365);

    private StoreTimerPrecision() {
    }

    /** Sets the store's own precision into {@code config}, and records it in the store when it is not yet. */
    static void keep(MessageStoreConfig config) {
        if (!config.isTimerWheelEnable()) {
            return;
        }
        int configured = config.getTimerPrecisionMs();
        File root = new File(config.getStorePathRootDir());
        File marker = new File(root, MARKER);
        int own;
        String why;
        try {
            File[] timerLog = new File(TimerMessageStore.getTimerLogPath(root.getPath())).listFiles();
            int fromWheel;
            if (timerLog == null || timerLog.length == 0) {
                own = configured; // the timer log is made with the first timer
                why = "a store without timers yet";
            } else if (marker.isFile()) {
                own = Integer.parseInt(new String(Files.readAllBytes(marker.toPath()), StandardCharsets.US_ASCII).trim());
                why = "recorded in " + marker;
            } else if ((fromWheel = writtenWith(wheelFile(config), System.currentTimeMillis())) != 0) {
                own = fromWheel;
                why = "the one the store's timer wheel was written with";
            } else {
                own = ROCKETMQ_DEFAULT_MS;
                why = "RocketMQ's default, for a store with timers but none in its wheel file yet";
            }
            Files.createDirectories(root.toPath());
            Files.write(marker.toPath(), (own + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | NumberFormatException e) {
            log.warn("ons-bridge: could not read or record the store's timer precision ({}); {} ms as configured", marker, configured, e);
            return;
        }
        if (own == configured) {
            log.info("ons-bridge: timer precision {} ms ({})", own, why);
            return;
        }
        config.setTimerPrecisionMs(own);
        log.warn("ons-bridge: timer precision {} ms ({}), not the configured {} ms: the store's timers would not be found"
                + " with another (docs/broker-plugin.md)", own, why, configured);
    }

    /** The wheel file the broker's timer store will load (the newest snapshot when it flushes snapshots). */
    private static File wheelFile(MessageStoreConfig config) {
        String path = TimerMessageStore.getTimerWheelPath(config.getStorePathRootDir());
        if (config.isTimerWheelSnapshotFlush()) {
            long snapshot = TimerWheel.getMaxSnapshotFlag(path);
            if (snapshot >= 0) {
                return new File(path + "." + snapshot);
            }
        }
        return new File(path);
    }

    /**
     * The precision the wheel's used slots were written with, by a majority of them; 0 when there is no wheel, no used
     * slot, or no precision makes its slots plausible times.
     */
    static int writtenWith(File wheel, long now) throws IOException {
        if (!wheel.isFile()) {
            return 0;
        }
        int[] votes = new int[PRECISIONS_MS.length];
        try (RandomAccessFile file = new RandomAccessFile(wheel, "r"); FileChannel channel = file.getChannel()) {
            ByteBuffer chunk = ByteBuffer.allocate(Slot.SIZE * 32 * 1024); // 1 MB of whole slots
            long position = 0;
            while (true) {
                chunk.clear();
                int whole = Math.max(channel.read(chunk, position), 0) / Slot.SIZE * Slot.SIZE;
                if (whole == 0) {
                    break;
                }
                for (int offset = 0; offset < whole; offset += Slot.SIZE) {
                    long quotient = chunk.getLong(offset); // a slot starts with time / precision; 0 if never used
                    int precision = quotient == 0 ? 0 : precisionOf(quotient, now);
                    for (int i = 0; i < PRECISIONS_MS.length; i++) {
                        if (PRECISIONS_MS[i] == precision) {
                            votes[i]++;
                        }
                    }
                }
                position += whole;
            }
        }
        int best = 0;
        for (int i = 1; i < votes.length; i++) {
            best = votes[i] > votes[best] ? i : best;
        }
        return votes[best] == 0 ? 0 : PRECISIONS_MS[best];
    }

    /** The precision that makes a slot's {@code time / precision} a time near {@code now}; 0 if none does. */
    static int precisionOf(long slotQuotient, long now) {
        for (int precision : PRECISIONS_MS) {
            long time = slotQuotient * precision;
            if (time >= now - PLAUSIBLE_BEFORE_MS && time <= now + PLAUSIBLE_AFTER_MS) {
                return precision;
            }
        }
        return 0;
    }
}
