package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoResponseBody.OnsInstanceBaseInfoResponseBodyInstanceBaseInfo;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceDeleteRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListResponseBody.OnsInstanceInServiceListResponseBodyDataInstanceVO;
import com.aliyun.ons20190214.models.OnsInstanceUpdateRequest;
import com.aliyun.tea.TeaException;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.ons.model.v20190214.OnsInstanceBaseInfoResponse.InstanceBaseInfo;
import com.aliyuncs.ons.model.v20190214.OnsInstanceInServiceListResponse.InstanceVO;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every instance action through both official SDKs, against the real embedded cluster. */
@OnsBridgeTest
class InstanceIT {
    private static final String ID_FORM = "MQ_INST_\\d{12}_[A-Za-z0-9]{8}";
    private final Bridge bridge;

    InstanceIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void legacySdkCreatesListsShowsUpdatesAndDeletesAnInstance() throws Exception {
        String name = uniqueName("测试实例");
        var create = new com.aliyuncs.ons.model.v20190214.OnsInstanceCreateRequest();
        create.setInstanceName(name);
        create.setRemark("备注 😀 with spaces & symbols *~");
        var created = bridge.legacy(create).getData();
        assertThat(created.getInstanceId()).matches(ID_FORM);
        assertThat(created.getInstanceType()).isEqualTo(1);
        String id = created.getInstanceId();

        InstanceVO listed = legacyList().stream().filter(i -> i.getInstanceId().equals(id)).findFirst().orElseThrow();
        assertThat(listed.getInstanceName()).isEqualTo(name);
        assertThat(listed.getIndependentNaming()).isTrue();
        assertThat(listed.getInstanceStatus()).isEqualTo(5);
        assertThat(listed.getInstanceType()).isEqualTo(1);
        assertThat(listed.getCreateTime()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

        InstanceBaseInfo info = legacyBaseInfo(id);
        assertThat(info.getInstanceName()).isEqualTo(name);
        assertThat(info.getRemark()).isEqualTo("备注 😀 with spaces & symbols *~");
        assertThat(info.getIndependentNaming()).isTrue();
        assertThat(info.getEndpoints().getTcpEndpoint()).isEqualTo(instanceEndpoint(id));

        var update = new com.aliyuncs.ons.model.v20190214.OnsInstanceUpdateRequest();
        update.setInstanceId(id);
        update.setInstanceName(name + "_v2");
        update.setRemark("new remark");
        bridge.legacy(update);
        assertThat(legacyBaseInfo(id).getInstanceName()).isEqualTo(name + "_v2");
        assertThat(legacyBaseInfo(id).getRemark()).isEqualTo("new remark");

        // An empty name means "leave the name": the legacy SDK sends it as InstanceName= (signed).
        var keepName = new com.aliyuncs.ons.model.v20190214.OnsInstanceUpdateRequest();
        keepName.setInstanceId(id);
        keepName.setInstanceName("");
        keepName.setRemark("only the remark");
        bridge.legacy(keepName);
        assertThat(legacyBaseInfo(id).getInstanceName()).isEqualTo(name + "_v2");
        assertThat(legacyBaseInfo(id).getRemark()).isEqualTo("only the remark");

        var delete = new com.aliyuncs.ons.model.v20190214.OnsInstanceDeleteRequest();
        delete.setInstanceId(id);
        bridge.legacy(delete);
        assertThat(legacyList()).extracting(InstanceVO::getInstanceId).doesNotContain(id);
        assertThatThrownBy(() -> legacyBaseInfo(id))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("INSTANCE_NOT_FOUND"));
    }

    @Test
    void teaSdkCreatesListsShowsUpdatesAndDeletesAnInstance() throws Exception {
        var tea = bridge.tea();
        String name = uniqueName("tea-instance");
        String id = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name).setRemark("from Tea"))
                .getBody().getData().getInstanceId();
        assertThat(id).matches(ID_FORM);

        OnsInstanceInServiceListResponseBodyDataInstanceVO listed = teaList().stream()
                .filter(i -> i.getInstanceId().equals(id)).findFirst().orElseThrow();
        assertThat(listed.getInstanceName()).isEqualTo(name);
        assertThat(listed.getIndependentNaming()).isTrue();
        assertThat(listed.getTags().getTag()).isEmpty();

        OnsInstanceBaseInfoResponseBodyInstanceBaseInfo info = teaBaseInfo(id);
        assertThat(info.getRemark()).isEqualTo("from Tea");
        assertThat(info.getInstanceStatus()).isEqualTo(5);
        assertThat(info.getEndpoints().getTcpEndpoint()).isEqualTo(instanceEndpoint(id));

        // Tea never sends an empty value, so "no name" is simply no InstanceName.
        tea.onsInstanceUpdate(new OnsInstanceUpdateRequest().setInstanceId(id).setRemark("changed"));
        assertThat(teaBaseInfo(id).getInstanceName()).isEqualTo(name);
        assertThat(teaBaseInfo(id).getRemark()).isEqualTo("changed");

        tea.onsInstanceDelete(new OnsInstanceDeleteRequest().setInstanceId(id));
        assertThat(teaList()).extracting(OnsInstanceInServiceListResponseBodyDataInstanceVO::getInstanceId).doesNotContain(id);
        assertThatThrownBy(() -> teaBaseInfo(id)).isInstanceOfSatisfying(TeaException.class, e -> {
            assertThat(e.getCode()).isEqualTo("INSTANCE_NOT_FOUND");
            assertThat(e.getStatusCode()).isEqualTo(404);
        });
    }

    @Test
    void theDefaultInstanceHoldsTheResourcesWithoutNamespace() throws Exception {
        InstanceVO defaultInstance = legacyList().get(0);
        assertThat(defaultInstance.getIndependentNaming()).isFalse();
        assertThat(legacyBaseInfo(defaultInstance.getInstanceId()).getEndpoints().getTcpEndpoint())
                .isEqualTo(bridge.cluster.namesrvAddr());
        var delete = new com.aliyuncs.ons.model.v20190214.OnsInstanceDeleteRequest();
        delete.setInstanceId(defaultInstance.getInstanceId());
        assertThatThrownBy(() -> bridge.legacy(delete))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("BIZ_FIELD_CHECK_INVALID"));
    }

    @Test
    void namesAreCheckedAndUniqueInTheRegion() throws Exception {
        var tea = bridge.tea();
        String name = uniqueName("unique");
        tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name));
        assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name)),
                "BIZ_INSTANCE_NAME_EXISTED", 400, name);
        assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("ab")),
                "BIZ_FIELD_CHECK_INVALID", 400, "InstanceName");
        assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("no spaces allowed")),
                "BIZ_FIELD_CHECK_INVALID", 400, "InstanceName");
        assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("x".repeat(65))),
                "BIZ_FIELD_CHECK_INVALID", 400, "InstanceName");
        assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setRemark("no name")),
                "MissingParameter", 400, "InstanceName");
        assertTeaError(() -> tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId("MQ_INST_000000000000_nothere")),
                "INSTANCE_NOT_FOUND", 404, "MQ_INST_000000000000_nothere");
        assertTeaError(() -> tea.onsInstanceUpdate(new OnsInstanceUpdateRequest().setInstanceId("MQ_INST_000000000000_nothere")
                .setRemark("r")), "INSTANCE_NOT_FOUND", 404, "MQ_INST_000000000000_nothere");
        assertTeaError(() -> tea.onsInstanceDelete(new OnsInstanceDeleteRequest().setInstanceId("MQ_INST_000000000000_nothere")),
                "INSTANCE_NOT_FOUND", 404, "MQ_INST_000000000000_nothere");
        assertTeaError(() -> tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId("bad id%")),
                "BIZ_FIELD_CHECK_INVALID", 400, "InstanceId");
    }

    static void assertTeaError(ThrowingCall call, String code, int status, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TeaException.class, e -> {
            assertThat(e.getCode()).isEqualTo(code);
            assertThat(e.getStatusCode()).isEqualTo(status);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<InstanceVO> legacyList() throws ClientException {
        return bridge.legacy(new com.aliyuncs.ons.model.v20190214.OnsInstanceInServiceListRequest()).getData();
    }

    private InstanceBaseInfo legacyBaseInfo(String id) throws ClientException {
        var request = new com.aliyuncs.ons.model.v20190214.OnsInstanceBaseInfoRequest();
        request.setInstanceId(id);
        return bridge.legacy(request).getInstanceBaseInfo();
    }

    private List<OnsInstanceInServiceListResponseBodyDataInstanceVO> teaList() throws Exception {
        return bridge.tea().onsInstanceInServiceList(new OnsInstanceInServiceListRequest()).getBody().getData().getInstanceVO();
    }

    private OnsInstanceBaseInfoResponseBodyInstanceBaseInfo teaBaseInfo(String id) throws Exception {
        return bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(id)).getBody().getInstanceBaseInfo();
    }

    /** ONS's form (the instance as the host's first label), then the plain name server as a fallback: docs/tcp-clients.md. */
    private String instanceEndpoint(String id) {
        return "http://" + id + "." + bridge.cluster.namesrvAddr() + ";" + bridge.cluster.namesrvAddr();
    }
}
