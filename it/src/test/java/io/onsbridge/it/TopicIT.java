package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicListResponseBody.OnsTopicListResponseBodyDataPublishInfoDo;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.ons20190214.models.OnsTopicUpdateRequest;
import com.aliyun.tea.TeaException;
import com.aliyuncs.ons.model.v20190214.OnsTopicListResponse.PublishInfoDo;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/** Topics on the real broker through both SDKs: types, permissions, status, lists, deletes, bad input, races. */
@OnsBridgeTest
class TopicIT {
    private final Bridge bridge;

    TopicIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void everyMessageTypeRoundTripsThroughTheBrokerAndBothSdks() throws Exception {
        String instance = bridge.newInstance("types");
        Map<Integer, String> brokerTypes = Map.of(0, "NORMAL", 1, "FIFO", 2, "FIFO", 4, "TRANSACTION", 5, "DELAY");
        for (int type : List.of(0, 1, 2, 4, 5)) {
            var create = new com.aliyuncs.ons.model.v20190214.OnsTopicCreateRequest();
            create.setInstanceId(instance);
            create.setTopic("T_type" + type);
            create.setMessageType(type);
            create.setRemark("type " + type);
            bridge.legacy(create);
        }
        var legacyList = new com.aliyuncs.ons.model.v20190214.OnsTopicListRequest();
        legacyList.setInstanceId(instance);
        List<PublishInfoDo> legacy = bridge.legacy(legacyList).getData();
        List<OnsTopicListResponseBodyDataPublishInfoDo> tea = teaList(instance);
        for (int type : List.of(0, 1, 2, 4, 5)) {
            String topic = "T_type" + type;
            assertThat(legacy).filteredOn(t -> t.getTopic().equals(topic)).singleElement().satisfies(t -> {
                assertThat(t.getMessageType()).isEqualTo(type);
                assertThat(t.getRemark()).isEqualTo("type " + type);
                assertThat(t.getInstanceId()).isEqualTo(instance);
                assertThat(t.getIndependentNaming()).isTrue();
            });
            assertThat(tea).filteredOn(t -> t.getTopic().equals(topic)).singleElement()
                    .satisfies(t -> assertThat(t.getMessageType()).isEqualTo(type));
            // What mqadmin and the dashboard see: the namespaced topic with RocketMQ 5's message.type.
            TopicConfig onBroker = bridge.admin().examineTopicConfig(bridge.cluster.brokerAddr(), instance + "%" + topic);
            assertThat(onBroker.getAttributes()).containsEntry("message.type", brokerTypes.get(type));
            assertThat(onBroker.getWriteQueueNums()).isEqualTo(type == 2 ? 1 : 8);
        }
    }

    @Test
    void aPermUpdateShowsInStatusAndOnTheBroker() throws Exception {
        String instance = bridge.newInstance("perm");
        var tea = bridge.tea();
        // Not NORMAL: an update that dropped message.type would fall back to NORMAL and be seen.
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Perms").setMessageType(5));
        assertThat(teaStatus(instance, "Perms").getPerm()).isEqualTo(6);
        for (int perm : List.of(4, 2, 6)) {
            tea.onsTopicUpdate(new OnsTopicUpdateRequest().setInstanceId(instance).setTopic("Perms").setPerm(perm));
            var status = new com.aliyuncs.ons.model.v20190214.OnsTopicStatusRequest();
            status.setInstanceId(instance);
            status.setTopic("Perms");
            assertThat(bridge.legacy(status).getData().getPerm()).isEqualTo(perm);
            assertThat(bridge.admin().examineTopicConfig(bridge.cluster.brokerAddr(), instance + "%Perms").getPerm()).isEqualTo(perm);
        }
        // The update keeps the message type, on the broker and in the list: DELAY here, FIFO below.
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("OrderedPerms").setMessageType(1));
        tea.onsTopicUpdate(new OnsTopicUpdateRequest().setInstanceId(instance).setTopic("OrderedPerms").setPerm(4));
        assertThat(bridge.admin().examineTopicConfig(bridge.cluster.brokerAddr(), instance + "%Perms").getAttributes())
                .containsEntry("message.type", "DELAY");
        TopicConfig ordered = bridge.admin().examineTopicConfig(bridge.cluster.brokerAddr(), instance + "%OrderedPerms");
        assertThat(ordered.getAttributes()).containsEntry("message.type", "FIFO");
        assertThat(ordered.getPerm()).isEqualTo(4);
        assertThat(teaList(instance)).extracting(t -> t.getTopic() + ":" + t.getMessageType() + ":" + t.getRelation())
                .containsExactly("OrderedPerms:1:4", "Perms:5:6");
    }

    @Test
    void theLegacySdkUpdatesInspectsAndDeletesATopic() throws Exception {
        String instance = bridge.newInstance("legacytopic");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Legacy").setMessageType(0));
        var update = new com.aliyuncs.ons.model.v20190214.OnsTopicUpdateRequest();
        update.setInstanceId(instance);
        update.setTopic("Legacy");
        update.setPerm(2);
        bridge.legacy(update);
        assertThat(teaStatus(instance, "Legacy").getPerm()).isEqualTo(2);
        var subDetail = new com.aliyuncs.ons.model.v20190214.OnsTopicSubDetailRequest();
        subDetail.setInstanceId(instance);
        subDetail.setTopic("Legacy");
        var detail = bridge.legacy(subDetail).getData();
        assertThat(detail.getTopic()).isEqualTo("Legacy");
        assertThat(detail.getSubscriptionDataList()).isEmpty();
        var delete = new com.aliyuncs.ons.model.v20190214.OnsTopicDeleteRequest();
        delete.setInstanceId(instance);
        delete.setTopic("Legacy");
        bridge.legacy(delete);
        assertThat(teaList(instance)).isEmpty();
    }

    @Test
    void statusCountsTheStoredMessagesAndTheLastWrite() throws Exception {
        String instance = bridge.newInstance("status");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Counted").setMessageType(0));
        assertThat(teaStatus(instance, "Counted").getTotalCount()).isZero();
        long before = System.currentTimeMillis();
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_status_producer");
        try {
            for (int i = 0; i < 5; i++) {
                producer.send(new Message("Counted", "TagA", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            producer.shutdown();
        }
        var status = teaStatus(instance, "Counted");
        assertThat(status.getTotalCount()).isEqualTo(5);
        assertThat(status.getLastTimeStamp()).isBetween(before - 1_000, System.currentTimeMillis());
    }

    @Test
    void aTopicMadeWithMqAdminIsListedAndSystemTopicsAreNot() throws Exception {
        String instance = bridge.newInstance("external");
        bridge.admin().createAndUpdateTopicConfig(bridge.cluster.brokerAddr(),
                new TopicConfig(instance + "%MadeByAdmin", 4, 4, PermName.PERM_READ | PermName.PERM_WRITE));
        // Made outside the bridge: listed once the bridge's tables are read again, within a second (docs/benchmarks.md#scale).
        awaitUntil(Duration.ofSeconds(5), () -> assertThat(teaList(instance)).singleElement().satisfies(t -> {
            assertThat(t.getTopic()).isEqualTo("MadeByAdmin");
            assertThat(t.getMessageType()).isZero();
        }));
        List<String> defaults = teaList(bridge.tea().onsInstanceInServiceList(new com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest())
                .getBody().getData().getInstanceVO().get(0).getInstanceId()).stream().map(OnsTopicListResponseBodyDataPublishInfoDo::getTopic).toList();
        assertThat(defaults).noneMatch(t -> t.startsWith("RMQ_SYS_") || t.startsWith("%") || t.equals("TBW102")
                || t.equals("SCHEDULE_TOPIC_XXXX") || t.equals("OFFSET_MOVED_EVENT") || t.equals("DefaultCluster") || t.equals("broker-a"));
    }

    @Test
    void deleteRemovesTheTopicFromTheBrokerWithItsMetadata() throws Exception {
        String instance = bridge.newInstance("delete");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Gone").setMessageType(0).setRemark("first"));
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Gone"));
        assertThat(teaList(instance)).isEmpty();
        assertThat(bridge.admin().fetchAllTopicList().getTopicList()).doesNotContain(instance + "%Gone");
        assertTeaError(() -> tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Gone")),
                "BIZ_TOPIC_NOT_FOUND", 404, "Gone");
        // Created again, it starts from nothing.
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Gone").setMessageType(5));
        assertThat(teaList(instance)).singleElement().satisfies(t -> {
            assertThat(t.getRemark()).isNull();
            assertThat(t.getMessageType()).isEqualTo(5);
        });
    }

    @Test
    void badInputGetsItsDocumentedCode() throws Exception {
        String instance = bridge.newInstance("badtopic");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Taken").setMessageType(0));
        assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Taken").setMessageType(0)),
                "BIZ_TOPIC_EXISTED", 400, "Taken");
        for (String bad : List.of("GID_topic", "CID_topic", "ab", "has space", "a%b", "RMQ_SYS_MINE", "x".repeat(65))) {
            assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(bad).setMessageType(0)),
                    "BIZ_FIELD_CHECK_INVALID", 400, "Topic");
        }
        for (int type : List.of(3, 6, -1)) {
            assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Type" + (type + 10)).setMessageType(type)),
                    "BIZ_FIELD_CHECK_INVALID", 400, "MessageType");
        }
        assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("NoType")),
                "MissingParameter", 400, "MessageType");
        assertTeaError(() -> tea.onsTopicUpdate(new OnsTopicUpdateRequest().setInstanceId(instance).setTopic("Taken").setPerm(5)),
                "BIZ_FIELD_CHECK_INVALID", 400, "Perm");
        assertTeaError(() -> tea.onsTopicUpdate(new OnsTopicUpdateRequest().setInstanceId(instance).setTopic("Never").setPerm(4)),
                "BIZ_TOPIC_NOT_FOUND", 404, "Never");
        assertTeaError(() -> tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Never")),
                "BIZ_TOPIC_NOT_FOUND", 404, "Never");
        assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId("MQ_INST_000000000000_missing").setTopic("T1").setMessageType(0)),
                "INSTANCE_NOT_FOUND", 404, "MQ_INST_000000000000_missing");
        HttpResponse<String> notANumber = new RawOnsCall("OnsTopicCreate", bridge.accessKeyId, bridge.accessKeySecret)
                .with("InstanceId", instance).with("Topic", "Typed").with("MessageType", "abc").send(bridge.hostPort());
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.body()).contains("\"Code\":\"InvalidParameter\"").contains("MessageType").contains("abc");
    }

    @Test
    void parallelCreatesOfDistinctTopicsAllLandAndOneNameIsCreatedOnce() throws Exception {
        String instance = bridge.newInstance("race");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<String>> distinct = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String topic = "Parallel" + i;
                distinct.add(() -> create(instance, topic, "remark of " + topic));
            }
            assertThat(pool.invokeAll(distinct)).extracting(Future::get).containsOnly("ok");
            assertThat(teaList(instance)).hasSize(20).allSatisfy(t -> assertThat(t.getRemark()).isEqualTo("remark of " + t.getTopic()));

            List<Callable<String>> same = List.of(() -> create(instance, "OnlyOnce", "first"), () -> create(instance, "OnlyOnce", "second"));
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(same)) {
                outcomes.add(f.get());
            }
            assertThat(outcomes).containsExactlyInAnyOrder("ok", "BIZ_TOPIC_EXISTED");
            String winner = outcomes.get(0).equals("ok") ? "first" : "second";
            assertThat(teaList(instance)).filteredOn(t -> t.getTopic().equals("OnlyOnce")).singleElement()
                    .satisfies(t -> assertThat(t.getRemark()).isEqualTo(winner));
        } finally {
            pool.shutdownNow();
        }
    }

    private String create(String instance, String topic, String remark) {
        try {
            bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0).setRemark(remark));
            return "ok";
        } catch (TeaException e) {
            return e.getCode();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private List<OnsTopicListResponseBodyDataPublishInfoDo> teaList(String instance) throws Exception {
        return bridge.tea().onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo();
    }

    private com.aliyun.ons20190214.models.OnsTopicStatusResponseBody.OnsTopicStatusResponseBodyData teaStatus(String instance, String topic)
            throws Exception {
        return bridge.tea().onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic(topic)).getBody().getData();
    }

    static void awaitUntil(Duration timeout, org.awaitility.core.ThrowingRunnable assertion) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
    }
}
