package io.onsbridge.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a real ons-bridge with its embedded RocketMQ name server and broker,
 * started in the test JVM on loopback ports once per test run and shared by every annotated class.
 * Declare an {@link OnsBridgeEnvironment} parameter (constructor, lifecycle or test method) to get its
 * endpoint, credentials, name server address and ready-made clients of both official SDKs.
 *
 * <p>System properties read at the first start: {@code onsbridge.test.messageDelayLevels} (the broker's
 * retry delays, e.g. eighteen "1s" for fast dead-letter tests; default RocketMQ's own) and
 * {@code onsbridge.test.dataDir} (default a new directory under target/ or the temp dir).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OnsBridgeExtension.class)
public @interface OnsBridgeTest {
}
