package io.onsbridge.brokerplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.apache.rocketmq.store.timer.TimerMessageStore;
import org.apache.rocketmq.store.timer.TimerWheel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On wheel files written by RocketMQ's own {@link TimerWheel}, as a broker writes them. */
class StoreTimerPrecisionTest {
    private static final long NOW = System.currentTimeMillis(); // keep() reads the clock too
    private static final int SLOTS = 7 * 24 * 3600; // TimerMessageStore's, whatever the precision

    @TempDir
    Path store;

    @Test
    void aSlotsTimeIsPlausibleOnlyWithThePrecisionItWasWrittenWith() {
        for (int precision : StoreTimerPrecision.PRECISIONS_MS) {
            for (long time : new long[] {NOW - 86_400_000L * 30, NOW, NOW + 86_400_000L * 7}) {
                assertThat(StoreTimerPrecision.precisionOf(time / precision, NOW)).as("%d ms", precision).isEqualTo(precision);
            }
        }
        assertThat(StoreTimerPrecision.precisionOf(42, NOW)).isZero();
        assertThat(StoreTimerPrecision.precisionOf(-1, NOW)).isZero();
    }

    @Test
    void aStoreWithoutTimersTakesTheConfiguredPrecisionAndRecordsIt() throws Exception {
        assertThat(keep(100)).as("a new store").isEqualTo(100);
        assertThat(marker()).isEqualTo("100");
        writeTimers(1000, NOW + 5_000); // stale slots of a timer log since deleted (expired with the commit log)
        assertThat(keep(100)).as("no timer log").isEqualTo(100);
        assertThat(keep(200)).isEqualTo(200);
        assertThat(marker()).isEqualTo("200");
    }

    @Test
    void aStoreWithTimersKeepsItsRecordedPrecision() throws Exception {
        keep(100);
        timerLog();
        assertThat(keep(1000)).as("raised on a store recorded at 100 ms").isEqualTo(100);
        assertThat(keep(100)).isEqualTo(100);
        assertThat(marker()).isEqualTo("100");
    }

    @Test
    void anUnrecordedStoreWithTimersKeepsThePrecisionItsWheelWasWrittenWith() throws Exception {
        timerLog();
        writeTimers(1000, NOW + 5_000, NOW + 75_123);
        assertThat(StoreTimerPrecision.writtenWith(new File(wheelPath()), NOW)).isEqualTo(1000);
        assertThat(keep(100)).as("lowered on a store written at 1000 ms").isEqualTo(1000);
        assertThat(marker()).isEqualTo("1000");

        new File(store.toFile(), StoreTimerPrecision.MARKER).delete();
        new File(wheelPath()).delete();
        writeTimers(100, NOW + 5_000);
        assertThat(keep(1000)).as("raised on a store written at 100 ms").isEqualTo(100);
    }

    @Test
    void anUnrecordedStoreWithTimersButNoneInItsWheelFileTakesRocketmqsDefault() throws Exception {
        timerLog();
        new TimerWheel(wheelPath(), SLOTS, 100).shutdown(); // not flushed since its timers came
        assertThat(keep(100)).isEqualTo(1000);
    }

    private void writeTimers(int precision, long... times) throws Exception {
        TimerWheel wheel = new TimerWheel(wheelPath(), SLOTS, precision);
        long position = 0;
        for (long time : times) {
            wheel.putSlot(time, position, position, 1, 0);
            position += 52;
        }
        wheel.flush();
        wheel.shutdown(false);
    }

    private int keep(int configured) {
        MessageStoreConfig config = new MessageStoreConfig();
        config.setStorePathRootDir(store.toString());
        config.setTimerPrecisionMs(configured);
        StoreTimerPrecision.keep(config);
        return config.getTimerPrecisionMs();
    }

    /** A timer log file, as the broker makes with the first timer. */
    private void timerLog() throws Exception {
        Path log = Files.createDirectories(new File(TimerMessageStore.getTimerLogPath(store.toString())).toPath());
        Files.createFile(log.resolve("00000000000000000000"));
    }

    private String marker() throws Exception {
        return new String(Files.readAllBytes(store.resolve(StoreTimerPrecision.MARKER)), java.nio.charset.StandardCharsets.US_ASCII).trim();
    }

    private String wheelPath() {
        return TimerMessageStore.getTimerWheelPath(store.toString());
    }
}
