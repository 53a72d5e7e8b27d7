package io.onsbridge.domain.tag;

import io.onsbridge.domain.NameLocks;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.Tag;
import io.onsbridge.domain.TagFilter;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * TagResources, ListTagResources and UntagResources (tag.md). Tags live in each resource's metadata
 * record, in the cluster, and go away with the resource. ListTagResources pages by a NextToken that
 * names the last (resource, key) pair returned, so pages need no server state and a binding is never
 * returned twice.
 */
public final class TagActions {
    public static final int MAX_TAGS_PER_RESOURCE = 20;
    static final int PAGE_SIZE = 20;
    private static final int MAX_RESOURCES = 50;

    private final Instances instances;
    private final Topics topics;
    private final Groups groups;
    private final NameLocks nameLocks;

    public TagActions(Instances instances, Topics topics, Groups groups, NameLocks nameLocks) {
        this.instances = instances;
        this.nameLocks = nameLocks;
        this.topics = topics;
        this.groups = groups;
    }

    /** One taggable resource: its ID as the user names it and its tags. */
    private record Tagged(String instanceId, String resourceId, Map<String, String> tags) {
    }

    public WireObject tagResources(Params request) {
        ResourceType type = ResourceType.of(request);
        List<String> ids = resourceIds(request);
        List<Tag> tags = request.tags("Tag");
        if (tags.isEmpty()) {
            throw OnsErrors.missingParameter("Tag.1.Key");
        }
        InstanceRecord instance = type.instance(request, instances);
        for (String id : ids) {
            nameLocks.locked(lockName(type, instance, id), () -> {
                Map<String, String> current = new LinkedHashMap<>(tagsOf(type, instance, id));
                tags.forEach(t -> current.put(t.key(), t.value()));
                if (current.size() > MAX_TAGS_PER_RESOURCE) {
                    throw OnsErrors.fieldCheckInvalid("Tag", "a resource has at most " + MAX_TAGS_PER_RESOURCE + " tags; "
                            + id + " would have " + current.size() + ".");
                }
                save(type, instance, id, current);
            });
        }
        return WireObject.of();
    }

    public WireObject untagResources(Params request) {
        ResourceType type = ResourceType.of(request);
        List<String> ids = resourceIds(request);
        List<String> keys = request.repeated("TagKey", MAX_TAGS_PER_RESOURCE);
        for (int n = 0; n < keys.size(); n++) {
            Tag.checkKey("TagKey." + (n + 1), keys.get(n));
        }
        boolean all = Boolean.TRUE.equals(request.optionalBoolean("All"));
        InstanceRecord instance = type.instance(request, instances);
        for (String id : ids) {
            nameLocks.locked(lockName(type, instance, id), () -> {
                Map<String, String> current = new LinkedHashMap<>(tagsOf(type, instance, id));
                if (!keys.isEmpty()) {
                    keys.forEach(current::remove);
                } else if (all) {
                    current.clear();
                } else {
                    return; // neither keys nor All: nothing to remove (tag.md, ambiguity 5)
                }
                save(type, instance, id, current);
            });
        }
        return WireObject.of();
    }

    public WireObject listTagResources(Params request) {
        ResourceType type = ResourceType.of(request);
        InstanceRecord instance = type.instance(request, instances);
        List<String> ids = request.repeated("ResourceId", MAX_RESOURCES);
        TagFilter filter = TagFilter.of(request);
        String after = decodeToken(request.optional("NextToken"));

        List<WireObject> page = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (Tagged resource : all(type, instance)) {
            if (!ids.isEmpty() && !ids.contains(resource.resourceId())) {
                continue;
            }
            for (Map.Entry<String, String> tag : new TreeMap<>(resource.tags()).entrySet()) {
                if (!filter.isEmpty() && !filter.selects(tag.getKey(), tag.getValue())) {
                    continue;
                }
                String position = position(resource.resourceId(), tag.getKey());
                if (after != null && position.compareTo(after) <= 0) {
                    continue;
                }
                if (page.size() == PAGE_SIZE) {
                    more = true;
                    break;
                }
                page.add(WireObject.of()
                        .with("ResourceType", type.wireName())
                        .with("InstanceId", resource.instanceId())
                        .with("ResourceId", resource.resourceId())
                        .with("TagKey", tag.getKey())
                        .with("TagValue", tag.getValue()));
                last = position;
            }
            if (more) {
                break;
            }
        }
        return WireObject.of()
                .with("NextToken", more ? Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)) : null)
                .with("TagResources", WireList.bare("TagResources", page));
    }

    // --- the three kinds of resource ----------------------------------------------------------------

    private List<Tagged> all(ResourceType type, InstanceRecord instance) {
        List<Tagged> resources = switch (type) {
            case INSTANCE -> instances.all().values().stream()
                    .filter(i -> instance == null || i.instanceId().equals(instance.instanceId()))
                    .map(i -> new Tagged(i.instanceId(), i.instanceId(), i.tags()))
                    .toList();
            case TOPIC -> topics.of(instance).stream()
                    .map(t -> new Tagged(instance.instanceId(), t.name(), t.record().tags()))
                    .toList();
            case GROUP -> groups.of(instance).stream()
                    .map(g -> new Tagged(instance.instanceId(), g.groupId(), g.record().tags()))
                    .toList();
        };
        return resources.stream().sorted(Comparator.comparing(Tagged::resourceId)).toList();
    }

    /** Tag writes read, change and write back a whole record: one at a time per resource in this bridge. */
    private static String lockName(ResourceType type, InstanceRecord instance, String id) {
        return instance == null ? NameLocks.instance(id) : instance.brokerName(id);
    }

    private Map<String, String> tagsOf(ResourceType type, InstanceRecord instance, String id) {
        return switch (type) {
            case INSTANCE -> instances.find(id).orElseThrow(() -> OnsErrors.instanceNotFound(id)).tags();
            case TOPIC -> topics.require(instance, id).record().tags();
            case GROUP -> groups.require(instance, id).record().tags();
        };
    }

    private void save(ResourceType type, InstanceRecord instance, String id, Map<String, String> tags) {
        switch (type) {
            case INSTANCE -> instances.save(instances.find(id).orElseThrow(() -> OnsErrors.instanceNotFound(id)).withTags(tags));
            case TOPIC -> {
                TopicView topic = topics.require(instance, id);
                topics.saveRecord(topic.brokerName(), topic.record().withTags(tags));
            }
            case GROUP -> {
                GroupView group = groups.require(instance, id);
                groups.saveRecord(group.brokerName(), group.record().withTags(tags));
            }
        }
    }

    private static List<String> resourceIds(Params request) {
        List<String> ids = request.repeated("ResourceId", MAX_RESOURCES);
        if (ids.isEmpty()) {
            throw OnsErrors.missingParameter("ResourceId.1");
        }
        return ids;
    }

    /** Pairs sort by resource, then key; NUL cannot occur in either. */
    private static String position(String resourceId, String key) {
        return resourceId + '\0' + key;
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            String position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (position.indexOf('\0') < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw OnsErrors.fieldCheckInvalid("NextToken", "pass the NextToken of the previous page unchanged.");
        }
    }

    enum ResourceType {
        INSTANCE, TOPIC, GROUP;

        static ResourceType of(Params request) {
            String type = request.required("ResourceType");
            try {
                return valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw OnsErrors.fieldCheckInvalid("ResourceType", "use INSTANCE, TOPIC or GROUP.");
            }
        }

        String wireName() {
            return "ALIYUN::MQ::" + name();
        }

        /** Topics and groups need their instance; instances may be narrowed to one. */
        InstanceRecord instance(Params request, Instances instances) {
            String id = this == INSTANCE ? request.optional("InstanceId") : request.required("InstanceId");
            return id == null ? null : instances.require("InstanceId", id);
        }
    }
}
