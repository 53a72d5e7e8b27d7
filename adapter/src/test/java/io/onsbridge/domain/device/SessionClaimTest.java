package io.onsbridge.domain.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionClaimTest {
    @Test
    void claimsWrittenTogetherAreReadBackInOrder() {
        List<SessionClaim> claims = List.of(new SessionClaim("MQ_INST_1/GID_a@@@d1", "0123456789abcdef0123456789abcdef", 1_000),
                new SessionClaim("MQ_INST_1/GID_a@@@d2", "fedcba9876543210fedcba9876543210", 1_001));
        List<String> notices = SessionClaim.notices(claims);
        assertThat(notices).hasSize(1);
        assertThat(SessionClaim.parse(notices.get(0), 5)).containsExactlyElementsOf(claims);
    }

    @Test
    void manyClaimsAreSplitIntoNoticesOfBoundedSizeWithNothingLost() {
        List<SessionClaim> claims = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            claims.add(new SessionClaim("MQ_INST_1/GID_a@@@device-" + i, "0123456789abcdef0123456789abcdef", i));
        }
        List<String> notices = SessionClaim.notices(claims);
        assertThat(notices).hasSizeGreaterThan(1).allSatisfy(n -> assertThat(n.length()).isLessThanOrEqualTo(SessionClaim.MAX_NOTICE_CHARS));
        List<SessionClaim> read = new ArrayList<>();
        notices.forEach(n -> read.addAll(SessionClaim.parse(n, 0)));
        assertThat(read).containsExactlyElementsOf(claims);
    }

    @Test
    void aNoticeOfTheFirstFormTakesItsSendTimeAndAnUnreadableLineIsSkipped() {
        assertThat(SessionClaim.parse("MQ_INST_1/GID_a@@@d1\nabc", 42)).containsExactly(new SessionClaim("MQ_INST_1/GID_a@@@d1", "abc", 42));
        assertThat(SessionClaim.parse("k\tc\tnot-a-time\nk2\tc2\t7", 0)).containsExactly(new SessionClaim("k2", "c2", 7));
    }
}
