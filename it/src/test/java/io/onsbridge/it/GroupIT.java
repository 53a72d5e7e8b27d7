package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupConsumerUpdateRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsGroupListResponseBody.OnsGroupListResponseBodyDataSubscribeInfoDo;
import com.aliyun.ons20190214.models.OnsGroupSubDetailRequest;
import com.aliyun.tea.TeaException;
import com.aliyuncs.ons.model.v20190214.OnsGroupListResponse.SubscribeInfoDo;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.junit.jupiter.api.Test;

/** Groups on the real broker through both SDKs. */
@OnsBridgeTest
class GroupIT {
    private final Bridge bridge;

    GroupIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void createListAndDeleteThroughBothSdksWithTheRetryTopic() throws Exception {
        String instance = bridge.newInstance("groups");
        var create = new com.aliyuncs.ons.model.v20190214.OnsGroupCreateRequest();
        create.setInstanceId(instance);
        create.setGroupId("GID_legacy");
        create.setRemark("made by legacy");
        bridge.legacy(create);
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID-tea").setGroupType("http").setRemark("made by tea"));

        var list = new com.aliyuncs.ons.model.v20190214.OnsGroupListRequest();
        list.setInstanceId(instance);
        List<SubscribeInfoDo> legacy = bridge.legacy(list).getData();
        assertThat(legacy).extracting(SubscribeInfoDo::getGroupId).containsExactly("GID-tea", "GID_legacy");
        assertThat(legacy).filteredOn(g -> g.getGroupId().equals("GID_legacy")).singleElement().satisfies(g -> {
            assertThat(g.getGroupType()).isEqualTo("tcp");
            assertThat(g.getRemark()).isEqualTo("made by legacy");
            assertThat(g.getInstanceId()).isEqualTo(instance);
            assertThat(g.getIndependentNaming()).isTrue();
            assertThat(g.getCreateTime()).isPositive();
        });
        assertThat(teaList(instance, "http", null)).extracting(OnsGroupListResponseBodyDataSubscribeInfoDo::getGroupId).containsExactly("GID-tea");
        assertThat(teaList(instance, "tcp", null)).extracting(OnsGroupListResponseBodyDataSubscribeInfoDo::getGroupId).containsExactly("GID_legacy");
        assertThat(teaList(instance, null, "GID-tea")).singleElement().satisfies(g -> assertThat(g.getRemark()).isEqualTo("made by tea"));

        // On the broker: the subscription group and its retry topic, created up front.
        String brokerGroup = instance + "%GID_legacy";
        assertThat(bridge.admin().examineSubscriptionGroupConfig(bridge.cluster.brokerAddr(), brokerGroup).getGroupName()).isEqualTo(brokerGroup);
        assertThat(bridge.admin().fetchAllTopicList().getTopicList()).contains("%RETRY%" + brokerGroup);

        var delete = new com.aliyuncs.ons.model.v20190214.OnsGroupDeleteRequest();
        delete.setInstanceId(instance);
        delete.setGroupId("GID_legacy");
        bridge.legacy(delete);
        assertThat(teaList(instance, null, null)).extracting(OnsGroupListResponseBodyDataSubscribeInfoDo::getGroupId).containsExactly("GID-tea");
        assertThat(bridge.admin().fetchAllTopicList().getTopicList()).doesNotContain("%RETRY%" + brokerGroup);
        assertThat(bridge.admin().getAllSubscriptionGroup(bridge.cluster.brokerAddr(), 5_000).getSubscriptionGroupTable()).doesNotContainKey(brokerGroup);
    }

    @Test
    void readEnableSwitchesTheBrokersConsumeEnable() throws Exception {
        String instance = bridge.newInstance("readenable");
        var tea = bridge.tea();
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_switch"));
        for (boolean enable : List.of(false, true)) {
            tea.onsGroupConsumerUpdate(new OnsGroupConsumerUpdateRequest().setInstanceId(instance).setGroupId("GID_switch").setReadEnable(enable));
            assertThat(bridge.admin().examineSubscriptionGroupConfig(bridge.cluster.brokerAddr(), instance + "%GID_switch").isConsumeEnable())
                    .isEqualTo(enable);
            var legacy = new com.aliyuncs.ons.model.v20190214.OnsGroupConsumerUpdateRequest();
            legacy.setInstanceId(instance);
            legacy.setGroupId("GID_switch");
            legacy.setReadEnable(!enable);
            bridge.legacy(legacy);
            assertThat(bridge.admin().examineSubscriptionGroupConfig(bridge.cluster.brokerAddr(), instance + "%GID_switch").isConsumeEnable())
                    .isEqualTo(!enable);
            tea.onsGroupConsumerUpdate(new OnsGroupConsumerUpdateRequest().setInstanceId(instance).setGroupId("GID_switch").setReadEnable(enable));
            SubscriptionGroupConfig config = bridge.admin().examineSubscriptionGroupConfig(bridge.cluster.brokerAddr(), instance + "%GID_switch");
            assertThat(config.isConsumeEnable()).isEqualTo(enable);
        }
    }

    @Test
    void aGroupMadeOutsideTheBridgeIsListedAsTcp() throws Exception {
        String instance = bridge.newInstance("extgroup");
        SubscriptionGroupConfig config = new SubscriptionGroupConfig();
        config.setGroupName(instance + "%GID_outside");
        bridge.admin().createAndUpdateSubscriptionGroupConfig(bridge.cluster.brokerAddr(), config);
        // Made outside the bridge: listed once the bridge's tables are read again, within a second (docs/benchmarks.md#scale).
        TopicIT.awaitUntil(Duration.ofSeconds(5), () -> assertThat(teaList(instance, null, null)).singleElement().satisfies(g -> {
            assertThat(g.getGroupId()).isEqualTo("GID_outside");
            assertThat(g.getGroupType()).isEqualTo("tcp");
        }));
    }

    @Test
    void badInputGetsItsDocumentedCode() throws Exception {
        String instance = bridge.newInstance("badgroup");
        var tea = bridge.tea();
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_taken"));
        assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_taken")),
                "BIZ_SUBSCRIPTION_EXISTED", 400, "GID_taken");
        for (String bad : List.of("orders", "CID_orders", "GID_", "GID_has space", "GID_" + "x".repeat(61))) {
            assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(bad)),
                    "BIZ_FIELD_CHECK_INVALID", 400, "GroupId");
        }
        assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_udp").setGroupType("udp")),
                "BIZ_FIELD_CHECK_INVALID", 400, "GroupType");
        assertTeaError(() -> tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance).setGroupId("GID_never")),
                "BIZ_SUBSCRIPTION_NOT_FOUND", 404, "GID_never");
        assertTeaError(() -> tea.onsGroupSubDetail(new OnsGroupSubDetailRequest().setInstanceId(instance).setGroupId("GID_never")),
                "BIZ_SUBSCRIPTION_NOT_FOUND", 404, "GID_never");
        assertTeaError(() -> tea.onsGroupConsumerUpdate(new OnsGroupConsumerUpdateRequest().setInstanceId(instance).setGroupId("GID_taken")),
                "MissingParameter", 400, "ReadEnable");
        HttpResponse<String> notABoolean = new RawOnsCall("OnsGroupConsumerUpdate", bridge.accessKeyId, bridge.accessKeySecret)
                .with("InstanceId", instance).with("GroupId", "GID_taken").with("ReadEnable", "maybe").send(bridge.hostPort());
        assertThat(notABoolean.statusCode()).isEqualTo(400);
        assertThat(notABoolean.body()).contains("\"Code\":\"InvalidParameter\"").contains("ReadEnable");
    }

    @Test
    void parallelCreatesOfDistinctGroupsAllLandAndOneGroupIsCreatedOnce() throws Exception {
        String instance = bridge.newInstance("grouprace");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<String>> distinct = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String group = "GID_parallel" + i;
                distinct.add(() -> create(instance, group, "remark of " + group));
            }
            assertThat(pool.invokeAll(distinct)).extracting(Future::get).containsOnly("ok");
            assertThat(teaList(instance, null, null)).hasSize(20)
                    .allSatisfy(g -> assertThat(g.getRemark()).isEqualTo("remark of " + g.getGroupId()));
            var onBroker = bridge.admin().getAllSubscriptionGroup(bridge.cluster.brokerAddr(), 5_000).getSubscriptionGroupTable().keySet();
            assertThat(onBroker).filteredOn(g -> g.startsWith(instance + "%")).hasSize(20);

            List<Callable<String>> same = List.of(() -> create(instance, "GID_once", "first"), () -> create(instance, "GID_once", "second"));
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(same)) {
                outcomes.add(f.get());
            }
            assertThat(outcomes).containsExactlyInAnyOrder("ok", "BIZ_SUBSCRIPTION_EXISTED");
            String winner = outcomes.get(0).equals("ok") ? "first" : "second";
            assertThat(teaList(instance, null, "GID_once")).singleElement().satisfies(g -> assertThat(g.getRemark()).isEqualTo(winner));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingGroupsAndInstancesGetTheirDocumentedCodes() throws Exception {
        String instance = bridge.newInstance("missinggroup");
        var tea = bridge.tea();
        assertTeaError(() -> tea.onsGroupConsumerUpdate(new OnsGroupConsumerUpdateRequest().setInstanceId(instance).setGroupId("GID_absent")
                .setReadEnable(false)), "BIZ_SUBSCRIPTION_NOT_FOUND", 404, "GID_absent");
        String unknown = "MQ_INST_000000000000_nosuch";
        assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(unknown).setGroupId("GID_orphan")),
                "INSTANCE_NOT_FOUND", 404, unknown);
        assertTeaError(() -> tea.onsGroupList(new OnsGroupListRequest().setInstanceId(unknown)), "INSTANCE_NOT_FOUND", 404, unknown);
        assertTeaError(() -> tea.onsGroupSubDetail(new OnsGroupSubDetailRequest().setInstanceId(unknown).setGroupId("GID_orphan")),
                "INSTANCE_NOT_FOUND", 404, unknown);
        // Nothing was left behind by the refused create.
        assertThat(bridge.admin().getAllSubscriptionGroup(bridge.cluster.brokerAddr(), 5_000).getSubscriptionGroupTable())
                .doesNotContainKey(unknown + "%GID_orphan");
    }

    private String create(String instance, String group, String remark) {
        try {
            bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setRemark(remark));
            return "ok";
        } catch (TeaException e) {
            return e.getCode();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private List<OnsGroupListResponseBodyDataSubscribeInfoDo> teaList(String instance, String type, String groupId) throws Exception {
        return bridge.tea().onsGroupList(new OnsGroupListRequest().setInstanceId(instance).setGroupType(type).setGroupId(groupId))
                .getBody().getData().getSubscribeInfoDo();
    }
}
