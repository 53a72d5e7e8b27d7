package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build context OnsBridgeImage sends: .dockerignore's patterns, and what the Maven build needs. */
class DockerIgnoreTest {

    @Test
    void patternsExcludeMatchingFilesAndEverythingUnderMatchingDirectories(@TempDir Path root) throws IOException {
        for (String file : List.of("pom.xml", "target/x.jar", "adapter/target/classes/A.class", "adapter/src/main/A.java",
                "data/credentials.properties", ".git/HEAD", "a.iml", "adapter/adapter.iml", "docs/target.md")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), "x");
        }
        Files.write(root.resolve(".dockerignore"), List.of("# build output", "**/target", "/data/", ".git", "**/*.iml", ""));
        assertThat(OnsBridgeImage.contextFiles(root)).map(Path::toString)
                .containsExactly(".dockerignore", "adapter/src/main/A.java", "docs/target.md", "pom.xml");
    }

    @Test
    void exceptionsAreRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> DockerIgnore.parse(List.of("**/target", "!keep/target")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("!keep/target");
    }

    @Test
    void theRepositoryContextHasEveryModulePomAndNoBuildOutput() {
        List<String> sent = OnsBridgeImage.contextFiles(Repository.ROOT).stream().map(Path::toString).toList();
        assertThat(sent).contains("pom.xml", "docker/Dockerfile", "adapter/src/main/java/io/onsbridge/OnsBridge.java");
        // The reactor reads every module's pom even when it builds only the adapter.
        for (String module : Repository.modules()) {
            assertThat(sent).contains(module + "/pom.xml");
        }
        assertThat(sent).noneMatch(path -> path.startsWith("target/") || path.contains("/target/") || path.equals(".git") || path.startsWith(".git/"));
    }
}
