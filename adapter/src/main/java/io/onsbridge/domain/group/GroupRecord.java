package io.onsbridge.domain.group;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ONS knows of a group that the broker does not: remark, GroupType (tcp/http), create and update
 * times, tags. Kept in the cluster ({@code ClusterMetadata}, kind GROUP, keyed by the broker's group name).
 */
public record GroupRecord(String remark, String groupType, Long createTime, Long updateTime, Map<String, String> tags) {
    public static final String TCP = "tcp";
    public static final String HTTP = "http";

    public GroupRecord {
        groupType = groupType == null ? TCP : groupType;
        tags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
    }

    /** A group made outside the bridge (mqadmin, a consumer's auto-create): a tcp group with nothing known. */
    static GroupRecord unknown() {
        return new GroupRecord(null, TCP, null, null, null);
    }

    public GroupRecord withTags(Map<String, String> newTags) {
        return new GroupRecord(remark, groupType, createTime, System.currentTimeMillis(), newTags);
    }

    /** The same record, updated now. */
    public GroupRecord touched() {
        return withTags(tags);
    }
}
