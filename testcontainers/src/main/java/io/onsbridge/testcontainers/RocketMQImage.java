package io.onsbridge.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.testcontainers.utility.DockerImageName;

/** The official {@code apache/rocketmq} image at the RocketMQ version the bridge is built with (root pom). */
public final class RocketMQImage {
    /** The root pom's {@code rocketmq.version}, filtered into rocketmq.properties by Maven. */
    public static final String VERSION = load();
    public static final DockerImageName IMAGE = DockerImageName.parse("apache/rocketmq").withTag(VERSION);

    private RocketMQImage() {
    }

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = RocketMQImage.class.getResourceAsStream("rocketmq.properties")) {
            if (in == null) {
                throw new IllegalStateException("rocketmq.properties is missing from the ons-bridge-testcontainers jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("rocketmq.version");
    }
}
