package io.onsbridge.brokerplugin;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * slot records that quotient. Started with another precision on a wheel that holds timers, the broker looks for them
 * in other slots, finds none, and the waiting messages are never delivered (only those written after the timer log's
 * last flush are put back in the right slots). So a finer precision (docs/broker-plugin.md) may only apply to a store
 * whose wheel holds no timer yet.
 * <p>
 * RocketMQ records no precision of its own, but the wheel's slots do: a used slot holds {@code time / precision},
 * and only the precision it was written with turns that into a plausible time (with 1000 ms read as 100 ms, a time
 * of 2026 becomes one of 1975). The plugin is built before the broker makes its timer store
 * ({@code BrokerController.initializeMessageStore}), and sets the precision it reads into the broker's
 * {@link MessageStoreConfig}, which the timer store and the broker's send hook then read.
 */
final class StoreTimerPrecision {
    private static final Logger log = LoggerFactory.getLogger(StoreTimerPrecision.class);
    /** The precisions RocketMQ accepts ({@code MessageStoreConfig.setTimerPrecisionMs} rounds to one of them). */
    static final int[] PRECISIONS_MS = {100, 200, 500, 1000};
    /** A slot's time read with the right precision lies in this window around now; with a wrong one, decades off. */
    private static final long PLAUSIBLE_BEFORE_MS = TimeUnit.DAYS.toMillis(3650);
    private static final long PLAUSIBLE_AFTER_MS = TimeUnit.DAYS.toMillis(365);

    private StoreTimerPrecision() {
    }

    /** Sets the store's own precision into {@code config} when its wheel holds timers written with another. */
    static void keep(MessageStoreConfig config) {
        if (!config.isTimerWheelEnable()) {
            return;
        }
        int configured = config.getTimerPrecisionMs();
        File wheel = wheelFile(config);
        int written;
        try {
            written = writtenWith(wheel, System.currentTimeMillis());
        } catch (IOException e) {
            log.warn("ons-bridge: could not read the timer wheel {}; timer precision {} ms as configured", wheel, configured, e);
            return;
        }
        if (written == 0 || written == configured) {
            log.info("ons-bridge: timer precision {} ms ({})", configured,
                    written == 0 ? "the store's timer wheel holds no timer yet" : "as the store's timer wheel was written");
            return;
        }
        config.setTimerPrecisionMs(written);
        log.warn("ons-bridge: timer precision {} ms, the one the store's timer wheel {} was written with, not the configured {} ms:"
                + " its waiting timers would not be found with another (docs/broker-plugin.md)", written, wheel, configured);
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
