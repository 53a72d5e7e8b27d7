package io.onsbridge.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The AccessKey pairs the endpoint accepts: the admin pair (configured, or for the embedded cluster
 * generated once and kept in the data dir) plus any accounts of the credentials file.
 */
public final class Credentials {
    public static final String FILE_NAME = "credentials.properties";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final String adminAccessKeyId;
    private final Map<String, String> secrets;
    private final Path adminFile;

    private Credentials(String adminAccessKeyId, Map<String, String> secrets, Path adminFile) {
        this.adminAccessKeyId = adminAccessKeyId;
        this.secrets = secrets;
        this.adminFile = adminFile;
    }

    public static Credentials load(BridgeConfig config) throws IOException {
        String accessKey = config.get(Setting.ACCESS_KEY);
        String secretKey = config.get(Setting.SECRET_KEY);
        Path adminFile = null;
        if (accessKey == null || secretKey == null) {
            if (accessKey != null || secretKey != null) {
                throw new IllegalArgumentException("set both ONS_BRIDGE_ACCESS_KEY and ONS_BRIDGE_SECRET_KEY, or neither");
            }
            if (!config.embedded()) {
                throw new IllegalArgumentException(
                        "with an external cluster, ONS_BRIDGE_ACCESS_KEY and ONS_BRIDGE_SECRET_KEY are required");
            }
            adminFile = config.dataDir().resolve(FILE_NAME);
            Map<String, String> pair = loadOrGenerate(adminFile);
            accessKey = pair.keySet().iterator().next();
            secretKey = pair.get(accessKey);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(accessKey, secretKey);
        String more = config.get(Setting.CREDENTIALS_FILE);
        if (more != null) {
            read(Path.of(more)).forEach(secrets::putIfAbsent);
        }
        return new Credentials(accessKey, secrets, adminFile);
    }

    public String adminAccessKeyId() {
        return adminAccessKeyId;
    }

    /** Where the generated admin pair is kept, or null when it was configured. */
    public Path adminFile() {
        return adminFile;
    }

    public Map<String, String> secrets() {
        return secrets;
    }

    private static Map<String, String> loadOrGenerate(Path file) throws IOException {
        if (Files.exists(file)) {
            Map<String, String> pair = read(file);
            if (pair.size() != 1) {
                throw new IllegalArgumentException(file + " must hold exactly one AccessKeyId=AccessKeySecret line");
            }
            return pair;
        }
        Files.createDirectories(file.getParent());
        SecureRandom random = new SecureRandom();
        String accessKeyId = "LTAI" + randomText(random, 20);
        String secret = randomText(random, 30);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            writer.write("# The ONS AccessKey pair of this bridge, generated on first start: AccessKeyId=AccessKeySecret\n");
            writer.write(accessKeyId + "=" + secret + "\n");
        }
        // Owner-only where the file system has POSIX permissions; elsewhere the platform's defaults stay.
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return Map.of(accessKeyId, secret);
    }

    private static Map<String, String> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        properties.forEach((key, value) -> pairs.put(key.toString().trim(), value.toString().trim()));
        return pairs;
    }

    private static String randomText(SecureRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }
}
