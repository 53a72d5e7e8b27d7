package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterMetadata;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    void mastersBroughtInLineFromTheSameReadAreAllNamedAndACopyReplacedSinceIsNotOldAnyMore() {
        RecordsInMemory records = new RecordsInMemory();
        Deletions deletions = new Deletions(records, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        deletions.deletingGroup("NS%GID_a", Set.of("m1"));
        deletions.creatingGroup("NS%GID_a", Set.of("m1"));
        Deletions.Recreated read = deletions.known().recreatedGroup("NS%GID_a").orElseThrow();
        assertThat(deletions.stillOld("m2", read)).isTrue();

        deletions.inLineOn("m2", read);
        deletions.inLineOn("m3", read); // from the same read, as a look over two returning masters makes them

        assertThat(deletions.known().recreatedGroup("NS%GID_a")).map(r -> r.deleted().on()).contains(List.of("m1", "m2", "m3"));
        assertThat(deletions.stillOld("m2", read)).as("brought in line since it was read").isFalse();
        assertThat(deletions.stillOld("m4", read)).isTrue();
        records.put(Deletions.KIND, read.key(), new Deletions.Deleted(NOW + 1, List.of("m1"), NOW + 2));
        assertThat(deletions.stillOld("m4", read)).as("deleted and created again since: the next look's business").isFalse();
        deletions.inLineOn("m4", read);
        assertThat(deletions.known().recreatedGroup("NS%GID_a")).map(r -> r.deleted().on()).contains(List.of("m1"));
    }

    /** The name servers' records, in memory: what {@link Deletions} reads and writes, without a cluster. */
    private static final class RecordsInMemory implements ClusterMetadata {
        private final Map<String, Object> records = new TreeMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T> Map<String, T> list(String kind, Class<T> type) {
            Map<String, T> of = new TreeMap<>();
            records.forEach((key, record) -> {
                if (key.startsWith(kind + "/")) {
                    of.put(key.substring(kind.length() + 1), (T) record);
                }
            });
            return of;
        }

        @Override
        public <T> Map<String, T> recentList(String kind, Class<T> type, String keyPrefix) {
            Map<String, T> of = list(kind, type);
            of.keySet().removeIf(key -> !key.startsWith(keyPrefix));
            return of;
        }

        @Override
        public boolean recentlyHas(String kind, String key) {
            return records.containsKey(kind + "/" + key);
        }

        @Override
        public boolean recentlyHeld(String kind) {
            return true;
        }

        @Override
        public <T> Optional<T> get(String kind, String key, Class<T> type) {
            return Optional.ofNullable(type.cast(records.get(kind + "/" + key)));
        }

        @Override
        public void put(String kind, String key, Object record) {
            records.put(kind + "/" + key, record);
        }

        @Override
        public void delete(String kind, String key) {
            records.remove(kind + "/" + key);
        }
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
