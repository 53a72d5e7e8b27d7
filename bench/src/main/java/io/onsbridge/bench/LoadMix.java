package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceUpdateRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.tea.TeaException;
import io.onsbridge.bench.PairedLatency.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The mix one client of {@code bin/bench load} runs, with a Tea SDK client of its own: each step is a
 * write with probability {@link #WRITE_SHARE} (a topic created and deleted, a group created and deleted,
 * or the instance's remark updated, evenly), otherwise one of six reads, evenly. Fresh names carry the
 * client's number, so that no two clients ever race for one name (a lost race would be an error here).
 */
final class LoadMix {
    static final double WRITE_SHARE = 0.05;

    /** The prepared instance: its topics, its groups, and the keys of the messages on its first topic. */
    record Target(String instance, List<String> topics, List<String> groups, int keys) {
    }

    private final com.aliyun.ons20190214.Client tea;
    private final Target target;
    private final String client;
    private final Random random;
    private final Record record = new Record();
    private long fresh;

    LoadMix(com.aliyun.ons20190214.Client tea, Target target, int client) {
        this.tea = tea;
        this.target = target;
        this.client = Integer.toString(client);
        this.random = new Random(client);
    }

    Record record() {
        return record;
    }

    void step() {
        String instance = target.instance();
        if (random.nextDouble() < WRITE_SHARE) {
            String name = "L" + client + "_" + fresh++;
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (call("OnsTopicCreate", () -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(name)
                            .setMessageType(0)))) {
                        call("OnsTopicDelete", () -> tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic(name)));
                    }
                }
                case 1 -> {
                    if (call("OnsGroupCreate", () -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance)
                            .setGroupId("GID_" + name)))) {
                        call("OnsGroupDelete", () -> tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance)
                                .setGroupId("GID_" + name)));
                    }
                }
                default -> call("OnsInstanceUpdate", () -> tea.onsInstanceUpdate(new OnsInstanceUpdateRequest().setInstanceId(instance)
                        .setRemark("load " + name)));
            }
            return;
        }
        String topic = target.topics().get(random.nextInt(target.topics().size()));
        String group = target.groups().get(random.nextInt(target.groups().size()));
        switch (random.nextInt(6)) {
            case 0 -> call("OnsTopicList", () -> tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)));
            case 1 -> call("OnsTopicStatus", () -> tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic(topic)));
            case 2 -> call("OnsGroupList", () -> tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)));
            case 3 -> call("OnsConsumerAccumulate", () -> tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest()
                    .setInstanceId(instance).setGroupId(group)));
            case 4 -> call("OnsInstanceBaseInfo", () -> tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)));
            default -> call("OnsMessageGetByKey", () -> tea.onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instance)
                    .setTopic(target.topics().get(0)).setKey("K" + random.nextInt(target.keys()))));
        }
    }

    /** Times one call; a failure is counted by its error code (the SDK's, or the exception's class). */
    private boolean call(String action, Call call) {
        long start = System.nanoTime();
        try {
            call.run();
            record.add(action, System.nanoTime() - start);
            return true;
        } catch (TeaException e) {
            record.failed(action, System.nanoTime() - start, e.getCode());
        } catch (Exception e) {
            record.failed(action, System.nanoTime() - start, e.getClass().getSimpleName());
        }
        return false;
    }

    /** What clients saw: every call's latency by action (failed ones too), and failures by action and code. */
    static final class Record {
        private final Map<String, List<Long>> nanos = new TreeMap<>();
        private final Map<String, Integer> errors = new TreeMap<>();

        void add(String action, long elapsed) {
            nanos.computeIfAbsent(action, a -> new ArrayList<>()).add(elapsed);
        }

        void failed(String action, long elapsed, String code) {
            add(action, elapsed);
            errors.merge(action + ": " + code, 1, Integer::sum);
        }

        void addAll(Record other) {
            other.nanos.forEach((action, list) -> nanos.computeIfAbsent(action, a -> new ArrayList<>()).addAll(list));
            other.errors.forEach((code, count) -> errors.merge(code, count, Integer::sum));
        }

        Map<String, List<Long>> byAction() {
            return nanos;
        }

        List<Long> all() {
            return nanos.values().stream().flatMap(List::stream).toList();
        }

        Map<String, Integer> errors() {
            return errors;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Integer::longValue).sum();
        }
    }
}
