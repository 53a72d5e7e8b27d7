package io.onsbridge.protocol.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload rounds are driven by hand here (reloadIfChanged); AccessPolicyIT shows the poller doing it within 5 s. */
class AccessPolicyFileTest {
    private static final String GOOD = "{\"K\": {\"AccessKeySecret\": \"one\", \"Policies\": []}}";
    private static final String OTHER = "{\"K\": {\"AccessKeySecret\": \"two\", \"Policies\": []}, \"L\": {\"AccessKeySecret\": \"l\", \"Policies\": []}}";

    @TempDir
    Path dir;

    private static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        // A distinct modification time even where the file system's clock is coarse.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }

    @Test
    void readsAtStartThenReloadsAChangedFile() throws Exception {
        Path file = dir.resolve("p.json");
        write(file, GOOD, 0);
        try (AccessPolicyFile policies = AccessPolicyFile.start(file, AuthorizerTest.SCOPE, Set.of(), Duration.ofHours(1))) {
            assertThat(policies.secretOf("K")).contains("one");
            policies.reloadIfChanged();
            assertThat(policies.reloads()).isZero();

            write(file, OTHER, 10);
            policies.reloadIfChanged();
            assertThat(policies.reloads()).isEqualTo(1);
            assertThat(policies.secretOf("K")).contains("two");
            assertThat(policies.current().keys()).isEqualTo(2);
        }
    }

    @Test
    void aBrokenVersionKeepsThePreviousPolicies() throws Exception {
        Path file = dir.resolve("p.json");
        write(file, GOOD, 0);
        try (AccessPolicyFile policies = AccessPolicyFile.start(file, AuthorizerTest.SCOPE, Set.of(), Duration.ofHours(1))) {
            write(file, "{\"K\": ", 10);
            policies.reloadIfChanged();
            policies.reloadIfChanged();
            assertThat(policies.rejectedReloads()).isEqualTo(1);
            assertThat(policies.secretOf("K")).contains("one");

            Files.delete(file);
            policies.reloadIfChanged();
            policies.reloadIfChanged();
            assertThat(policies.rejectedReloads()).isEqualTo(2);
            assertThat(policies.secretOf("K")).contains("one");

            write(file, OTHER, 20);
            policies.reloadIfChanged();
            assertThat(policies.secretOf("K")).contains("two");
        }
    }

    @Test
    void aBrokenFileStopsTheStartWithItsReason() throws Exception {
        Path file = dir.resolve("p.json");
        write(file, "{\"K\": {\"AccessKeySecret\": \"s\", \"Policies\": [{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"allow\", "
                + "\"Action\": \"mq:*\", \"Resource\": \"*\"}]}]}}", 0);
        assertThatThrownBy(() -> AccessPolicyFile.start(file, AuthorizerTest.SCOPE, Set.of(), Duration.ofHours(1)))
                .isInstanceOf(AccessPolicyException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key \"K\", Policies[0].Statement[0]: \"Effect\" must be \"Allow\" or \"Deny\"");
        assertThatThrownBy(() -> AccessPolicyFile.start(dir.resolve("missing.json"), AuthorizerTest.SCOPE, Set.of(), Duration.ofHours(1)))
                .isInstanceOf(AccessPolicyException.class)
                .hasMessageContaining("cannot be read");
    }
}
