package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * docker/Dockerfile without an engine: what it copies exists, what it runs matches what the build
 * produces and what bin/ons-bridge does, and it keeps to the classic builder's syntax.
 */
class DockerfileTest {
    private static final String DOCKERFILE = Repository.read(OnsBridgeImage.DOCKERFILE);
    private static final List<String> INSTRUCTIONS = instructions(DOCKERFILE);

    @Test
    void buildsOnAJdkAndRunsOnAJreAsANonRootUser() {
        List<String> froms = withKeyword("FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).endsWith(" AS build");
        assertThat(arg("BUILD_IMAGE")).contains("temurin-17");
        assertThat(arg("RUNTIME_IMAGE")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(froms.get(1)).isEqualTo("${RUNTIME_IMAGE}");

        List<String> users = withKeyword("USER");
        assertThat(users).singleElement().isNotIn("root", "0");
        // USER comes after every RUN that needs root and before the entry point.
        assertThat(INSTRUCTIONS.indexOf("USER " + users.get(0))).isGreaterThan(lastIndexOf("RUN"))
                .isLessThan(lastIndexOf("ENTRYPOINT"));
    }

    @Test
    void copiesTheJarAndLibrariesTheAdapterBuildProduces() {
        Document adapter = Repository.pom("adapter/pom.xml");
        String jar = "/src/adapter/target/" + Repository.element(adapter, "finalName") + ".jar";
        assertThat(Repository.element(adapter, "classpathPrefix")).isEqualTo("lib/");
        assertThat(Repository.element(adapter, "outputDirectory")).isEqualTo("${project.build.directory}/lib");
        assertThat(withKeyword("RUN")).anySatisfy(run -> assertThat(run).startsWith("mvn ").contains("-pl adapter -am package"));
        assertThat(withKeyword("COPY")).contains(
                "--from=build " + jar + " /opt/ons-bridge/ons-bridge.jar",
                "--from=build /src/adapter/target/lib/ /opt/ons-bridge/lib/");
        assertThat(Repository.read("docker/entrypoint.sh")).contains("home=\"${ONS_BRIDGE_HOME:-/opt/ons-bridge}\"")
                .contains("-jar \"$home/ons-bridge.jar\" \"$@\"");
    }

    @Test
    void everythingCopiedFromTheContextExistsAndIsSent() {
        List<String> sent = OnsBridgeImage.contextFiles(Repository.ROOT).stream().map(Object::toString).toList();
        for (String copy : withKeyword("COPY")) {
            if (copy.startsWith("--from=") || copy.equals(". .")) {
                continue;
            }
            String[] parts = copy.split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                assertThat(Files.isRegularFile(Repository.ROOT.resolve(parts[i]))).as(parts[i]).isTrue();
                assertThat(sent).as("sent in the build context").contains(parts[i]);
            }
        }
    }

    @Test
    void healthCheckUsesTheScriptAndTheDataDirIsAVolume() {
        assertThat(withKeyword("HEALTHCHECK")).singleElement().asString()
                .contains("CMD [\"bash\", \"/opt/ons-bridge/healthcheck.sh\"]");
        assertThat(withKeyword("ENTRYPOINT")).containsExactly("[\"bash\", \"/opt/ons-bridge/entrypoint.sh\"]");

        Map<String, String> env = Repository.dockerfileEnv(DOCKERFILE);
        assertThat(withKeyword("VOLUME")).containsExactly("[\"" + env.get("ONS_BRIDGE_DATA_DIR") + "\"]");
        assertThat(withKeyword("EXPOSE")).containsExactly(env.get("ONS_BRIDGE_HTTP_PORT") + " " + env.get("ONS_BRIDGE_MQTT_PORT"));
        assertThat(env).containsEntry("ONS_BRIDGE_HTTP_HOST", "0.0.0.0");
    }

    @Test
    void theEntryPointStartsJavaAsBinOnsBridgeDoes() {
        String entrypoint = Repository.read("docker/entrypoint.sh");
        String launcher = Repository.read("bin/ons-bridge");
        for (String flag : List.of("-Djava.net.preferIPv4Stack=true", "-Dtls.server.mode=disabled", "-Djava.io.tmpdir=\"$data_dir/tmp\"")) {
            assertThat(launcher).contains(flag);
            assertThat(entrypoint).contains(flag);
        }
        assertThat(entrypoint).contains("exec java");
    }

    @Test
    void usesNoSyntaxTheClassicBuilderLacks() {
        assertThat(DOCKERFILE).doesNotContain("# syntax=", "--mount=", "--chmod=", "<<");
    }

    private static List<String> withKeyword(String keyword) {
        return INSTRUCTIONS.stream().filter(i -> i.startsWith(keyword + " ")).map(i -> i.substring(keyword.length() + 1).strip()).toList();
    }

    private static String arg(String name) {
        return withKeyword("ARG").stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                .findFirst().orElseThrow();
    }

    private static int lastIndexOf(String keyword) {
        for (int i = INSTRUCTIONS.size() - 1; i >= 0; i--) {
            if (INSTRUCTIONS.get(i).startsWith(keyword + " ")) {
                return i;
            }
        }
        return -1;
    }

    /** Instructions with continuation lines joined; comments and blank lines dropped. */
    static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || stripped.isEmpty()) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(stripped).toString().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        return instructions;
    }
}
