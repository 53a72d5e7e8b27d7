package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.ListTagResourcesRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.ons20190214.models.TagResourcesRequest;
import com.aliyun.ons20190214.models.TagResourcesRequest.TagResourcesRequestTag;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Access policies through both official SDKs, against a second bridge on the shared cluster started with
 * {@code --access-policies}: a read-only key, a key scoped to one instance and a key denied one topic.
 * What they may do succeeds, what they may not answers Forbidden.RAM naming the RAM action, lists show
 * only what each may see; a rewrite of the file is in force within 5 s and a broken one changes nothing.
 */
@OnsBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessPolicyIT {
    private static final Duration RELOAD = Duration.ofSeconds(5);
    private final Bridge bridge;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String reader = "LTAIreader" + suffix;
    private final String scoped = "LTAIscoped" + suffix;
    private final String butOne = "LTAIbutone" + suffix;
    private final String late = "LTAIlate" + suffix;
    private Path file;
    private OnsBridgeServer governed;
    private String inScope;
    private String outOfScope;

    AccessPolicyIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void startGovernedBridge() throws Exception {
        // Set up as the admin, through the test's own bridge: both bridges share the cluster and its metadata.
        inScope = bridge.newInstance("rama");
        outOfScope = bridge.newInstance("ramb");
        var admin = bridge.tea();
        for (String topic : List.of("Orders", "Secret")) {
            admin.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(inScope).setTopic(topic).setMessageType(0));
        }
        admin.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(outOfScope).setTopic("Other").setMessageType(0));
        admin.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(inScope).setGroupId("GID_orders"));
        admin.tagResources(new TagResourcesRequest().setResourceType("TOPIC").setInstanceId(inScope)
                .setResourceId(List.of("Orders", "Secret")).setTag(List.of(new TagResourcesRequestTag().setKey("team").setValue("ram"))));

        file = Files.createTempFile(Path.of("target"), "access-policies", ".json").toAbsolutePath();
        Files.writeString(file, policies(""));
        governed = bridge.startServer(Map.of(Setting.ACCESS_POLICIES, file.toString()));
    }

    @AfterAll
    void stop() throws Exception {
        if (governed != null) {
            governed.close();
        }
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** The three keys of the class, plus whatever {@code extra} keys ("," first) a test adds. */
    private String policies(String extra) {
        return """
                {
                  "%s": {"AccessKeySecret": "reader-secret", "Policies": [{"Version": "1", "Statement": [
                    {"Effect": "Allow", "Action": ["mq:List*", "mq:Query*", "mq:Get*"], "Resource": "*"}]}]},
                  "%s": {"AccessKeySecret": "scoped-secret", "Policies": [{"Version": "1", "Statement": [
                    {"Effect": "Allow", "Action": "mq:*", "Resource": "acs:mq:*:*:%s*"},
                    {"Effect": "Allow", "Action": ["mq:ListRegion", "mq:ListTagResources"], "Resource": "*"}]}]},
                  "%s": {"AccessKeySecret": "butone-secret", "Policies": [
                    {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "mq:*", "Resource": "*"}]},
                    {"Version": "1", "Statement": [{"Effect": "Deny", "Action": "mq:*", "Resource": "acs:mq:*:*:%s%%Secret"}]}]}%s
                }""".formatted(reader, scoped, inScope, butOne, inScope, extra);
    }

    /** Until the reload: calls fail (an unknown key) and assertions fail; after it, the assertion holds. */
    private static void awaitReload(org.awaitility.core.ThrowingRunnable assertion) {
        await().atMost(RELOAD).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(assertion);
    }

    private com.aliyun.ons20190214.Client tea(String key, String secret) {
        return Bridge.tea("127.0.0.1:" + governed.port(), key, secret);
    }

    private IAcsClient legacy(String key, String secret) {
        return bridge.legacyClient(key, secret);
    }

    private <T extends com.aliyuncs.AcsResponse> T legacyCall(IAcsClient client, com.aliyuncs.AcsRequest<T> request) throws ClientException {
        return Bridge.legacy(client, "127.0.0.1:" + governed.port(), request);
    }

    private static void assertLegacyForbidden(InstanceIT.ThrowingCall call, String ramAction) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.getErrCode()).isEqualTo("Forbidden.RAM");
            assertThat(e.getErrMsg()).contains(ramAction).contains("access policy of the bridge").doesNotContain("RocketMQ cluster");
        });
    }

    private List<String> topics(com.aliyun.ons20190214.Client client, String instance) throws Exception {
        return client.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo()
                .stream().map(t -> t.getTopic()).toList();
    }

    private List<String> instances(com.aliyun.ons20190214.Client client) throws Exception {
        return client.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()).getBody().getData().getInstanceVO()
                .stream().map(i -> i.getInstanceId()).toList();
    }

    @Test
    void aReadOnlyKeyReadsEverythingAndChangesNothing() throws Exception {
        var tea = tea(reader, "reader-secret");
        assertThat(topics(tea, inScope)).contains("Orders", "Secret");
        assertThat(instances(tea)).contains(inScope, outOfScope);
        assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(outOfScope).setTopic("Other")).getBody().getData()).isNotNull();
        assertThat(tea.onsGroupList(new OnsGroupListRequest().setInstanceId(inScope)).getBody().getData().getSubscribeInfoDo()).hasSize(1);
        assertThat(tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(inScope)).getBody().getInstanceBaseInfo()
                .getInstanceId()).isEqualTo(inScope);
        assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(inScope).setTopic("Nope").setMessageType(0)),
                "Forbidden.RAM", 403, "mq:CreateTopic");
        assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(inScope).setGroupId("GID_nope")),
                "Forbidden.RAM", 403, "mq:CreateGroup");
        assertTeaError(() -> tea.onsMessageSend(new OnsMessageSendRequest().setInstanceId(inScope).setTopic("Orders").setMessage("m")),
                "Forbidden.RAM", 403, "mq:PUB");

        IAcsClient legacy = legacy(reader, "reader-secret");
        var delete = new com.aliyuncs.ons.model.v20190214.OnsTopicDeleteRequest();
        delete.setInstanceId(inScope);
        delete.setTopic("Orders");
        assertLegacyForbidden(() -> legacyCall(legacy, delete), "mq:DeleteTopic");
        var list = new com.aliyuncs.ons.model.v20190214.OnsTopicListRequest();
        list.setInstanceId(inScope);
        assertThat(legacyCall(legacy, list).getData()).extracting(t -> t.getTopic()).contains("Orders", "Secret");
        assertThat(topics(bridge.tea(), inScope)).contains("Orders", "Secret"); // nothing was deleted
    }

    @Test
    void anInstanceScopedKeyWorksInsideItsInstanceOnly() throws Exception {
        var tea = tea(scoped, "scoped-secret");
        assertThat(instances(tea)).contains(inScope).doesNotContain(outOfScope);
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(inScope).setTopic("Scoped").setMessageType(0));
        assertThat(topics(tea, inScope)).contains("Orders", "Secret", "Scoped");
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(inScope).setTopic("Scoped"));
        assertThat(tea.onsRegionList().getBody().getData().getRegionDo()).isNotEmpty();

        assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(outOfScope).setTopic("Scoped").setMessageType(0)),
                "Forbidden.RAM", 403, "mq:CreateTopic");
        assertTeaError(() -> topics(tea, outOfScope), "Forbidden.RAM", 403, "mq:ListTopic");
        assertTeaError(() -> tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("scoped_" + suffix)),
                "Forbidden.RAM", 403, "mq:CreateInstance");

        IAcsClient legacy = legacy(scoped, "scoped-secret");
        var status = new com.aliyuncs.ons.model.v20190214.OnsTopicStatusRequest();
        status.setInstanceId(outOfScope);
        status.setTopic("Other");
        assertLegacyForbidden(() -> legacyCall(legacy, status), "mq:QueryTopicStatus");
        var instanceList = new com.aliyuncs.ons.model.v20190214.OnsInstanceInServiceListRequest();
        assertThat(legacyCall(legacy, instanceList).getData()).extracting(i -> i.getInstanceId()).contains(inScope).doesNotContain(outOfScope);
    }

    @Test
    void aKeyDeniedOneTopicNeitherUsesNorSeesIt() throws Exception {
        var tea = tea(butOne, "butone-secret");
        assertThat(topics(tea, inScope)).contains("Orders").doesNotContain("Secret");
        assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(inScope).setTopic("Orders")).getBody().getData()).isNotNull();
        assertTeaError(() -> tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(inScope).setTopic("Secret")),
                "Forbidden.RAM", 403, "mq:QueryTopicStatus");
        assertTeaError(() -> tea.onsMessageSend(new OnsMessageSendRequest().setInstanceId(inScope).setTopic("Secret").setMessage("m")),
                "Forbidden.RAM", 403, "mq:PUB");
        var tagged = tea.listTagResources(new ListTagResourcesRequest().setResourceType("TOPIC").setInstanceId(inScope))
                .getBody().getTagResources();
        assertThat(tagged).extracting(t -> t.getResourceId()).containsExactly("Orders");
        assertThat(bridge.tea().listTagResources(new ListTagResourcesRequest().setResourceType("TOPIC").setInstanceId(inScope))
                .getBody().getTagResources()).hasSize(2);

        IAcsClient legacy = legacy(butOne, "butone-secret");
        var delete = new com.aliyuncs.ons.model.v20190214.OnsTopicDeleteRequest();
        delete.setInstanceId(inScope);
        delete.setTopic("Secret");
        assertLegacyForbidden(() -> legacyCall(legacy, delete), "mq:DeleteTopic");
    }

    @Test
    void aRewriteIsInForceWithinFiveSecondsAndABrokenOneChangesNothing() throws Exception {
        var lateTea = tea(late, "late-secret");
        assertTeaError(() -> lateTea.onsRegionList(), "InvalidAccessKeyId.NotFound", 404, late);

        String withLate = ",\n  \"%s\": {\"AccessKeySecret\": \"late-secret\", \"Policies\": [{\"Version\": \"1\", \"Statement\": [\n"
                + "    {\"Effect\": \"Allow\", \"Action\": \"mq:ListRegion\", \"Resource\": \"*\"}]}]}";
        Files.writeString(file, policies(withLate.formatted(late)));
        awaitReload(() -> assertThat(lateTea.onsRegionList().getBody().getData().getRegionDo()).isNotEmpty());
        assertTeaError(() -> topics(lateTea, inScope), "Forbidden.RAM", 403, "mq:ListTopic");
        assertThat(instances(lateTea)).doesNotContain(inScope, outOfScope); // anyone may list, ONS shows what mq:QueryInstanceBaseInfo allows

        long rejected = governed.accessPolicyFile().rejectedReloads();
        Files.writeString(file, policies(withLate.formatted(late)).replace("\"Allow\", \"Action\": \"mq:ListRegion\"",
                "\"Permit\", \"Action\": \"mq:ListRegion\""));
        awaitReload(() -> assertThat(governed.accessPolicyFile().rejectedReloads()).isGreaterThan(rejected));
        assertThat(lateTea.onsRegionList().getBody().getData().getRegionDo()).isNotEmpty();
        assertThat(topics(tea(reader, "reader-secret"), inScope)).contains("Orders");

        Files.writeString(file, policies(""));
        awaitReload(() -> assertTeaError(() -> lateTea.onsRegionList(),
                "InvalidAccessKeyId.NotFound", 404, late));
    }
}
