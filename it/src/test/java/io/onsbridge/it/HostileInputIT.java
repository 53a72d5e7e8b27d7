package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every action served, every common parameter, hostile values (control characters, a lone surrogate, markup,
 * oversized and malformed numbers), in JSON and XML, in the query of a GET and the form body of a POST: each call is answered, never with a 5xx, always
 * with a body of the documented shape that parses, and never with a stack trace or a Java class name.
 */
@OnsBridgeTest
class HostileInputIT {
    private static final List<String> PARAMS = List.of("InstanceId", "Topic", "GroupId", "MsgId", "Key", "Remark", "MessageType",
            "BeginTime", "CurrentPage", "TaskId", "QueryId", "Tag.1.Key", "ResourceId.1", "Format");
    private static final List<String> HOSTILE = List.of("a\u0001b", "\u0000", "x\uD800y", "<Error>&amp;\"'", "9".repeat(40), "-1",
            "x".repeat(5_000), "%ZZ ../..");

    private final Bridge bridge;
    /** Every action the bridge serves, the deletes last and the instance's very last: with the fixtures' names they remove them. */
    private final List<String> actions;

    HostileInputIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
        this.actions = env.actions().stream()
                .sorted(Comparator.comparing((String a) -> a.equals("OnsInstanceDelete") ? 2 : a.endsWith("Delete") ? 1 : 0).thenComparing(a -> a))
                .toList();
    }

    @Test
    void everyHostileValueOfEveryActionIsAnsweredWithADocumentedClientError() throws Exception {
        String instance = bridge.newInstance("hostile");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Fuzzed").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_fuzzed"));
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("InstanceId", instance);
        valid.put("Topic", "Fuzzed");
        valid.put("GroupId", "GID_fuzzed");
        List<String> failures = new ArrayList<>();
        List<String> late = new ArrayList<>();
        int calls = 0;
        for (String action : actions) {
            for (String param : PARAMS) {
                for (String value : HOSTILE) {
                    for (String variant : List.of("GET JSON", "GET XML", "POST XML")) {
                        AnswerCheck.Verdict verdict = AnswerCheck.fuzz(bridge, action, valid, param, value, variant);
                        calls++;
                        if (verdict.problem() != null) {
                            failures.add(verdict.what() + ": " + verdict.problem());
                        }
                        if (verdict.lateness() != null) {
                            late.add(verdict.lateness());
                        }
                    }
                }
            }
        }
        assertThat(failures).as("of %d calls", calls).isEmpty();
        assertThat(late).as("answered later than %s, of %d calls", AnswerCheck.PROMPT, calls).hasSizeLessThanOrEqualTo(AnswerCheck.allowedLate(calls));
    }
}
