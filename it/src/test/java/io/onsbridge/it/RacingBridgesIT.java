package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsGroupListResponseBody.OnsGroupListResponseBodyDataSubscribeInfoDo;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicListResponseBody.OnsTopicListResponseBodyDataPublishInfoDo;
import com.aliyun.tea.TeaException;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two bridges on one cluster writing the same name at the same instant, as two operators' scripts would:
 * creates end with exactly one success and the other {@code …_EXISTED}, the resource is the winner's in
 * every field, read the same through both bridges; a create racing a delete ends in a state one order of
 * the two explains.
 */
@OnsBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RacingBridgesIT {
    private static final int ROUNDS = 100;
    private final Bridge bridge;
    private final ExecutorService racers = Executors.newFixedThreadPool(2);
    private OnsBridgeServer second;
    private Client viaFirst;
    private Client viaSecond;
    private String instance;

    RacingBridgesIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void secondBridge() throws Exception {
        second = bridge.startServer(Map.of(Setting.WORKER_THREADS, "4"));
        viaFirst = bridge.tea();
        viaSecond = Bridge.tea("127.0.0.1:" + second.port(), bridge.accessKeyId, bridge.accessKeySecret);
        instance = bridge.newInstance("race");
    }

    @AfterAll
    void stop() {
        racers.shutdownNow();
        second.close();
    }

    /** Runs both calls at once (released by one barrier) and returns their outcomes: "ok" or the error code. */
    private List<String> race(Callable<?> first, Callable<?> other) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<String> a = racers.submit(() -> outcome(start, first));
        Future<String> b = racers.submit(() -> outcome(start, other));
        return List.of(a.get(), b.get());
    }

    private static String outcome(CyclicBarrier start, Callable<?> call) throws Exception {
        start.await();
        try {
            call.call();
            return "ok";
        } catch (TeaException e) {
            return e.getCode();
        }
    }

    @Test
    void racingTopicCreatesHaveOneWinnerWhoseFieldsAreKept() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String topic = "Race_" + round;
            List<String> outcomes = race(
                    () -> viaFirst.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic)
                            .setMessageType(0).setRemark("first")),
                    () -> viaSecond.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic)
                            .setMessageType(5).setRemark("second")));
            assertThat(outcomes).as("round %d", round).containsExactlyInAnyOrder("ok", "BIZ_TOPIC_EXISTED");
            String winner = outcomes.get(0).equals("ok") ? "first" : "second";
            int type = winner.equals("first") ? 0 : 5;
            for (Client client : List.of(viaFirst, viaSecond)) {
                List<OnsTopicListResponseBodyDataPublishInfoDo> listed = client.onsTopicList(
                        new OnsTopicListRequest().setInstanceId(instance).setTopic(topic)).getBody().getData().getPublishInfoDo();
                assertThat(listed).as("round %d", round).singleElement().satisfies(t -> {
                    assertThat(t.getRemark()).isEqualTo(winner);
                    assertThat(t.getMessageType()).isEqualTo(type);
                });
            }
        }
    }

    @Test
    void racingGroupCreatesHaveOneWinnerWhoseFieldsAreKept() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String group = "GID_race_" + round;
            List<String> outcomes = race(
                    () -> viaFirst.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group)
                            .setGroupType("tcp").setRemark("first")),
                    () -> viaSecond.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group)
                            .setGroupType("http").setRemark("second")));
            assertThat(outcomes).as("round %d", round).containsExactlyInAnyOrder("ok", "BIZ_SUBSCRIPTION_EXISTED");
            String winner = outcomes.get(0).equals("ok") ? "first" : "second";
            String type = winner.equals("first") ? "tcp" : "http";
            for (Client client : List.of(viaFirst, viaSecond)) {
                List<OnsGroupListResponseBodyDataSubscribeInfoDo> listed = client.onsGroupList(
                        new OnsGroupListRequest().setInstanceId(instance).setGroupId(group)).getBody().getData().getSubscribeInfoDo();
                assertThat(listed).as("round %d", round).singleElement().satisfies(g -> {
                    assertThat(g.getRemark()).isEqualTo(winner);
                    assertThat(g.getGroupType()).isEqualTo(type);
                });
            }
        }
    }

    @Test
    void aCreateRacingADeleteEndsInAStateOneOrderExplains() throws Exception {
        int createdThenDeleted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String topic = "Churn_" + round;
            List<String> outcomes = race(
                    () -> viaFirst.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic)
                            .setMessageType(0).setRemark("r")),
                    () -> viaSecond.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic(topic)));
            assertThat(outcomes.get(0)).as("round %d: the create", round).isEqualTo("ok");
            assertThat(outcomes.get(1)).as("round %d: the delete", round).isIn("ok", "BIZ_TOPIC_NOT_FOUND");
            // Deleted after the create: gone; refused before it: there. Both bridges say the same.
            boolean expectPresent = outcomes.get(1).equals("BIZ_TOPIC_NOT_FOUND");
            createdThenDeleted += expectPresent ? 0 : 1;
            for (Client client : List.of(viaFirst, viaSecond)) {
                assertThat(client.onsTopicList(new OnsTopicListRequest().setInstanceId(instance).setTopic(topic))
                        .getBody().getData().getPublishInfoDo()).as("round %d", round).hasSize(expectPresent ? 1 : 0);
            }
        }
        System.out.printf("create/delete races: %d of %d deletes came after the create%n", createdThenDeleted, ROUNDS);
    }
}
