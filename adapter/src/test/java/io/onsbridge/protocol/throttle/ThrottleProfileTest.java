package io.onsbridge.protocol.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThrottleProfileTest {
    private static final Set<String> SERVED = Set.of("OnsTopicList", "OnsTopicStatus", "OnsMessageTrace", "OnsRegionList");
    private static final Path FILE = Path.of("limits.properties");

    @Test
    void offAndOnsAreTheTwoProfiles(@TempDir Path dir) throws Exception {
        assertThat(ThrottleProfile.load("off", Throttle.Scope.ACCOUNT, SERVED, System::nanoTime).isOff()).isTrue();
        assertThat(ThrottleProfile.load(null, Throttle.Scope.ACCOUNT, SERVED, System::nanoTime).isOff()).isTrue();
        Throttle ons = ThrottleProfile.load("ons", Throttle.Scope.ACCOUNT, SERVED, System::nanoTime);
        assertThat(ons.quotas()).containsEntry("OnsMessageTrace", Quota.perSecond(10))
                .containsEntry("OnsTopicStatus", Quota.perSecond(1))
                .containsEntry("OnsMessagePageQueryByTopic", Quota.perMinute(10));
    }

    @Test
    void aFileOverridesOnsLineByLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("limits");
        Files.writeString(file, "# ours\nOnsTopicList = 2\n\nOnsTopicStatus=off\nOnsRegionList=600/60\nOnsMessageTrace=0.5\n");
        Map<String, Quota> quotas = ThrottleProfile.load(file.toString(), Throttle.Scope.ACCOUNT, SERVED, System::nanoTime).quotas();
        assertThat(quotas).containsEntry("OnsTopicList", Quota.perSecond(2))
                .doesNotContainKey("OnsTopicStatus")
                .containsEntry("OnsRegionList", Quota.perMinute(600))
                .containsEntry("OnsMessageTrace", new Quota(1, Duration.ofSeconds(2)))
                .containsEntry("OnsTopicCreate", Quota.perSecond(10)); // untouched ONS rows stay
    }

    @Test
    void mistakesNameTheLineAndTheReason() {
        assertThatThrownBy(() -> ThrottleProfile.withOverrides(FILE, List.of("OnsTopicList=2", "OnsTopicList"), SERVED))
                .hasMessageStartingWith("limits.properties:2: expected Action=rate");
        assertThatThrownBy(() -> ThrottleProfile.withOverrides(FILE, List.of("onstopiclist=2"), SERVED))
                .hasMessageContaining("limits.properties:1: \"onstopiclist\" is not an action the bridge serves");
        assertThatThrownBy(() -> ThrottleProfile.withOverrides(FILE, List.of("", "OnsTopicList=fast"), SERVED))
                .hasMessageContaining("limits.properties:2: not a rate: \"fast\"");
        assertThatThrownBy(() -> ThrottleProfile.withOverrides(FILE, List.of("OnsTopicList=0"), SERVED))
                .hasMessageContaining("limits.properties:1: a rate must be a positive number");
        assertThatThrownBy(() -> ThrottleProfile.withOverrides(FILE, List.of("OnsTopicList=0/60"), SERVED))
                .hasMessageContaining("limits.properties:1: a quota needs at least one call");
        assertThatThrownBy(() -> ThrottleProfile.load("/no/such/file", Throttle.Scope.ACCOUNT, SERVED, System::nanoTime))
                .hasMessageContaining("--throttling is off, ons or a readable file");
    }
}
