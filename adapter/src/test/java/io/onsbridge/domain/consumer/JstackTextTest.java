package io.onsbridge.domain.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JstackTextTest {

    /** What RocketMQ's UtilAll.jstack writes: the thread name padded to 40, then the line. */
    private static String line(String thread, String text) {
        return String.format("%-40s%s%n", thread, text);
    }

    @Test
    void splitsThreadsAndStripsTheNamePrefix() {
        String dump = line("ConsumeMessageThread_1", "TID: 44 STATE: WAITING")
                + line("ConsumeMessageThread_1", "java.base/jdk.internal.misc.Unsafe.park(Native Method)")
                + "\n"
                + line("main", "TID: 1 STATE: RUNNABLE")
                + line("main", "app.Main.main(Main.java:10)")
                + "\n";
        List<JstackText.ThreadTrack> threads = JstackText.parse(dump);
        assertThat(threads).extracting(JstackText.ThreadTrack::thread).containsExactly("ConsumeMessageThread_1", "main");
        assertThat(threads.get(0).track()).containsExactly("TID: 44 STATE: WAITING", "java.base/jdk.internal.misc.Unsafe.park(Native Method)");
        assertThat(threads.get(1).track()).containsExactly("TID: 1 STATE: RUNNABLE", "app.Main.main(Main.java:10)");
    }

    @Test
    void aThreadNameLongerThanThePaddingStaysReadable() {
        String name = "NettyClientWorkerThread_with_a_very_long_name_1";
        List<JstackText.ThreadTrack> threads = JstackText.parse(line(name, "TID: 7 STATE: RUNNABLE") + line(name, "a.B.c(B.java:1)"));
        assertThat(threads).singleElement().satisfies(t -> {
            assertThat(t.thread()).isEqualTo(name);
            assertThat(t.track()).containsExactly("TID: 7 STATE: RUNNABLE", "a.B.c(B.java:1)");
        });
    }

    @Test
    void nothingGivesNoThreads() {
        assertThat(JstackText.parse(null)).isEmpty();
        assertThat(JstackText.parse("  \n")).isEmpty();
    }
}
