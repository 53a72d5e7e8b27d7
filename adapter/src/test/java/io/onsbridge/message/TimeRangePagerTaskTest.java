package io.onsbridge.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.protocol.OnsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TimeRangePagerTaskTest {

    @Test
    void aTaskIdCarriesTheWholeQuery() {
        TimeRangePager.Task task = new TimeRangePager.Task("MQ_INST_1_abc%Orders", 1_000L, 2_000L, 20, 3_000L);
        assertThat(TimeRangePager.Task.decode(task.encode())).isEqualTo(task);
        assertThat(task.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aForgedOrDamagedTaskIdIsAFieldCheckError() {
        String notBase64 = "not a task!";
        String wrongShape = Base64.getUrlEncoder().encodeToString("v1|topic|1".getBytes(StandardCharsets.UTF_8));
        String badNumber = Base64.getUrlEncoder().encodeToString("v1|topic|x|2|20|3".getBytes(StandardCharsets.UTF_8));
        for (String taskId : new String[] {notBase64, wrongShape, badNumber}) {
            assertThatThrownBy(() -> TimeRangePager.Task.decode(taskId))
                    .isInstanceOfSatisfying(OnsException.class, e -> {
                        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
                        assertThat(e.getMessage()).contains("TaskId");
                    });
        }
    }
}
