package io.onsbridge.brokerplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
    void aStoreWithoutTimersTakesTheConfiguredPrecision() throws Exception {
        assertThat(keep(100)).as("no wheel yet").isEqualTo(100);
        new TimerWheel(wheelPath(), SLOTS, 1000).shutdown(); // a wheel file, every slot unused
        assertThat(keep(100)).as("an empty wheel").isEqualTo(100);
        assertThat(keep(1000)).isEqualTo(1000);
    }

    @Test
    void aStoreWithTimersKeepsThePrecisionTheyWereWrittenWith() throws Exception {
        writeTimers(1000, NOW + 5_000, NOW + 75_123);
        assertThat(StoreTimerPrecision.writtenWith(new File(wheelPath()), NOW)).isEqualTo(1000);
        assertThat(keep(100)).as("lowered on a store written at 1000 ms").isEqualTo(1000);
    }

    @Test
    void aFinerPrecisionIsKeptToo() throws Exception {
        writeTimers(100, NOW + 5_000);
        assertThat(keep(1000)).as("raised on a store written at 100 ms").isEqualTo(100);
        assertThat(keep(100)).isEqualTo(100);
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

    private String wheelPath() {
        return TimerMessageStore.getTimerWheelPath(store.toString());
    }
}
