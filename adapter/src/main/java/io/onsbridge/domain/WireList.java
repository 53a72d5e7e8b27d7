package io.onsbridge.domain;

import java.util.List;

/**
 * A list in an answer. Almost every ONS list is <em>wrapped</em>: {@code "Data": {"PublishInfoDo": [..]}};
 * a few are <em>bare</em>: {@code "TagResources": [..]} (protocol.md section 6.5). Only the renderer
 * looks at the difference, so actions just say which one they mean.
 *
 * @param itemName the element name of one item (the wrapper key in JSON, the repeated element in XML)
 * @param items    strings, numbers, booleans or {@link WireObject}s
 * @param bare     true for the few lists whose JSON array sits directly under the field name
 */
public record WireList(String itemName, List<?> items, boolean bare) {

    public static WireList wrapped(String itemName, List<?> items) {
        return new WireList(itemName, List.copyOf(items), false);
    }

    public static WireList bare(String itemName, List<?> items) {
        return new WireList(itemName, List.copyOf(items), true);
    }
}
