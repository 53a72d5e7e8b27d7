package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.ListTagResourcesRequest.ListTagResourcesRequestTag;
import com.aliyun.ons20190214.models.ListTagResourcesRequest;
import com.aliyun.ons20190214.models.ListTagResourcesResponseBody.ListTagResourcesResponseBodyTagResources;
import com.aliyun.ons20190214.models.ListTagResourcesResponseBody;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest.OnsGroupListRequestTag;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest.OnsInstanceInServiceListRequestTag;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest.OnsTopicListRequestTag;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.TagResourcesRequest.TagResourcesRequestTag;
import com.aliyun.ons20190214.models.TagResourcesRequest;
import com.aliyun.ons20190214.models.UntagResourcesRequest;
import com.aliyuncs.http.FormatType;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tags on instances, topics and groups: bindings, list filters, NextToken paging, removal. */
@OnsBridgeTest
class TagIT {
    private final Bridge bridge;

    TagIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void tagsBindListAndFilterEveryKindOfResource() throws Exception {
        String instance = bridge.newInstance("tags");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Billing").setMessageType(0));
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Shipping").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_billing"));
        tag("TOPIC", instance, List.of("Billing"), "team", "finance");
        tag("GROUP", instance, List.of("GID_billing"), "team", "finance");
        tag("INSTANCE", null, List.of(instance), "env", "test");

        // Through the legacy SDK, in JSON and XML: the bare TagResources array.
        for (FormatType format : List.of(FormatType.JSON, FormatType.XML)) {
            var list = new com.aliyuncs.ons.model.v20190214.ListTagResourcesRequest();
            list.setInstanceId(instance);
            list.setResourceType("TOPIC");
            list.setSysAcceptFormat(format);
            assertThat(bridge.legacy(list).getTagResources()).as(format.name()).singleElement().satisfies(t -> {
                assertThat(t.getResourceId()).isEqualTo("Billing");
                assertThat(t.getResourceType()).isEqualTo("ALIYUN::MQ::TOPIC");
                assertThat(t.getTagKey()).isEqualTo("team");
                assertThat(t.getTagValue()).isEqualTo("finance");
                assertThat(t.getInstanceId()).isEqualTo(instance);
            });
        }

        var topics = tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)
                .setTag(List.of(new OnsTopicListRequestTag().setKey("team").setValue("finance")))).getBody().getData().getPublishInfoDo();
        assertThat(topics).singleElement().satisfies(t -> {
            assertThat(t.getTopic()).isEqualTo("Billing");
            assertThat(t.getTags().getTag()).singleElement().satisfies(tag -> assertThat(tag.getValue()).isEqualTo("finance"));
        });
        assertThat(tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)
                .setTag(List.of(new OnsGroupListRequestTag().setKey("team").setValue("other")))).getBody().getData().getSubscribeInfoDo()).isEmpty();
        assertThat(tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)
                .setTag(List.of(new OnsGroupListRequestTag().setKey("team")))).getBody().getData().getSubscribeInfoDo()).hasSize(1);
        assertThat(tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()
                .setTag(List.of(new OnsInstanceInServiceListRequestTag().setKey("env").setValue("test")))).getBody().getData().getInstanceVO())
                .extracting(i -> i.getInstanceId()).contains(instance).doesNotContain(bridge.legacyDefaultInstance());

        // A deleted topic takes its tags along.
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Billing"));
        assertThat(list("TOPIC", instance, null).getTagResources()).isEmpty();
    }

    @Test
    void nextTokenPagingReturnsEveryBindingExactlyOnce() throws Exception {
        String instance = bridge.newInstance("paging");
        List<String> topics = List.of("PageA", "PageB", "PageC");
        for (String topic : topics) {
            bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
            for (int k = 0; k < 15; k++) {
                tag("TOPIC", instance, List.of(topic), "k" + k, "v" + k);
            }
        }
        Set<String> seen = new HashSet<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            ListTagResourcesResponseBody page = list("TOPIC", instance, token);
            pageSizes.add(page.getTagResources().size());
            for (ListTagResourcesResponseBodyTagResources binding : page.getTagResources()) {
                assertThat(seen.add(binding.getResourceId() + "/" + binding.getTagKey() + "=" + binding.getTagValue())).isTrue();
            }
            token = page.getNextToken();
        } while (token != null);
        assertThat(seen).hasSize(45);
        assertThat(pageSizes).containsExactly(20, 20, 5);
        assertThat(seen).containsAll(IntStream.range(0, 15).mapToObj(k -> "PageB/k" + k + "=v" + k).toList());
    }

    @Test
    void untagByKeyOrAll() throws Exception {
        String instance = bridge.newInstance("untag");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Untagged").setMessageType(0));
        tag("TOPIC", instance, List.of("Untagged"), "a", "1");
        tag("TOPIC", instance, List.of("Untagged"), "b", "2");
        tag("TOPIC", instance, List.of("Untagged"), "a", "overwritten");
        assertThat(list("TOPIC", instance, null).getTagResources()).extracting(t -> t.getTagKey() + "=" + t.getTagValue())
                .containsExactly("a=overwritten", "b=2");
        tea.untagResources(new UntagResourcesRequest().setInstanceId(instance).setResourceType("TOPIC")
                .setResourceId(List.of("Untagged")).setTagKey(List.of("a")));
        assertThat(list("TOPIC", instance, null).getTagResources()).extracting(t -> t.getTagKey()).containsExactly("b");
        tea.untagResources(new UntagResourcesRequest().setInstanceId(instance).setResourceType("TOPIC")
                .setResourceId(List.of("Untagged")).setAll(true));
        assertThat(list("TOPIC", instance, null).getTagResources()).isEmpty();
    }

    @Test
    void theLegacySdkTagsAndUntags() throws Exception {
        String instance = bridge.newInstance("legacytags");
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_tagged"));
        var tagRequest = new com.aliyuncs.ons.model.v20190214.TagResourcesRequest();
        tagRequest.setInstanceId(instance);
        tagRequest.setResourceType("GROUP");
        tagRequest.setResourceIds(List.of("GID_tagged"));
        var empty = new com.aliyuncs.ons.model.v20190214.TagResourcesRequest.Tag();
        empty.setKey("flag");
        empty.setValue(""); // the legacy SDK sends an empty value as Tag.1.Value= (signed)
        var owner = new com.aliyuncs.ons.model.v20190214.TagResourcesRequest.Tag();
        owner.setKey("owner");
        owner.setValue("ops");
        tagRequest.setTags(List.of(empty, owner));
        bridge.legacy(tagRequest);
        assertThat(list("GROUP", instance, null).getTagResources()).extracting(t -> t.getTagKey() + "=" + t.getTagValue())
                .containsExactly("flag=", "owner=ops");
        var untag = new com.aliyuncs.ons.model.v20190214.UntagResourcesRequest();
        untag.setInstanceId(instance);
        untag.setResourceType("GROUP");
        untag.setResourceIds(List.of("GID_tagged"));
        untag.setTagKeys(List.of("owner"));
        bridge.legacy(untag);
        assertThat(list("GROUP", instance, null).getTagResources()).extracting(t -> t.getTagKey()).containsExactly("flag");
    }

    @Test
    void parallelTagCallsOnOneTopicAllLand() throws Exception {
        String instance = bridge.newInstance("paralleltags");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Crowded").setMessageType(0));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<String>> calls = IntStream.range(0, 10).<Callable<String>>mapToObj(k -> () -> {
                tag("TOPIC", instance, List.of("Crowded"), "key" + k, "v" + k);
                return "ok";
            }).toList();
            assertThat(pool.invokeAll(calls)).extracting(Future::get).containsOnly("ok");
        } finally {
            pool.shutdownNow();
        }
        // A read-modify-write without a lock loses bindings here: each call rewrites the whole record.
        assertThat(list("TOPIC", instance, null).getTagResources()).extracting(t -> t.getTagKey() + "=" + t.getTagValue())
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).mapToObj(k -> "key" + k + "=v" + k).toList());
    }

    @Test
    void theLegacySdkFiltersListsByTagAndPagesWithNextToken() throws Exception {
        String instance = bridge.newInstance("legacyfilter");
        var tea = bridge.tea();
        for (String topic : List.of("LegacyRed", "LegacyBlue")) {
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        }
        for (String group : List.of("GID_red", "GID_blue")) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group));
        }
        tag("TOPIC", instance, List.of("LegacyRed"), "colour", "red");
        tag("TOPIC", instance, List.of("LegacyBlue"), "colour", "blue");
        tag("GROUP", instance, List.of("GID_red"), "colour", "red");
        tag("GROUP", instance, List.of("GID_blue"), "colour", "blue");
        tag("INSTANCE", null, List.of(instance), "legacyfilter", "yes");

        var topicTag = new com.aliyuncs.ons.model.v20190214.OnsTopicListRequest.Tag();
        topicTag.setKey("colour");
        topicTag.setValue("red");
        var topics = new com.aliyuncs.ons.model.v20190214.OnsTopicListRequest();
        topics.setInstanceId(instance);
        topics.setTags(List.of(topicTag));
        assertThat(bridge.legacy(topics).getData()).extracting(t -> t.getTopic()).containsExactly("LegacyRed");

        var groupTag = new com.aliyuncs.ons.model.v20190214.OnsGroupListRequest.Tag();
        groupTag.setKey("colour");
        groupTag.setValue("blue");
        var groups = new com.aliyuncs.ons.model.v20190214.OnsGroupListRequest();
        groups.setInstanceId(instance);
        groups.setTags(List.of(groupTag));
        assertThat(bridge.legacy(groups).getData()).extracting(g -> g.getGroupId()).containsExactly("GID_blue");

        var instanceTag = new com.aliyuncs.ons.model.v20190214.OnsInstanceInServiceListRequest.Tag();
        instanceTag.setKey("legacyfilter");
        instanceTag.setValue("yes");
        var instances = new com.aliyuncs.ons.model.v20190214.OnsInstanceInServiceListRequest();
        instances.setTags(List.of(instanceTag));
        assertThat(bridge.legacy(instances).getData()).extracting(i -> i.getInstanceId()).containsExactly(instance);

        // 2 topics x 12 keys (+ the colour key each) = 26 bindings: two pages through the legacy SDK.
        for (String topic : List.of("LegacyRed", "LegacyBlue")) {
            for (int k = 0; k < 12; k++) {
                tag("TOPIC", instance, List.of(topic), "k" + k, "v" + k);
            }
        }
        Set<String> seen = new HashSet<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            var page = new com.aliyuncs.ons.model.v20190214.ListTagResourcesRequest();
            page.setInstanceId(instance);
            page.setResourceType("TOPIC");
            page.setNextToken(token);
            var response = bridge.legacy(page);
            pageSizes.add(response.getTagResources().size());
            response.getTagResources().forEach(t -> assertThat(seen.add(t.getResourceId() + "/" + t.getTagKey())).isTrue());
            token = response.getNextToken();
        } while (token != null);
        assertThat(pageSizes).containsExactly(20, 6);
        assertThat(seen).hasSize(26).contains("LegacyBlue/colour", "LegacyRed/k11");
    }

    @Test
    void badInputGetsItsDocumentedCode() throws Exception {
        String instance = bridge.newInstance("badtags");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Limited").setMessageType(0));
        assertTeaError(() -> tea.tagResources(new TagResourcesRequest().setResourceType("TOPIC").setResourceId(List.of("Limited"))
                .setTag(List.of(new TagResourcesRequestTag().setKey("k").setValue("v")))), "MissingParameter", 400, "InstanceId");
        assertTeaError(() -> tea.tagResources(new TagResourcesRequest().setInstanceId(instance).setResourceType("QUEUE")
                .setResourceId(List.of("Limited")).setTag(List.of(new TagResourcesRequestTag().setKey("k").setValue("v")))),
                "BIZ_FIELD_CHECK_INVALID", 400, "ResourceType");
        assertTeaError(() -> tea.tagResources(new TagResourcesRequest().setInstanceId(instance).setResourceType("TOPIC")
                .setResourceId(List.of("Missing")).setTag(List.of(new TagResourcesRequestTag().setKey("k").setValue("v")))),
                "BIZ_TOPIC_NOT_FOUND", 404, "Missing");
        assertTeaError(() -> tea.tagResources(new TagResourcesRequest().setInstanceId(instance).setResourceType("TOPIC")
                .setResourceId(List.of("Limited")).setTag(List.of(new TagResourcesRequestTag().setKey("aliyun:x").setValue("v")))),
                "BIZ_FIELD_CHECK_INVALID", 400, "Tag.1.Key");
        List<TagResourcesRequestTag> twentyOne = IntStream.range(0, 21).mapToObj(i -> new TagResourcesRequestTag().setKey("k" + i).setValue("v")).toList();
        assertTeaError(() -> tea.tagResources(new TagResourcesRequest().setInstanceId(instance).setResourceType("TOPIC")
                .setResourceId(List.of("Limited")).setTag(twentyOne)), "BIZ_FIELD_CHECK_INVALID", 400, "Tag");
        assertTeaError(() -> tea.listTagResources(new ListTagResourcesRequest().setInstanceId(instance).setResourceType("TOPIC")
                .setNextToken("not-a-token")), "BIZ_FIELD_CHECK_INVALID", 400, "NextToken");
    }

    private void tag(String type, String instance, List<String> ids, String key, String value) throws Exception {
        bridge.tea().tagResources(new TagResourcesRequest().setInstanceId(instance).setResourceType(type).setResourceId(ids)
                .setTag(List.of(new TagResourcesRequestTag().setKey(key).setValue(value))));
    }

    private ListTagResourcesResponseBody list(String type, String instance, String token) throws Exception {
        return bridge.tea().listTagResources(new ListTagResourcesRequest().setInstanceId(instance).setResourceType(type)
                .setNextToken(token).setTag(List.<ListTagResourcesRequestTag>of())).getBody();
    }
}
