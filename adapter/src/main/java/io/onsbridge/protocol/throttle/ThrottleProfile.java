package io.onsbridge.protocol.throttle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads the {@code --throttling} setting: {@code off} (nothing limited, the default so that scripts and test
 * suites are never slowed), {@code ons} (ONS's documented quotas), or the path of a file of
 * {@code Action=rate} lines applied on top of {@code ons}: a rate is calls per second ({@code 10},
 * {@code 0.5}), calls per seconds ({@code 600/60}), or {@code off} to lift ONS's limit for that action.
 * A mistake in the file stops the bridge at start with the line and the reason.
 */
public final class ThrottleProfile {
    private ThrottleProfile() {
    }

    public static Throttle load(String setting, Throttle.Scope scope, Set<String> servedActions, LongSupplier nanoTime) {
        String value = setting == null ? "off" : setting.trim();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "", "off" -> {
                return Throttle.off();
            }
            case "ons" -> {
                return new Throttle(OnsQuotas.LIMITS, scope, nanoTime);
            }
            default -> {
                Path file = Path.of(value);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--throttling is off, ons or a readable file of Action=rate lines; "
                            + file + " is not a file");
                }
                List<String> lines;
                try {
                    lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
                }
                return new Throttle(withOverrides(file, lines, servedActions), scope, nanoTime);
            }
        }
    }

    static Map<String, Quota> withOverrides(Path file, List<String> lines, Set<String> servedActions) {
        Map<String, Quota> quotas = new HashMap<>(OnsQuotas.LIMITS);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(where + "expected Action=rate, found \"" + line + "\"");
            }
            String action = line.substring(0, equals).strip();
            String rate = line.substring(equals + 1).strip();
            if (!servedActions.contains(action)) {
                throw new IllegalArgumentException(where + "\"" + action + "\" is not an action the bridge serves (names are case-sensitive)");
            }
            if (rate.equalsIgnoreCase("off")) {
                quotas.remove(action);
                continue;
            }
            try {
                quotas.put(action, Quota.parse(rate));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        return quotas;
    }
}
