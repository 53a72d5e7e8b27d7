package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing (jqwik) of every action served: one parameter of any kind (names, remarks, tags,
 * ids, numbers, the format) gets a generated hostile value, the others are valid; in JSON and XML, GET and
 * POST. Whatever the value, the answer comes (within {@link AnswerCheck#PROMPT}, but for
 * {@link AnswerCheck#allowedLate} of the tries), is no 5xx, carries no Java detail and is a body of the
 * documented shape. A failure prints the shrunk value and the seed that reproduces it
 * ({@code @Property(seed = "...")}). {@link HostileInputIT} is the fixed list beside it.
 */
class HostileInputPropertiesIT {
    private static final int TRIES = 1_500;
    private static final List<String> PARAMETERS = List.of(
            "InstanceId", "Topic", "GroupId", // names
            "Remark", "InstanceName", // free text
            "Tag.1.Key", "Tag.1.Value", "Tag", "Key", // tags and keys
            "MsgId", "TaskId", "QueryId", "ResourceId.1", "ResourceType", "ClientId", // ids
            "MessageType", "Perm", "BeginTime", "EndTime", "ResetTimestamp", "CurrentPage", "PageSize", "Type", "GroupType", // numbers, enums
            "Format");

    private static final List<String> LATE = new CopyOnWriteArrayList<>();
    private static Bridge bridge;
    private static List<String> actions;
    private static String instance;

    @BeforeContainer
    static void fixtures() throws Exception {
        OnsBridgeEnvironment env = OnsBridgeEnvironment.shared();
        bridge = Bridge.of(env);
        actions = env.actions().stream().sorted().toList();
        instance = bridge.newInstance("fuzz_props");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Fuzzed").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_fuzzed"));
    }

    @Property(tries = TRIES)
    void anyHostileValueOfAnyParameterIsAnsweredWithinASecondWithADocumentedBody(
            @ForAll("actions") String action, @ForAll("parameters") String parameter, @ForAll("hostileValues") String value,
            @ForAll("variants") String variant) {
        AnswerCheck.Verdict verdict = AnswerCheck.fuzz(bridge, action, validValues(action), parameter, value, variant);
        if (verdict.lateness() != null) {
            LATE.add(verdict.lateness());
        }
        assertThat(verdict.problem()).as(verdict.what()).isNull();
    }

    @AfterContainer
    static void fewAnswersCameLate() {
        assertThat(LATE).as("answered later than %s, of %d tries", AnswerCheck.PROMPT, TRIES).hasSizeLessThanOrEqualTo(AnswerCheck.allowedLate(TRIES));
    }

    /** Deletes aim at names that do not exist, so that the fixtures stay for the other tries. */
    private static Map<String, String> validValues(String action) {
        boolean delete = action.endsWith("Delete");
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("InstanceId", action.equals("OnsInstanceDelete") ? "MQ_INST_1_absent" : instance);
        valid.put("Topic", delete ? "Absent" : "Fuzzed");
        valid.put("GroupId", delete ? "GID_absent" : "GID_fuzzed");
        return valid;
    }

    @Provide
    Arbitrary<String> actions() {
        return Arbitraries.of(actions);
    }

    @Provide
    Arbitrary<String> parameters() {
        return Arbitraries.of(PARAMETERS);
    }

    @Provide
    Arbitrary<String> variants() {
        return Arbitraries.of("GET JSON", "GET XML", "POST JSON", "POST XML");
    }

    @Provide
    Arbitrary<String> hostileValues() {
        return Arbitraries.oneOf(
                // any character at all: controls, lone surrogates, non-characters
                Arbitraries.strings().all().ofMaxLength(16),
                // what breaks markup, paths, SQL and RocketMQ's own names, mixed with plain letters
                Arbitraries.strings().withChars("\u0000\u0001\u0008\u000b\u001f\u007f\u0085\u2028\ufffe<>&\"';%|*?#/\\ ")
                        .withCharRange('a', 'z').withCharRange('0', '9').ofMaxLength(24),
                // numbers of every size and sign, and almost-numbers
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)), new java.math.BigInteger("1" + "0".repeat(40)))
                        .map(String::valueOf),
                Arbitraries.of("", " 7", "7 ", "1e9", "0x10", "NaN", "-0", "+1", "1.5"),
                // reserved and attacking names
                Arbitraries.of("x' OR '1'='1'; DROP TABLE t;--", "</Code>", "]]>", "${jndi:ldap://x/a}", "%DLQ%GID_fuzzed",
                        "%RETRY%GID_fuzzed", "MQ_INST_1_absent%Fuzzed", "RMQ_SYS_TRACE_TOPIC", "SCHEDULE_TOPIC_XXXX", "TBW102"),
                // longer than any field allows
                Arbitraries.strings().alpha().ofMinLength(256).ofMaxLength(6_000));
    }
}
