package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.tea.TeaException;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas per action through the Tea SDK: a burst past an action's quota is refused with
 * {@code Throttling.User} for exactly the excess (give or take the tokens refilled while the burst ran),
 * other actions are served meanwhile, {@code off} limits nothing, and per-key scope gives each key its own.
 */
@OnsBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottlingIT {
    private final Bridge bridge;
    private String instance;

    ThrottlingIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void topic() throws Exception {
        instance = bridge.newInstance("throttle");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0).setRemark("t"));
    }

    /** Calls OnsTopicStatus {@code calls} times as fast as it can; returns how many were admitted. */
    private Burst burst(Client tea, int calls) {
        long start = System.nanoTime();
        int admitted = 0;
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try {
                tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Orders"));
                admitted++;
            } catch (TeaException e) {
                assertThat(e.getCode()).isEqualTo("Throttling.User");
                assertThat(e.getStatusCode()).isEqualTo(400);
                refusals.add(e.getMessage());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return new Burst(admitted, refusals, (System.nanoTime() - start) / 1e9);
    }

    private record Burst(int admitted, List<String> refusals, double seconds) {
        /** The quota, plus what the bucket refilled at {@code perSecond} while the burst ran. */
        void admittedAbout(int quota, double perSecond) {
            assertThat(admitted).isBetween(quota, quota + (int) Math.ceil(seconds * perSecond));
        }
    }

    @Test
    void aBurstPastTheQuotaIsRefusedForTheExcessWhileOtherActionsAreServed(@TempDir Path dir) throws Exception {
        Path limits = Files.writeString(dir.resolve("limits"), "OnsTopicStatus=5\nOnsRegionList=off\n");
        try (OnsBridgeServer server = bridge.startServer(Map.of(Setting.THROTTLING, limits.toString()))) {
            Client tea = Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret);
            Client other = Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret);
            CompletableFuture<Integer> regionLists = CompletableFuture.supplyAsync(() -> {
                int ok = 0;
                for (int i = 0; i < 100; i++) {
                    try {
                        assertThat(other.onsRegionList().getBody().getData().getRegionDo()).isNotEmpty();
                        ok++;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                return ok;
            });
            Burst burst = burst(tea, 30);
            burst.admittedAbout(5, 5);
            assertThat(burst.refusals()).hasSize(30 - burst.admitted())
                    .allSatisfy(message -> assertThat(message).contains("OnsTopicStatus").contains("5 calls per 1 s").contains("this account"));
            assertThat(regionLists.get()).isEqualTo(100);

            Scrape scrape = Scrape.of(server.endpoint());
            assertThat(scrape.counter("ons_bridge_requests_total", Map.of("action", "OnsTopicStatus", "code", "Throttling.User")))
                    .isEqualTo(burst.refusals().size());
            assertThat(scrape.counter("ons_bridge_requests_total", Map.of("action", "OnsRegionList", "code", "Throttling.User"))).isZero();
        }
    }

    @Test
    void theOnsProfileHoldsOnsTopicStatusToOneCallASecond() throws Exception {
        try (OnsBridgeServer server = bridge.startServer(Map.of(Setting.THROTTLING, "ons"))) {
            Burst burst = burst(Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret), 10);
            burst.admittedAbout(1, 1);
            assertThat(burst.refusals()).isNotEmpty();
        }
    }

    @Test
    void offLimitsNothing() {
        // The shared bridge runs with the default, off.
        Burst burst = burst(bridge.tea(), 40);
        assertThat(burst.admitted()).isEqualTo(40);
    }

    @Test
    void perKeyScopeGivesEachKeyItsOwnQuota(@TempDir Path dir) throws Exception {
        Path limits = Files.writeString(dir.resolve("limits"), "OnsTopicStatus=3\n");
        try (OnsBridgeServer server = OnsBridgeEnvironment.startServer(bridge.cluster.namesrvAddr(),
                Map.of(Setting.THROTTLING, limits.toString(), Setting.THROTTLING_SCOPE, "access-key"),
                Map.of(bridge.accessKeyId, bridge.accessKeySecret, "ThrottledKey2", "secret-of-key-2"))) {
            Burst first = burst(Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret), 12);
            Burst second = burst(Bridge.tea("127.0.0.1:" + server.port(), "ThrottledKey2", "secret-of-key-2"), 12);
            first.admittedAbout(3, 3);
            second.admittedAbout(3, 3);
            assertThat(second.refusals()).allSatisfy(message -> assertThat(message).contains("AccessKey ThrottledKey2"));
        }
    }
}
