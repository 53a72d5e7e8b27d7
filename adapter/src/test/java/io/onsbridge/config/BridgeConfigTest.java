package io.onsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {
    @TempDir
    Path dir;

    @Test
    void nothingGivenMeansDefaults() throws IOException {
        BridgeConfig config = load(Map.of());
        assertThat(config.get(Setting.HTTP_PORT)).isEqualTo("8080");
        assertThat(config.get(Setting.REGION)).isEqualTo("cn-hangzhou");
        assertThat(config.get(Setting.NAMESRV)).isNull();
        assertThat(config.embedded()).isTrue();
    }

    @Test
    void flagsWithEqualsOrSeparateValue() throws IOException {
        BridgeConfig config = load(Map.of(), "--http-port=9090", "--region", "cn-beijing", "--namesrv=a:1;b:2");
        assertThat(config.get(Setting.HTTP_PORT)).isEqualTo("9090");
        assertThat(config.get(Setting.REGION)).isEqualTo("cn-beijing");
        assertThat(config.get(Setting.NAMESRV)).isEqualTo("a:1;b:2");
        assertThat(config.embedded()).isFalse();
    }

    @Test
    void flagValueMayItselfContainEquals() throws IOException {
        assertThat(load(Map.of(), "--secret-key=ab=cd").get(Setting.SECRET_KEY)).isEqualTo("ab=cd");
    }

    @Test
    void environmentIsUsedWhenNoFlagIsGiven() throws IOException {
        assertThat(load(Map.of("ONS_BRIDGE_REGION", "cn-shanghai")).get(Setting.REGION)).isEqualTo("cn-shanghai");
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverFileWhichWinsOverDefaults() throws IOException {
        Path file = propertiesFile("region=from-file", "http-port=1111", "data-dir=/from/file", "account-id=123");
        Map<String, String> env = Map.of(
                "ONS_BRIDGE_CONFIG", file.toString(), "ONS_BRIDGE_REGION", "from-env", "ONS_BRIDGE_HTTP_PORT", "2222");
        BridgeConfig config = load(env, "--region", "from-flag");
        assertThat(config.get(Setting.REGION)).isEqualTo("from-flag");
        assertThat(config.get(Setting.HTTP_PORT)).isEqualTo("2222");
        assertThat(config.get(Setting.ACCOUNT_ID)).isEqualTo("123");
        assertThat(config.get(Setting.WORKER_THREADS)).isEqualTo("16");
    }

    @Test
    void emptyEnvironmentValueFallsThroughToTheFile() throws IOException {
        Path file = propertiesFile("region=from-file");
        assertThat(load(Map.of("ONS_BRIDGE_REGION", ""), "--config", file.toString()).get(Setting.REGION)).isEqualTo("from-file");
    }

    @Test
    void configFileValuesAndKeysAreTrimmedAndUtf8() throws IOException {
        Path file = propertiesFile("  region =  华东  ");
        assertThat(load(Map.of(), "--config=" + file).get(Setting.REGION)).isEqualTo("华东");
    }

    @Test
    void unknownFlagIsRejected() {
        assertThatThrownBy(() -> load(Map.of(), "--no-such-thing=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting --no-such-thing");
    }

    @Test
    void unknownKeyInTheConfigFileIsRejected() throws IOException {
        Path file = propertiesFile("regoin=typo");
        assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regoin");
    }

    @Test
    void argumentThatIsNotAFlagIsRejected() {
        assertThatThrownBy(() -> load(Map.of(), "8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected argument 8080");
    }

    @Test
    void lastFlagWithoutValueIsRejected() {
        assertThatThrownBy(() -> load(Map.of(), "--region"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--region needs a value");
    }

    @Test
    void anEmptyConfigFileSettingMeansNoFile() throws IOException {
        assertThat(load(Map.of("ONS_BRIDGE_CONFIG", "")).get(Setting.HTTP_PORT)).isEqualTo("8080");
        assertThat(load(Map.of(), "--config=").get(Setting.HTTP_PORT)).isEqualTo("8080");
    }

    @Test
    void aFlagIsNotTakenAsTheValueOfThePreviousFlag() {
        assertThatThrownBy(() -> load(Map.of(), "--http-port", "--region=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--http-port needs a value");
    }

    @Test
    void getIntParsesAndTrims() {
        assertThat(BridgeConfig.of(Map.of(Setting.HTTP_PORT, " 9090 ")).getInt(Setting.HTTP_PORT)).isEqualTo(9090);
        assertThat(BridgeConfig.of(Map.of()).getInt(Setting.MAX_INSTANCES)).isEqualTo(8);
    }

    @Test
    void getIntOfANonNumberNamesTheSettingAndTheValue() {
        BridgeConfig config = BridgeConfig.of(Map.of(Setting.HTTP_PORT, "eighty"));
        assertThatThrownBy(() -> config.getInt(Setting.HTTP_PORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ONS_BRIDGE_HTTP_PORT (--http-port) must be a number, was \"eighty\"");
    }

    @Test
    void withReturnsAChangedCopy() {
        BridgeConfig original = BridgeConfig.of(Map.of());
        BridgeConfig changed = original.with(Setting.REGION, "cn-qingdao");
        assertThat(changed.get(Setting.REGION)).isEqualTo("cn-qingdao");
        assertThat(original.get(Setting.REGION)).isEqualTo("cn-hangzhou");
    }

    @Test
    void dataDirIsAbsoluteAndNormalized() {
        Path dataDir = BridgeConfig.of(Map.of(Setting.DATA_DIR, "a/../b/./c")).dataDir();
        assertThat(dataDir.isAbsolute()).isTrue();
        assertThat(dataDir).isEqualTo(Path.of("b/c").toAbsolutePath());
    }

    @Test
    void helpListsEveryFlagAndEnvironmentVariable() {
        String help = BridgeConfig.help();
        for (Setting setting : Setting.values()) {
            assertThat(help).contains("--" + setting.flag()).contains(setting.env());
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static BridgeConfig load(Map<String, String> env, String... args) throws IOException {
        return BridgeConfig.load(args, new HashMap<>(env));
    }

    private Path propertiesFile(String... lines) throws IOException {
        Path file = dir.resolve("bridge.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }
}
