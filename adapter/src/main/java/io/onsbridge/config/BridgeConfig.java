package io.onsbridge.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The bridge's settings ({@link Setting}), from flags, then environment variables, then a properties
 * file ({@code --config}), then defaults: the first that has a value wins.
 */
public final class BridgeConfig {
    private final Map<Setting, String> values;

    private BridgeConfig(Map<Setting, String> values) {
        this.values = values;
    }

    /** Settings given directly (tests, embedding); everything else takes its default. */
    public static BridgeConfig of(Map<Setting, String> given) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String value = given.get(setting);
            values.put(setting, value != null ? value : setting.defaultValue());
        }
        return new BridgeConfig(values);
    }

    public static BridgeConfig load(String[] args, Map<String, String> env) throws IOException {
        Map<Setting, String> flags = parseFlags(args);
        String configFile = nonEmpty(flags.getOrDefault(Setting.CONFIG, env.get(Setting.CONFIG.env())));
        Map<Setting, String> file = configFile == null ? Map.of() : readFile(Path.of(configFile));
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String value = flags.get(setting);
            if (value == null) {
                value = nonEmpty(env.get(setting.env()));
            }
            if (value == null) {
                value = file.get(setting);
            }
            values.put(setting, value != null ? value : setting.defaultValue());
        }
        return new BridgeConfig(values);
    }

    private static Map<Setting, String> parseFlags(String[] args) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "; see --help");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            flags.put(Setting.byFlag(name), value);
        }
        return flags;
    }

    private static Map<Setting, String> readFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        properties.forEach((key, value) -> values.put(Setting.byFlag(key.toString().trim()), value.toString().trim()));
        return values;
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public String get(Setting setting) {
        return values.get(setting);
    }

    public int getInt(Setting setting) {
        String value = values.get(setting);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(setting.env() + " (--" + setting.flag() + ") must be a number, was \"" + value + "\"");
        }
    }

    public Path dataDir() {
        return Path.of(get(Setting.DATA_DIR)).toAbsolutePath().normalize();
    }

    public boolean embedded() {
        return get(Setting.NAMESRV) == null;
    }

    public BridgeConfig with(Setting setting, String value) {
        Map<Setting, String> copy = new EnumMap<>(values);
        copy.put(setting, value);
        return new BridgeConfig(copy);
    }

    public static String help() {
        StringBuilder help = new StringBuilder("Usage: bin/ons-bridge [--setting value ...]\n\nSettings (flag, environment variable, default):\n");
        for (Setting s : Setting.values()) {
            help.append(String.format("  --%-24s %-34s %s%n      %s%n", s.flag(), s.env(),
                    s.defaultValue() == null ? "(unset)" : s.defaultValue(), s.description()));
        }
        return help.toString();
    }
}
