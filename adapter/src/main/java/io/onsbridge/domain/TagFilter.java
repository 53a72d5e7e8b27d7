package io.onsbridge.domain;

import java.util.List;
import java.util.Map;

/**
 * The {@code Tag.N.Key}/{@code Tag.N.Value} filter of the list actions: a resource matches when it has
 * every given tag (AND). A filter tag without a value matches any value of its key: the Tea SDK cannot
 * send an empty value, so "key only" is the only way its users can ask "has this key".
 */
public record TagFilter(List<Tag> wanted) {

    public static TagFilter of(Params request) {
        return new TagFilter(request.tags("Tag"));
    }

    public boolean matches(Map<String, String> tags) {
        return wanted.stream().allMatch(t -> tags.containsKey(t.key()) && (t.value().isEmpty() || t.value().equals(tags.get(t.key()))));
    }

    /** For ListTagResources, where each answer row is one (key, value): does any filter tag select it? */
    public boolean selects(String key, String value) {
        return wanted.stream().anyMatch(t -> t.key().equals(key) && (t.value().isEmpty() || t.value().equals(value)));
    }

    public boolean isEmpty() {
        return wanted.isEmpty();
    }

    /** A resource's tags as every list answer carries them: {@code "Tags": {"Tag": [{"Key", "Value"}]}}. */
    public static WireList wire(Map<String, String> tags) {
        return WireList.wrapped("Tag", tags.entrySet().stream()
                .map(t -> WireObject.of().with("Key", t.getKey()).with("Value", t.getValue()))
                .toList());
    }
}
