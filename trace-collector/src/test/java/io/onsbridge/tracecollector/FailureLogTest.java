package io.onsbridge.tracecollector;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class FailureLogTest {
    private static final Duration QUIET = Duration.ofSeconds(30);
    private static final String WHAT = "consumer sampling round";

    /** One call of a logging method: its name (warn, info...) and its arguments, varargs spread out. */
    record Line(String level, String format, List<Object> args) {
        Throwable throwable() {
            return args.stream().filter(Throwable.class::isInstance).map(Throwable.class::cast).findFirst().orElse(null);
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000L);
    private final FailureLog failures = new FailureLog(recordingLogger(), QUIET, clock::get);

    private Logger recordingLogger() {
        return (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return "recording logger";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "getName":
                    return "test";
                default:
                    break;
            }
            if (method.getReturnType() == boolean.class) {
                return true; // every level enabled
            }
            if (method.getReturnType() != void.class) {
                throw new UnsupportedOperationException(method.toString());
            }
            record(method, args);
            return null;
        });
    }

    private void record(Method method, Object[] args) {
        List<Object> all = new ArrayList<>(args == null ? List.of() : Arrays.asList(args));
        if (!all.isEmpty() && all.get(0) instanceof String format) {
            all.remove(0);
            if (method.isVarArgs() && !all.isEmpty() && all.get(all.size() - 1) instanceof Object[] spread) {
                all.remove(all.size() - 1);
                all.addAll(Arrays.asList(spread));
            }
            lines.add(new Line(method.getName(), format, all));
        } else {
            lines.add(new Line(method.getName(), null, all)); // a Marker first: not expected
        }
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    @Test
    void theFirstFailureIsLoggedAtWarnWithItsStackTrace() {
        IllegalStateException error = new IllegalStateException("broker down");

        failures.failed(WHAT, error);

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.level()).isEqualTo("warn");
            assertThat(line.format()).isNotNull();
            assertThat(line.args()).first().isEqualTo(WHAT);
            assertThat(line.args()).contains(30L);
            // SLF4J prints a stack trace for a Throwable given as the last argument.
            assertThat(line.args()).last().isSameAs(error);
        });
        assertThat(failures.failing()).isTrue();
    }

    @Test
    void failuresWithinTheQuietPeriodAreNotLogged() {
        failures.failed(WHAT, new IllegalStateException("1"));
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofSeconds(5));
            failures.failed(WHAT, new IllegalStateException("more"));
        }
        advance(QUIET.minusSeconds(25).minusNanos(1)); // 30 s minus one nanosecond after the first line

        failures.failed(WHAT, new IllegalStateException("last quiet one"));

        assertThat(lines).hasSize(1);
        assertThat(failures.failing()).isTrue();
    }

    @Test
    void theFirstFailureAfterTheQuietPeriodIsLoggedWithTheSuppressedCount() {
        failures.failed(WHAT, new IllegalStateException("first"));
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(1));
            failures.failed(WHAT, new IllegalStateException("suppressed"));
        }
        advance(QUIET.minusSeconds(3)); // exactly one quiet period after the first line
        IllegalStateException error = new IllegalStateException("still down");

        failures.failed(WHAT, error);

        assertThat(lines).hasSize(2);
        Line again = lines.get(1);
        assertThat(again.level()).isEqualTo("warn");
        assertThat(again.args()).containsExactly(WHAT, 3L, error.toString());
        assertThat(again.throwable()).as("no stack trace on repeats").isNull();
    }

    @Test
    void theCountStartsOverAfterEachLine() {
        failures.failed(WHAT, new IllegalStateException("first"));
        advance(Duration.ofSeconds(10));
        failures.failed(WHAT, new IllegalStateException("suppressed 1"));
        advance(Duration.ofSeconds(20));
        failures.failed(WHAT, new IllegalStateException("second line"));
        advance(Duration.ofSeconds(29));
        failures.failed(WHAT, new IllegalStateException("suppressed again"));
        advance(Duration.ofSeconds(1));
        failures.failed(WHAT, new IllegalStateException("third line"));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).args()).element(1).isEqualTo(1L);
        assertThat(lines.get(2).args()).element(1).isEqualTo(1L);
        assertThat(lines.get(2).args()).element(2).isEqualTo(new IllegalStateException("third line").toString());
    }

    @Test
    void theQuietPeriodIsMeasuredFromTheLastLineNotTheLastFailure() {
        failures.failed(WHAT, new IllegalStateException("first"));
        for (int i = 0; i < 6; i++) {
            advance(Duration.ofSeconds(5)); // a failure every 5 s: one line per 30 s
            failures.failed(WHAT, new IllegalStateException("again"));
        }

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).args()).element(1).isEqualTo(5L);
    }

    @Test
    void succeedingAfterFailuresLogsOnceAtInfoAndStartsOver() {
        failures.failed(WHAT, new IllegalStateException("first"));
        advance(Duration.ofSeconds(1));
        failures.failed(WHAT, new IllegalStateException("suppressed"));

        failures.succeeded(WHAT);
        failures.succeeded(WHAT);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).level()).isEqualTo("info");
        assertThat(lines.get(1).args()).containsExactly(WHAT, 1L); // the one failure no line told of
        assertThat(failures.failing()).isFalse();

        // Within what would have been the quiet period: a new run, logged at once with its stack trace.
        advance(Duration.ofSeconds(1));
        IllegalStateException error = new IllegalStateException("down again");
        failures.failed(WHAT, error);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(2).level()).isEqualTo("warn");
        assertThat(lines.get(2).args()).last().isSameAs(error);
        assertThat(failures.failing()).isTrue();

        // ...and its suppressed count starts from zero.
        advance(QUIET);
        failures.failed(WHAT, new IllegalStateException("later"));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3).args()).element(1).isEqualTo(0L);
    }

    @Test
    void succeedingWithoutFailuresLogsNothing() {
        failures.succeeded(WHAT);
        advance(Duration.ofMinutes(5));
        failures.succeeded(WHAT);

        assertThat(lines).isEmpty();
        assertThat(failures.failing()).isFalse();
    }

    @Test
    void aNanoClockThatWrapsAroundStillKeepsThePeriod() {
        // System.nanoTime has an arbitrary origin: it may be near Long.MAX_VALUE and overflow.
        clock.set(Long.MAX_VALUE - 5);
        failures.failed(WHAT, new IllegalStateException("first"));
        advance(Duration.ofSeconds(10)); // overflows
        failures.failed(WHAT, new IllegalStateException("quiet"));

        assertThat(clock.get()).isNegative();
        assertThat(lines).hasSize(1);

        advance(Duration.ofSeconds(20));
        failures.failed(WHAT, new IllegalStateException("after the period"));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).args()).element(1).isEqualTo(1L);
    }

    @Test
    void theQuietPeriodInTheFirstLineIsInSeconds() {
        FailureLog twoMinutes = new FailureLog(recordingLogger(), Duration.ofMinutes(2), clock::get);
        IllegalStateException error = new IllegalStateException("first");

        twoMinutes.failed(WHAT, error);

        assertThat(lines).singleElement().satisfies(line -> assertThat(line.args()).containsExactly(WHAT, 120L, error));
    }
}
