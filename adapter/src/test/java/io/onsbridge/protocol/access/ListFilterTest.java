package io.onsbridge.protocol.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lists show a governed key what it may see; other fields of the answer stay as they were. */
class ListFilterTest {
    private final Authorizer authorizer = new Authorizer(
            () -> AccessPolicies.parse(AuthorizerTest.FILE, "test", AuthorizerTest.SCOPE, java.util.Set.of()), AuthorizerTest.SCOPE);

    private static WireObject wrapped(String itemName, List<WireObject> items) {
        return WireObject.of().with("Data", WireList.wrapped(itemName, items));
    }

    @SuppressWarnings("unchecked")
    private static List<String> values(WireObject body, String list, String field) {
        return ((WireList) body.get(list)).items().stream().map(i -> (String) ((WireObject) i).get(field)).toList();
    }

    private WireObject filter(String key, AccessRule rule, Params params, WireObject body) {
        return authorizer.authorize(key, "List", rule, params).apply(body);
    }

    @Test
    void instancesTheKeyMayQueryAsOnsListsThemAndTheDefaultOneToAll() {
        WireObject body = wrapped("InstanceVO", List.of(WireObject.of().with("InstanceId", "MQ_INST_000000000000_DEFAULT"),
                WireObject.of().with("InstanceId", "MQ_INST_x1"), WireObject.of().with("InstanceId", "MQ_INST_y"),
                WireObject.of().with("InstanceId", "MQ_INST_x2")));
        AccessRule rule = AccessRule.listedBy("mq:QueryInstanceBaseInfo", ListFilter.INSTANCES);
        assertThat(values(filter("LTAIscoped", rule, AuthorizerTest.params(), body), "Data", "InstanceId"))
                .containsExactly("MQ_INST_000000000000_DEFAULT", "MQ_INST_x1", "MQ_INST_x2");
        assertThat(values(filter("LTAIreader", rule, AuthorizerTest.params(), body), "Data", "InstanceId")).hasSize(4);
        assertThat(values(filter("LTAIadmin", rule, AuthorizerTest.params(), body), "Data", "InstanceId")).hasSize(4);
        // Anyone may call the list: a key with no statement at all sees the default instance only.
        assertThat(values(filter("LTAInothing", rule, AuthorizerTest.params(), body), "Data", "InstanceId"))
                .containsExactly("MQ_INST_000000000000_DEFAULT");
    }

    @Test
    void aTaggedInstanceIsListedWhenSomethingInsideItIsAllowed() {
        // LTAIcase may only create topics Orders? of MQ_INST_x: it sees MQ_INST_x's tags, not MQ_INST_y's.
        WireObject body = WireObject.of().with("TagResources", WireList.bare("TagResources", List.of(
                WireObject.of().with("ResourceType", "ALIYUN::MQ::INSTANCE").with("InstanceId", "MQ_INST_x").with("ResourceId", "MQ_INST_x"),
                WireObject.of().with("ResourceType", "ALIYUN::MQ::INSTANCE").with("InstanceId", "MQ_INST_y").with("ResourceId", "MQ_INST_y"))));
        KeyPolicy policy = AccessPolicies.parse(AuthorizerTest.FILE, "t", AuthorizerTest.SCOPE, java.util.Set.of()).policyOf("LTAIcase");
        WireObject narrowed = ListFilter.TAG_RESOURCES.apply(body, AuthorizerTest.params(), policy, AuthorizerTest.SCOPE, "mq:ListTagResources");
        assertThat(values(narrowed, "TagResources", "ResourceId")).containsExactly("MQ_INST_x");
    }

    @Test
    void topicsDeniedForEveryActionAreHidden() {
        WireObject body = wrapped("PublishInfoDo", List.of(
                WireObject.of().with("Topic", "Orders").with("InstanceId", "MQ_INST_x"),
                WireObject.of().with("Topic", "Secret").with("InstanceId", "MQ_INST_x")))
                .with("RequestId", "kept");
        AccessRule rule = AccessRule.instance("mq:ListTopic").listing(ListFilter.TOPICS);
        WireObject narrowed = filter("LTAIbutone", rule, AuthorizerTest.params("InstanceId", "MQ_INST_x"), body);
        assertThat(values(narrowed, "Data", "Topic")).containsExactly("Orders");
        assertThat(narrowed.get("RequestId")).isEqualTo("kept");
        assertThat(((WireList) narrowed.get("Data")).itemName()).isEqualTo("PublishInfoDo");
    }

    @Test
    void groupsOutsideTheScopeAreHidden() {
        WireObject body = wrapped("SubscribeInfoDo", List.of(WireObject.of().with("GroupId", "GID_a").with("InstanceId", "MQ_INST_x9"),
                WireObject.of().with("GroupId", "GID_b").with("InstanceId", "MQ_INST_z")));
        AccessRule rule = AccessRule.instance("mq:ListGroup").listing(ListFilter.GROUPS);
        KeyPolicy policy = AccessPolicies.parse(AuthorizerTest.FILE, "t", AuthorizerTest.SCOPE, java.util.Set.of()).policyOf("LTAIscoped");
        assertThat(values(rule.filter().apply(body, AuthorizerTest.params(), policy, AuthorizerTest.SCOPE, rule.ramAction()), "Data", "GroupId"))
                .containsExactly("GID_a");
    }

    @Test
    void tagResourcesOfEveryTypeAreNarrowed() {
        WireObject body = WireObject.of().with("TagResources", WireList.bare("TagResources", List.of(
                WireObject.of().with("ResourceType", "ALIYUN::MQ::TOPIC").with("InstanceId", "MQ_INST_x").with("ResourceId", "Secret"),
                WireObject.of().with("ResourceType", "ALIYUN::MQ::TOPIC").with("InstanceId", "MQ_INST_x").with("ResourceId", "Orders"),
                WireObject.of().with("ResourceType", "ALIYUN::MQ::INSTANCE").with("InstanceId", "MQ_INST_x").with("ResourceId", "MQ_INST_x"))));
        AccessRule rule = AccessRule.all("mq:ListTagResources").listing(ListFilter.TAG_RESOURCES);
        WireObject narrowed = filter("LTAIbutone", rule, AuthorizerTest.params("ResourceType", "TOPIC", "InstanceId", "MQ_INST_x"), body);
        assertThat(values(narrowed, "TagResources", "ResourceId")).containsExactly("Orders", "MQ_INST_x");
        assertThat(((WireList) narrowed.get("TagResources")).bare()).isTrue();
    }
}
