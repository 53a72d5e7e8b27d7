package io.onsbridge.domain.group;

import java.util.function.Supplier;

/** One group of an instance as the brokers hold it, with its metadata record. */
public record GroupView(String brokerName, String groupId, Supplier<GroupRecord> recordSource) {

    /** The group's metadata record (type, remark, tags, times), read from the cluster when first asked for. */
    public GroupRecord record() {
        return recordSource.get();
    }
}
