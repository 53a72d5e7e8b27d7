package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The one vocabulary of parameter checks: every failure names the parameter and carries the documented code. */
class ParamsTest {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{3,64}");

    @Test
    void paramsCannotBeChanged() {
        Params params = request(new HashMap<>(Map.of("A", "1")));
        assertThatThrownBy(() -> params.all().put("B", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    // --- strings -------------------------------------------------------------------------------------

    @Test
    void requiredReturnsThePresentValue() {
        assertThat(request(Map.of("InstanceId", "MQ_INST_1")).required("InstanceId")).isEqualTo("MQ_INST_1");
    }

    @Test
    void requiredAbsentOrEmptyIsMissingParameterNamingIt() {
        for (Map<String, String> params : List.of(Map.<String, String>of(), Map.of("InstanceId", ""))) {
            OnsException e = failure(() -> request(params).required("InstanceId"));
            assertError(e, "MissingParameter", 400, "\"InstanceId\"");
        }
    }

    @Test
    void optionalTreatsEmptyAsAbsent() {
        assertThat(request(Map.of("Remark", "")).optional("Remark")).isNull();
        assertThat(request(Map.of()).optional("Remark")).isNull();
        assertThat(request(Map.of("Remark", "x")).optional("Remark")).isEqualTo("x");
    }

    @Test
    void requiredWithPatternRejectsAMismatchAsFieldCheckInvalidWithTheRule() {
        assertThat(request(Map.of("Topic", "orders")).required("Topic", TOPIC, "3 to 64 letters")).isEqualTo("orders");
        OnsException e = failure(() -> request(Map.of("Topic", "a b")).required("Topic", TOPIC, "3 to 64 letters"));
        assertError(e, "BIZ_FIELD_CHECK_INVALID", 400, "\"Topic\"");
        assertThat(e.getMessage()).contains("3 to 64 letters");
    }

    @Test
    void optionalWithPatternSkipsAbsentAndChecksPresent() {
        assertThat(request(Map.of()).optional("Topic", TOPIC, "rule")).isNull();
        assertError(failure(() -> request(Map.of("Topic", "!")).optional("Topic", TOPIC, "rule")),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"Topic\"");
    }

    @Test
    void optionalWithMaxLengthCountsCharactersNotBytes() {
        String sixtyFour = "测".repeat(64);
        assertThat(request(Map.of("Remark", sixtyFour)).optional("Remark", 64)).isEqualTo(sixtyFour);
        assertError(failure(() -> request(Map.of("Remark", sixtyFour + "测")).optional("Remark", 64)),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"Remark\"");
    }

    // --- numbers and booleans ------------------------------------------------------------------------

    @Test
    void optionalLongParsesDecimalText() {
        assertThat(request(Map.of("Begin", "1570852800000")).optionalLong("Begin", 0, Long.MAX_VALUE)).isEqualTo(1570852800000L);
        assertThat(request(Map.of()).optionalLong("Begin", 0, Long.MAX_VALUE)).isNull();
    }

    @Test
    void optionalLongThatIsNotANumberIsInvalidParameter() {
        OnsException e = failure(() -> request(Map.of("Begin", "yesterday")).optionalLong("Begin", 0, 10));
        assertError(e, "InvalidParameter", 400, "\"Begin\"");
        assertThat(e.getMessage()).contains("yesterday");
    }

    @Test
    void optionalLongOutOfRangeIsFieldCheckInvalid() {
        OnsException e = failure(() -> request(Map.of("PageSize", "101")).optionalLong("PageSize", 1, 100));
        assertError(e, "BIZ_FIELD_CHECK_INVALID", 400, "\"PageSize\"");
    }

    @Test
    void optionalIntBeyondIntRangeIsFieldCheckInvalidNotOverflow() {
        assertThat(request(Map.of("N", "7")).optionalInt("N", 0, Integer.MAX_VALUE)).isEqualTo(7);
        assertError(failure(() -> request(Map.of("N", "3000000000")).optionalInt("N", 0, Integer.MAX_VALUE)),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"N\"");
    }

    @Test
    void requiredNumbersAreMissingParameterWhenAbsent() {
        assertError(failure(() -> request(Map.of()).requiredInt("N", 0, 9)), "MissingParameter", 400, "\"N\"");
        assertError(failure(() -> request(Map.of("N", "")).requiredLong("N", 0, 9)), "MissingParameter", 400, "\"N\"");
        assertThat(request(Map.of("N", "9")).requiredLong("N", 0, 9)).isEqualTo(9L);
    }

    @Test
    void optionalBooleanReadsTrueAndFalseWithoutCase() {
        assertThat(request(Map.of("B", "true")).optionalBoolean("B")).isTrue();
        assertThat(request(Map.of("B", "FALSE")).optionalBoolean("B")).isFalse();
        assertThat(request(Map.of()).optionalBoolean("B")).isNull();
    }

    @Test
    void optionalBooleanOtherTextIsInvalidParameter() {
        assertError(failure(() -> request(Map.of("B", "yes")).optionalBoolean("B")), "InvalidParameter", 400, "\"B\"");
    }

    // --- tags ----------------------------------------------------------------------------------------

    @Test
    void tagsAreReadInOrder() {
        Params request = request(Map.of("Tag.1.Key", "k1", "Tag.1.Value", "v1", "Tag.2.Key", "k2", "Tag.2.Value", "v2"));
        assertThat(request.tags("Tag")).containsExactly(new Tag("k1", "v1"), new Tag("k2", "v2"));
    }

    @Test
    void tagWithoutValueHasAnEmptyValue() {
        assertThat(request(Map.of("Tag.1.Key", "k")).tags("Tag")).containsExactly(new Tag("k", ""));
    }

    @Test
    void tagsStopAtTheFirstGap() {
        assertThat(request(Map.of("Tag.1.Key", "a", "Tag.3.Key", "c")).tags("Tag")).containsExactly(new Tag("a", ""));
    }

    @Test
    void tagValueWithoutKeyIsMissingParameterNamingTheKey() {
        assertError(failure(() -> request(Map.of("Tag.1.Value", "v")).tags("Tag")), "MissingParameter", 400, "\"Tag.1.Key\"");
    }

    @Test
    void moreThanTwentyTagsIsFieldCheckInvalid() {
        Map<String, String> params = new HashMap<>();
        for (int n = 1; n <= 21; n++) {
            params.put("Tag." + n + ".Key", "k" + n);
        }
        assertError(failure(() -> request(params).tags("Tag")), "BIZ_FIELD_CHECK_INVALID", 400, "\"Tag\"");
        params.remove("Tag.21.Key");
        assertThat(request(params).tags("Tag")).hasSize(20);
    }

    @Test
    void tagTextBreakingTheOnsRulesIsFieldCheckInvalidNamingTheParameter() {
        assertError(failure(() -> request(Map.of("Tag.1.Key", "aliyun-x")).tags("Tag")), "BIZ_FIELD_CHECK_INVALID", 400, "\"Tag.1.Key\"");
        assertError(failure(() -> request(Map.of("Tag.1.Key", "k", "Tag.1.Value", "see https://x")).tags("Tag")),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"Tag.1.Value\"");
        assertError(failure(() -> request(Map.of("Tag.1.Key", "k".repeat(129))).tags("Tag")),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"Tag.1.Key\"");
    }

    // --- repeated ------------------------------------------------------------------------------------

    @Test
    void repeatedReadsNameDotNFromOne() {
        Params request = request(Map.of("ResourceId.1", "TopicA", "ResourceId.2", "TopicB"));
        assertThat(request.repeated("ResourceId", 50)).containsExactly("TopicA", "TopicB");
        assertThat(request.repeated("TagKey", 50)).isEmpty();
    }

    @Test
    void repeatedBeyondTheMaximumIsFieldCheckInvalid() {
        Params request = request(Map.of("ResourceId.1", "a", "ResourceId.2", "b", "ResourceId.3", "c"));
        assertError(failure(() -> request.repeated("ResourceId", 2)), "BIZ_FIELD_CHECK_INVALID", 400, "\"ResourceId\"");
    }

    @Test
    void controlCharactersAreRefusedNamingTheParameterAndWhere() {
        OnsException e = failure(() -> request(Map.of("Remark", "ok\u0001")).optional("Remark", 256));
        assertError(e, "BIZ_FIELD_CHECK_INVALID", 400, "\"Remark\"");
        assertThat(e.getMessage()).contains("U+0001").contains("position 3");
        assertError(failure(() -> request(Map.of("Topic", "a\u0000b")).required("Topic")), "BIZ_FIELD_CHECK_INVALID", 400, "\"Topic\"");
        assertError(failure(() -> request(Map.of("Tag.1.Key", "k", "Tag.1.Value", "v\u0007")).tags("Tag")),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"Tag.1.Value\"");
        assertError(failure(() -> request(Map.of("ResourceId.1", "\uFFFF")).repeated("ResourceId", 5)),
                "BIZ_FIELD_CHECK_INVALID", 400, "\"ResourceId.1\"");
    }

    @Test
    void tabsNewlinesAndOtherTextPass() {
        assertThat(request(Map.of("Remark", "line 1\r\nline 2\tend \u4E2D\u6587 \uD83D\uDE00")).optional("Remark"))
                .isEqualTo("line 1\r\nline 2\tend \u4E2D\u6587 \uD83D\uDE00");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static Params request(Map<String, String> params) {
        return new Params(params);
    }

    private static OnsException failure(ThrowingCallable call) {
        OnsException e = catchThrowableOfType(OnsException.class, call);
        assertThat(e).as("expected an OnsException").isNotNull();
        return e;
    }

    private static void assertError(OnsException e, String code, int status, String messagePart) {
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains(messagePart);
    }
}
