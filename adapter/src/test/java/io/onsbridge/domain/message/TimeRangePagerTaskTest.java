package io.onsbridge.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Params;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The TaskId and the task table, on a clock the test moves. None of these reach the cluster: a TaskId is
 * refused, and a CurrentPage out of bounds, before any queue is read (the pager has no MessageClient here).
 */
class TimeRangePagerTaskTest {
    private static final String TOPIC = "MQ_INST_1_abc%Orders";
    private static final String DLQ = "%DLQ%MQ_INST_1_abc%GID_orders";

    private final MovingClock clock = new MovingClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aTaskIdCarriesTheWholeQuery() {
        TimeRangePager.Task task = new TimeRangePager.Task(TOPIC, 1_000L, 2_000L, 20, 3_000L);
        assertThat(TimeRangePager.Task.decode(task.encode())).isEqualTo(task);
        assertThat(task.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aForgedOrDamagedTaskIdIsAFieldCheckError() {
        String notBase64 = "not a task!";
        String wrongShape = Base64.getUrlEncoder().encodeToString("v1|topic|1".getBytes(StandardCharsets.UTF_8));
        String badNumber = Base64.getUrlEncoder().encodeToString("v1|topic|x|2|20|3".getBytes(StandardCharsets.UTF_8));
        for (String taskId : new String[] {notBase64, wrongShape, badNumber}) {
            assertFieldCheck(() -> TimeRangePager.Task.decode(taskId), "TaskId", "not a TaskId this service issued");
        }
    }

    @Test
    void aTaskEndsAtTheFirstCallAndExpiresAnHourAfterIt() {
        TimeRangePager pager = new TimeRangePager(null, clock, 10);
        long now = clock.millis();
        TimeRangePager.Task task = pager.newTask(TOPIC, now - 60_000, now + 60_000, 20);
        assertThat(task.end()).isEqualTo(now);
        assertThat(task.expiresAt()).isEqualTo(now + TimeRangePager.TASK_LIFETIME.toMillis());

        clock.advance(TimeRangePager.TASK_LIFETIME.plusMillis(1));
        assertFieldCheck(() -> pager.next(task.encode(), TOPIC, 2), "TaskId", "the query task has expired; start a new query without TaskId.");
        assertFieldCheck(() -> pager.page(request(Map.of("CurrentPage", "2", "TaskId", task.encode())), TOPIC), "TaskId", "expired");
    }

    @Test
    void aTaskIdOfADeadLetterQueryIsRefusedByATopicQueryAndTheOtherWayRound() {
        TimeRangePager pager = new TimeRangePager(null, clock, 10);
        String dlqTask = pager.newTask(DLQ, 0, clock.millis(), 20).encode();
        String topicTask = pager.newTask(TOPIC, 0, clock.millis(), 20).encode();
        assertFieldCheck(() -> pager.next(dlqTask, TOPIC, 1), "TaskId",
                "is a query of the dead letters of group GID_orders, not of topic Orders");
        assertFieldCheck(() -> pager.next(topicTask, DLQ, 1), "TaskId",
                "is a query of topic Orders, not of the dead letters of group GID_orders");
        assertFieldCheck(() -> pager.next(topicTask, "MQ_INST_1_abc%Payments", 1), "TaskId", "not of topic Payments");
    }

    @Test
    void currentPageIsOneToFifty() {
        TimeRangePager pager = new TimeRangePager(null, clock, 10);
        String task = pager.newTask(DLQ, 0, clock.millis(), 20).encode();
        for (String page : new String[] {"0", "51", "100000"}) {
            assertFieldCheck(() -> pager.page(request(Map.of("CurrentPage", page, "TaskId", task)), TOPIC), "CurrentPage",
                    "must be between 1 and 50, was " + page);
        }
        assertFieldCheck(() -> pager.page(request(Map.of("CurrentPage", "51", "BeginTime", "0", "EndTime", "1")), TOPIC),
                "CurrentPage", "between 1 and 50");
        // 50 passes the bound: refused only for the TaskId's topic, which is checked next.
        assertFieldCheck(() -> pager.page(request(Map.of("CurrentPage", "50", "TaskId", task)), TOPIC), "TaskId", "not of topic Orders");
    }

    @Test
    void theTaskTableEvictsBeyondItsBoundAndNeverGrows() {
        TimeRangePager pager = new TimeRangePager(null, clock, 10);
        for (int i = 0; i < 1_000; i++) {
            pager.startsOf(pager.newTask(TOPIC, i, i + 1, 20).encode()).put(1, new long[] {i});
            assertThat(pager.tasksHeld()).isLessThanOrEqualTo(10);
        }
        assertThat(pager.tasksHeld()).isEqualTo(10);
        // The newest are kept: the last task's page starts are still known.
        String last = pager.newTask(TOPIC, 999, 1_000, 20).encode();
        assertThat(pager.startsOf(last)).containsKey(1);
    }

    @Test
    void pageStartsExpireAnHourAfterTheirLastUse() {
        TimeRangePager pager = new TimeRangePager(null, clock, 10);
        String used = pager.newTask(TOPIC, 0, 1, 20).encode();
        String idle = pager.newTask(TOPIC, 1, 2, 20).encode();
        pager.startsOf(used).put(1, new long[] {0});
        pager.startsOf(idle).put(1, new long[] {0});
        clock.advance(Duration.ofMinutes(40));
        pager.startsOf(used);
        clock.advance(Duration.ofMinutes(40));
        assertThat(pager.tasksHeld()).isEqualTo(1);
        assertThat(pager.startsOf(used)).containsKey(1);
        assertThat(pager.startsOf(idle)).isEmpty();
    }

    private static Params request(Map<String, String> params) {
        return new Params(params);
    }

    private static void assertFieldCheck(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String parameter, String says) {
        assertThatThrownBy(call).isInstanceOfSatisfying(OnsException.class, e -> {
            assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
            assertThat(e.getMessage()).contains("\"" + parameter + "\"").contains(says);
        });
    }

    /** A clock that stands still until the test moves it. */
    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
