package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import io.onsbridge.OnsBridge;
import io.onsbridge.embedded.EmbeddedCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge as {@code bin/ons-bridge} runs it: its main class in a JVM of its own with the embedded
 * cluster under a data dir. Killed with -9 it comes back with its instances and its generated key pair;
 * SIGTERM stops it cleanly, and what it held is there at the next start. (The script itself only adds a build step and {@code java -jar}; the test
 * classpath stands in for the jar, which the it module's test phase does not have.)
 */
class LauncherIT {
    private static final Pattern ENDPOINT = Pattern.compile("ONS endpoint\\s+http://(\\S+)");
    private static final Pattern MQTT = Pattern.compile("MQTT gateway\\s+tcp://\\S+:(\\d+)");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("AccessKeyId\\s+(\\S+)");
    private static final Pattern ACCESS_KEY_SECRET = Pattern.compile("AccessKeySecret\\s+(\\S+)\\s+\\(generated; kept in (\\S+)\\)");
    /** A JVM ended by SIGTERM after its shutdown hooks ran: 128 + 15 (README, "Two commands"). */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dataDir;
    private Child running;
    private String mqttPort;

    @AfterEach
    void kill() {
        if (running != null) {
            running.process.destroyForcibly();
        }
    }

    @Test
    void killedItComesBackWithItsInstancesAndKeysAndSigtermStopsIt() throws Exception {
        List<String> cluster = List.of("--data-dir", dataDir.toString(),
                "--embedded-namesrv-port", Integer.toString(EmbeddedCluster.freePort()),
                "--embedded-broker-port", Integer.toString(EmbeddedCluster.freeBrokerPort()));

        running = Child.start(dataDir, withHttpPort(cluster));
        running.awaitReady(Duration.ofSeconds(15)); // issue 3: ready within 15 s
        String accessKeyId = running.banner(ACCESS_KEY_ID, 1);
        String secret = running.banner(ACCESS_KEY_SECRET, 1);
        assertThat(running.banner(MQTT, 1)).as("the banner names the MQTT port asked for").isEqualTo(mqttPort);
        // The generated pair is printed once, and it is the one kept in the data dir.
        assertThat(Path.of(running.banner(ACCESS_KEY_SECRET, 2))).isEqualTo(dataDir.resolve("credentials.properties"));
        assertThat(Files.readString(dataDir.resolve("credentials.properties"))).contains(accessKeyId + "=" + secret);
        var tea = Bridge.tea(running.banner(ENDPOINT, 1), accessKeyId, secret);
        String instanceId = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("launched")).getBody().getData().getInstanceId();
        // Topics and groups live in the broker's own tables: acknowledged, they survive too.
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instanceId).setTopic("Kept").setMessageType(0).setRemark("kept"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instanceId).setGroupId("GID_kept"));

        running.process.destroyForcibly();
        assertThat(running.process.waitFor()).isNotZero();

        // Another HTTP port: the Tea SDK's pooled connection to the killed process would fail the first call.
        running = Child.start(dataDir, withHttpPort(cluster));
        running.awaitReady(Duration.ofSeconds(30)); // after kill -9 the broker first recovers its store
        assertThat(running.banner(ACCESS_KEY_ID, 1)).isEqualTo(accessKeyId);
        assertThat(running.banner(ACCESS_KEY_SECRET, 1)).isEqualTo(secret);
        var again = Bridge.tea(running.banner(ENDPOINT, 1), accessKeyId, secret);
        assertThat(again.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instanceId))
                .getBody().getInstanceBaseInfo().getInstanceName()).isEqualTo("launched");
        assertThat(again.onsTopicList(new OnsTopicListRequest().setInstanceId(instanceId)).getBody().getData().getPublishInfoDo())
                .extracting(t -> t.getTopic() + "/" + t.getMessageType() + "/" + t.getRemark()).containsExactly("Kept/0/kept");
        assertThat(again.onsGroupList(new OnsGroupListRequest().setInstanceId(instanceId)).getBody().getData().getSubscribeInfoDo())
                .extracting(g -> g.getGroupId()).containsExactly("GID_kept");

        String msgId = again.onsMessageSend(new OnsMessageSendRequest().setInstanceId(instanceId).setTopic("Kept")
                .setKey("kept-key").setMessage("sent before the stop")).getBody().getData();

        // SIGTERM through the handle: Process.destroy() would also close the pipe the stop line comes through.
        running.process.toHandle().destroy();
        await().atMost(Duration.ofSeconds(60)).until(() -> !running.process.isAlive());
        assertThat(running.process.exitValue()).isEqualTo(SIGTERM_EXIT);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(running.output()).contains("ons-bridge stopped"));
        // The broker's store ran its whole shutdown (it deletes the abort file last), however prompt the stop was.
        assertThat(dataDir.resolve("rocketmq/store/abort")).doesNotExist();

        running = Child.start(dataDir, withHttpPort(cluster));
        running.awaitReady(Duration.ofSeconds(30));
        var third = Bridge.tea(running.banner(ENDPOINT, 1), accessKeyId, secret);
        assertThat(third.onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instanceId).setTopic("Kept").setKey("kept-key"))
                .getBody().getData().getOnsRestMessageDo()).extracting(m -> m.getMsgId()).containsExactly(msgId);
    }

    /** Free HTTP and MQTT ports (never MQTT's 1883, which a machine may use for a broker of its own). */
    private List<String> withHttpPort(List<String> args) throws IOException {
        List<String> all = new java.util.ArrayList<>(args);
        mqttPort = Integer.toString(EmbeddedCluster.freePort());
        all.addAll(List.of("--http-port", Integer.toString(EmbeddedCluster.freePort()), "--mqtt-port", mqttPort));
        return all;
    }

    /** One run of the bridge's main class, its stdout and stderr collected line by line. */
    private record Child(Process process, List<String> lines) {
        static Child start(Path dataDir, List<String> args) throws IOException {
            Files.createDirectories(dataDir.resolve("tmp"));
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", // bin/ons-bridge's default JAVA_OPTS
                    "-Djava.net.preferIPv4Stack=true",
                    "-Dtls.server.mode=disabled",
                    "-Djava.io.tmpdir=" + dataDir.resolve("tmp"),
                    "-cp", ChildJvmCluster.testClasspath(),
                    OnsBridge.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Child child = new Child(process, new CopyOnWriteArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        child.lines.add(line);
                    }
                } catch (IOException e) {
                    // destroyForcibly closes the stream under the reader: the run is over, its lines are kept
                }
            }, "launcher-it-output");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        void awaitReady(Duration within) {
            await().atMost(within).pollInterval(Duration.ofMillis(100))
                    .failFast("the bridge exited: " + lines, () -> !process.isAlive())
                    .until(() -> output().contains("Stop with Ctrl-C."));
            assertThat(output()).contains("ons-bridge is ready");
        }

        String output() {
            return String.join("\n", lines);
        }

        String banner(Pattern pattern, int group) {
            Matcher m = pattern.matcher(output());
            assertThat(m.find()).as("%s in %s", pattern, lines).isTrue();
            return m.group(group);
        }
    }
}
