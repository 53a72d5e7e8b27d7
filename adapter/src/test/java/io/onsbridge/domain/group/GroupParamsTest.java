package io.onsbridge.domain.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Params;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GroupType ({@link GroupActions#groupType}) and the GroupId rule of OnsGroupCreate ({@link GroupActions#GROUP_ID}). */
class GroupParamsTest {

    private static String groupId(String value) {
        return new Params(Map.of("GroupId", value)).required("GroupId", GroupActions.GROUP_ID, GroupActions.GROUP_RULE);
    }

    // --- GroupType ---------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"tcp, tcp", "TCP, tcp", "Tcp, tcp", "http, http", "HTTP, http", "hTtP, http"})
    void groupTypeIsTcpOrHttpInAnyCase(String sent, String expected) {
        assertThat(GroupActions.groupType(new Params(Map.of("GroupType", sent)))).isEqualTo(expected);
    }

    @Test
    void anAbsentOrEmptyGroupTypeIsNone() {
        assertThat(GroupActions.groupType(new Params(Map.of()))).isNull();
        assertThat(GroupActions.groupType(new Params(Map.of("GroupType", "")))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtt", "grpc", " tcp", "tcp ", "tcp,http", "https", "0"})
    void anyOtherGroupTypeIsAFieldCheckError(String sent) {
        OnsException e = catchThrowableOfType(OnsException.class, () -> GroupActions.groupType(new Params(Map.of("GroupType", sent))));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("\"GroupType\"").contains("tcp or http");
    }

    // --- GroupId -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"GID_a", "GID-a", "GID_orders", "GID_Order-Events_2", "GID__", "GID--"})
    void aValidGroupIdIsReturnedAsSent(String id) {
        assertThat(groupId(id)).isEqualTo(id);
    }

    @Test
    void sixtyFourCharactersAreAllowedSixtyFiveAreNot() {
        String max = "GID_" + "g".repeat(60);
        assertThat(max).hasSize(64);
        assertThat(groupId(max)).isEqualTo(max);

        OnsException e = catchThrowableOfType(OnsException.class, () -> groupId(max + "g"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.getMessage()).contains("\"GroupId\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GID_", "GID", "GIDa", "gid_a", "Gid_a", "CID_a", "orders", "GID_a.b", "GID_a b", "GID_a%b",
            "X%GID_a", "GID_组"})
    void aGroupIdBreakingTheRuleIsAFieldCheckError(String id) {
        OnsException e = catchThrowableOfType(OnsException.class, () -> groupId(id));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.getMessage()).contains("\"GroupId\"").contains(GroupActions.GROUP_RULE);
    }

    @Test
    void aMissingGroupIdIsAMissingParameter() {
        OnsException e = catchThrowableOfType(OnsException.class,
                () -> new Params(Map.of()).required("GroupId", GroupActions.GROUP_ID, GroupActions.GROUP_RULE));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("MissingParameter");
        assertThat(e.getMessage()).contains("\"GroupId\"");
    }
}
