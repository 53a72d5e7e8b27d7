package io.onsbridge.protocol.access;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Narrows a list answer to the items a governed key may see. It works on the rendered shape
 * ({@code WireObject}/{@code WireList}) rather than inside the domain, so that the domain stays free of
 * who is asking, and the one list of rules per action stays next to the dispatch table.
 */
public enum ListFilter {
    NONE(null),
    /**
     * OnsInstanceInServiceList, as ONS filters it: instances the key may do the rule's RAM action
     * (mq:QueryInstanceBaseInfo) on; the default instance (no namespace) is shown to every key.
     */
    INSTANCES("Data"),
    /** OnsTopicList: topics the key may do something with. */
    TOPICS("Data"),
    /** OnsGroupList: groups the key may do something with. */
    GROUPS("Data"),
    /** ListTagResources: tagged instances, topics and groups the key may see (a page may come out shorter). */
    TAG_RESOURCES("TagResources");

    private final String field;

    ListFilter(String field) {
        this.field = field;
    }

    WireObject apply(WireObject body, Params request, KeyPolicy policy, ResourceScope scope, String ramAction) {
        if (field == null || !(body.get(field) instanceof WireList list)) {
            return body;
        }
        List<Object> kept = new ArrayList<>();
        for (Object item : list.items()) {
            if (item instanceof WireObject object && visible(object, request, policy, scope, ramAction)) {
                kept.add(item);
            }
        }
        WireObject narrowed = WireObject.of();
        for (Map.Entry<String, Object> entry : body.entrySet()) {
            narrowed.with(entry.getKey(), entry.getKey().equals(field) ? new WireList(list.itemName(), List.copyOf(kept), list.bare())
                    : entry.getValue());
        }
        return narrowed;
    }

    private boolean visible(WireObject item, Params request, KeyPolicy policy, ResourceScope scope, String ramAction) {
        String instanceId = text(item, "InstanceId", request.optional("InstanceId"));
        return switch (this) {
            case NONE -> true;
            case INSTANCES -> instanceId != null && (instanceId.equals(scope.defaultInstance())
                    || policy.decide(ramAction, scope.instance(instanceId)) == KeyPolicy.Decision.ALLOWED);
            case TOPICS -> instanceId != null && policy.sees(scope.inInstance(instanceId, text(item, "Topic", "")));
            case GROUPS -> instanceId != null && policy.sees(scope.inInstance(instanceId, text(item, "GroupId", "")));
            case TAG_RESOURCES -> {
                String id = text(item, "ResourceId", "");
                yield text(item, "ResourceType", "").endsWith("INSTANCE") ? policy.seesInstance(id)
                        : instanceId != null && policy.sees(scope.inInstance(instanceId, id));
            }
        };
    }

    private static String text(WireObject item, String name, String otherwise) {
        Object value = item.get(name);
        return value instanceof String s ? s : otherwise;
    }
}
