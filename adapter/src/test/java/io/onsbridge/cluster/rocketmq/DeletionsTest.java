package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.common.TopicConfig;
import org.junit.jupiter.api.Test;

class DeletionsTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aGroupsRetryAndDeadLetterTopicsAreDeletedWithIt() {
        Deletions.Known known = new Deletions.Known(Map.of("group:NS%GID_a", new Deletions.Deleted(NOW, List.of("m1"), 0),
                "topic:NS%T", new Deletions.Deleted(NOW - 1, List.of("m2"), 0)));

        assertThat(known.ofTopic("%RETRY%NS%GID_a")).map(Deletions.Deleted::on).contains(List.of("m1"));
        assertThat(known.ofTopic("%DLQ%NS%GID_a")).isPresent();
        assertThat(known.ofTopic("NS%T")).map(Deletions.Deleted::at).contains(NOW - 1);
        assertThat(known.ofTopic("NS%GID_a")).as("a topic named like the group is not the group").isEmpty();
        assertThat(known.ofGroup("NS%T")).isEmpty();
        assertThat(known.ofTopic("%RETRY%NS%GID_b")).isEmpty();
    }

    @Test
    void aTopicOrGroupCreatedAgainIsNoLongerDeletedButItsRecordSaysWhichMastersAreInLine() {
        Deletions.Known known = new Deletions.Known(Map.of("group:NS%GID_a", new Deletions.Deleted(NOW, List.of("m1", "m2"), NOW + 5),
                "topic:NS%T", new Deletions.Deleted(NOW, List.of("m1"), NOW + 9), "topic:NS%U", new Deletions.Deleted(NOW, List.of("m1"), 0)));

        assertThat(known.ofTopic("NS%T")).as("created again: copied to a master that lacks it").isEmpty();
        assertThat(known.ofGroup("NS%GID_a")).isEmpty();
        assertThat(known.ofTopic("%RETRY%NS%GID_a")).isEmpty();
        assertThat(known.recreatedTopic("NS%T")).map(Deletions.Recreated::key).contains("topic:NS%T");
        assertThat(known.recreatedTopic("%DLQ%NS%GID_a")).map(r -> r.deleted().on()).contains(List.of("m1", "m2"));
        assertThat(known.recreatedGroup("NS%GID_a")).map(r -> r.deleted().recreatedAt()).contains(NOW + 5);
        assertThat(known.recreatedTopic("NS%U")).as("deleted, not created again").isEmpty();
        assertThat(known.ofTopic("NS%U")).isPresent();
    }

    @Test
    void recordsOlderThanAWeekOrBeyondTheBoundAreDropped() {
        Map<String, Deletions.Deleted> records = new HashMap<>();
        records.put("topic:old", new Deletions.Deleted(NOW - Deletions.KEPT.toMillis() - 1, List.of(), 0));
        records.put("topic:week", new Deletions.Deleted(NOW - Deletions.KEPT.toMillis(), List.of(), 0));
        assertThat(Deletions.expired(records, NOW)).containsExactly("topic:old");

        for (int i = 0; i < Deletions.MAX_KEPT; i++) {
            records.put("topic:t" + i, new Deletions.Deleted(NOW - i, List.of(), 0));
        }
        // newest first: t0..t9999 fill the bound, the week-old one and the old one fall beyond it
        assertThat(Deletions.expired(records, NOW)).containsExactlyInAnyOrder("topic:week", "topic:old");
        records.put("topic:newest", new Deletions.Deleted(NOW + 1, List.of(), 0));
        assertThat(Deletions.expired(records, NOW)).containsExactlyInAnyOrder("topic:t9999", "topic:week", "topic:old");
    }

    @Test
    void aCopiedTopicConfigAddsItsAttributes() {
        TopicConfig config = new TopicConfig("NS%T", 4, 2, 6, 0);
        config.setOrder(true);
        config.setAttributes(Map.of("message.type", "FIFO"));

        TopicConfig create = MasterReconciler.toCreate(config);

        assertThat(create.getAttributes()).containsExactly(Map.entry("+message.type", "FIFO"));
        assertThat(create.getReadQueueNums()).isEqualTo(4);
        assertThat(create.getWriteQueueNums()).isEqualTo(2);
        assertThat(create.getPerm()).isEqualTo(6);
        assertThat(create.isOrder()).isTrue();
        assertThat(MasterReconciler.toCreate(new TopicConfig("NS%U", 1, 1, 6, 0)).getAttributes()).isNullOrEmpty();
    }
}
