package io.onsbridge.domain.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one TaskId paging of ONS (topic page queries, dead-letter page queries): every message a topic
 * stored between two times, across all queues and brokers, in store-time order, page by page.
 *
 * <p>Nothing is loaded up front. A page is produced by merging the queues from per-queue offsets found
 * by time, reading a few messages per queue at a time, so memory follows the page, not the range. The
 * TaskId carries the query itself (topic, range, page size, expiry), so any bridge on the cluster can
 * serve any page; the only state is a bounded, expiring cache of where each page starts, which makes
 * the usual page-after-page reading cost one page each instead of a merge from the range's start.
 */
public final class TimeRangePager {
    public static final Duration TASK_LIFETIME = Duration.ofHours(1);
    /** message.md and dlq.md: CurrentPage is at most 50. */
    public static final int MAX_PAGE = 50;
    private static final int READ_BATCH = 8;
    /** Every page a task can ask for, and the one after the last. */
    private static final int MAX_PAGE_STARTS = MAX_PAGE + 1;
    /** Time probes of a jump to a deep page; each costs one offset search per queue. */
    private static final int MAX_JUMP_PROBES = 12;
    private static final Comparator<StoredMessage> STORE_ORDER = Comparator.comparingLong(StoredMessage::storeTimestamp)
            .thenComparing(StoredMessage::broker, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(StoredMessage::queueId)
            .thenComparingLong(StoredMessage::queueOffset);

    private final Cluster cluster;
    private final Clock clock;
    /** TaskId to (page number to the per-queue offsets where that page starts). */
    private final Cache<String, ConcurrentMap<Integer, long[]>> pageStarts;

    public TimeRangePager(Cluster cluster, Clock clock, long maxTasks) {
        this.cluster = cluster;
        this.clock = clock;
        // Expiry on the given clock, eviction in the calling thread: both exact and testable.
        this.pageStarts = Caffeine.newBuilder().maximumSize(maxTasks).expireAfterAccess(TASK_LIFETIME)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    /** One page; {@code messages} is empty when the range holds none. */
    public record Page(String taskId, int currentPage, long maxPageCount, List<StoredMessage> messages) {
        /** {@code MsgFoundDo} as both page queries answer it. */
        public WireObject wire(Function<StoredMessage, WireObject> message) {
            return WireObject.of().with("MsgFoundDo", WireObject.of()
                    .with("TaskId", taskId)
                    .with("CurrentPage", currentPage)
                    .with("MaxPageCount", maxPageCount)
                    .with("MsgFoundList", WireList.wrapped("OnsRestMessageDo", messages.stream().map(message).toList())));
        }
    }

    /**
     * The request side of TaskId paging (message.md, dlq.md): without TaskId a new query from BeginTime,
     * EndTime and PageSize (5 to 50, default 20); with it a later page of that query. CurrentPage is 1 to 50.
     */
    public Page page(Params request, String brokerTopic) {
        int currentPage = request.requiredInt("CurrentPage", 1, MAX_PAGE);
        String taskId = request.optional("TaskId");
        if (taskId != null) {
            return next(taskId, brokerTopic, currentPage);
        }
        long begin = request.requiredLong("BeginTime", 0, Long.MAX_VALUE);
        long end = request.requiredLong("EndTime", 0, Long.MAX_VALUE);
        if (end < begin) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "must not be before BeginTime.");
        }
        Integer pageSize = request.optionalInt("PageSize", 5, 50);
        return start(brokerTopic, begin, end, pageSize == null ? 20 : pageSize, currentPage);
    }

    /** A query as the TaskId carries it. */
    record Task(String brokerTopic, long begin, long end, int pageSize, long expiresAt) {
        String encode() {
            String text = String.join("|", "v1", brokerTopic, Long.toString(begin), Long.toString(end),
                    Integer.toString(pageSize), Long.toString(expiresAt));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Task decode(String taskId) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(taskId), StandardCharsets.UTF_8).split("\\|");
                if (parts.length != 6 || !parts[0].equals("v1")) {
                    throw new IllegalArgumentException("not a task");
                }
                return new Task(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]), Integer.parseInt(parts[4]),
                        Long.parseLong(parts[5]));
            } catch (IllegalArgumentException e) {
                throw OnsErrors.fieldCheckInvalid("TaskId", "not a TaskId this service issued; start a new query without TaskId.");
            }
        }
    }

    /** A new query: its first page or the requested one. The end is capped at now, which fixes the range. */
    public Page start(String brokerTopic, long begin, long end, int pageSize, int page) {
        Task task = newTask(brokerTopic, begin, end, pageSize);
        return page(task, task.encode(), page);
    }

    Task newTask(String brokerTopic, long begin, long end, int pageSize) {
        long now = clock.millis();
        return new Task(brokerTopic, begin, Math.min(end, now), pageSize, now + TASK_LIFETIME.toMillis());
    }

    /** A later page of a query; the TaskId must belong to the same topic. */
    public Page next(String taskId, String brokerTopic, int page) {
        Task task = Task.decode(taskId);
        if (!task.brokerTopic().equals(brokerTopic)) {
            throw OnsErrors.fieldCheckInvalid("TaskId", "this TaskId is a query of " + queried(task.brokerTopic()) + ", not of "
                    + queried(brokerTopic) + "; start a new query without TaskId.");
        }
        if (task.expiresAt() < clock.millis()) {
            throw OnsErrors.fieldCheckInvalid("TaskId", "the query task has expired; start a new query without TaskId.");
        }
        return page(task, taskId, page);
    }

    /** What a query reads, as its caller named it: a topic, or a group's dead letters. */
    private static String queried(String brokerTopic) {
        return brokerTopic.startsWith(ResourceNames.DLQ_PREFIX)
                ? "the dead letters of group " + InstanceRecord.userName(brokerTopic.substring(ResourceNames.DLQ_PREFIX.length()))
                : "topic " + InstanceRecord.userName(brokerTopic);
    }

    /** Where the task's pages start, as far as known; held for a bounded number of tasks. */
    ConcurrentMap<Integer, long[]> startsOf(String taskId) {
        return pageStarts.get(taskId, id -> new ConcurrentHashMap<>());
    }

    /** Tasks whose page starts are held now (after due evictions). */
    long tasksHeld() {
        pageStarts.cleanUp();
        return pageStarts.estimatedSize();
    }

    private Page page(Task task, String taskId, int page) {
        List<Queue> queues = cluster.offsets().queueStats(task.brokerTopic()).stream().map(ClusterOffsets.QueueStats::queue).toList();
        long[] first = new long[queues.size()];
        long[] stop = new long[queues.size()];
        long total = 0;
        for (int q = 0; q < queues.size(); q++) {
            first[q] = cluster.offsets().offsetAt(queues.get(q), task.begin());
            stop[q] = Math.max(first[q], cluster.offsets().offsetAt(queues.get(q), task.end() + 1));
            total += stop[q] - first[q];
        }
        long maxPages = (total + task.pageSize() - 1) / task.pageSize();
        if (page > Math.max(1, maxPages)) {
            throw OnsErrors.fieldCheckInvalid("CurrentPage", "the query has " + maxPages + " page(s); asked for page " + page + ".");
        }
        if (total == 0) {
            return new Page(taskId, page, 0, List.of());
        }
        ConcurrentMap<Integer, long[]> starts = startsOf(taskId);
        starts.putIfAbsent(1, first);
        int from = starts.keySet().stream().filter(p -> p <= page).max(Integer::compare).orElse(1);
        long[] cursor = starts.get(from).clone();
        long skip = (long) (page - from) * task.pageSize();
        if (skip > task.pageSize()) {
            // Far from any known page start: jump by time to just before the page instead of reading up to it.
            long target = (long) (page - 1) * task.pageSize();
            Probe jump = jump(target, task.pageSize(), new Probe(task.begin(), first, 0), new Probe(task.end() + 1, stop, total),
                    (time, low, high) -> probe(queues, time, low, high));
            if (jump.before() > target - skip) {
                cursor = jump.cursor().clone();
                skip = target - jump.before();
            }
        }
        Merge merge = new Merge(queues, cursor, stop);
        merge.skip(skip);
        List<StoredMessage> found = merge.take(task.pageSize());
        if (starts.size() < MAX_PAGE_STARTS) {
            starts.putIfAbsent(page + 1, merge.cursors());
        }
        return new Page(taskId, page, maxPages, found);
    }

    /** Per queue, the offset of the first message stored at or after a time; {@code before} counts the range's messages ahead of it. */
    record Probe(long time, long[] cursor, long before) {
    }

    /** Only queues with messages between the bounds are searched: elsewhere the offset at the time is known. */
    private Probe probe(List<Queue> queues, long time, Probe low, Probe high) {
        long[] cursor = new long[queues.size()];
        long before = low.before();
        for (int q = 0; q < queues.size(); q++) {
            long from = low.cursor()[q];
            long to = high.cursor()[q];
            cursor[q] = from == to ? from : Math.max(from, Math.min(to, cluster.offsets().offsetAt(queues.get(q), time)));
            before += cursor[q] - from;
        }
        return new Probe(time, cursor, before);
    }

    /** A probe at a time between two others. */
    interface Prober {
        Probe at(long time, Probe low, Probe high);
    }

    /**
     * The latest probe with at most {@code target} messages before it, found by interpolating and halving
     * between {@code low} (at most target before it) and {@code high} (more than target). Every message
     * stored before a time precedes every message stored at or after it in store order, so the merge can
     * start there and skip only the rest, usually less than a page. It stops within {@code tolerance},
     * when no millisecond is left between the bounds (messages stored in the same one), or after
     * {@link #MAX_JUMP_PROBES} probes.
     */
    static Probe jump(long target, long tolerance, Probe low, Probe high, Prober probe) {
        for (int i = 0; i < MAX_JUMP_PROBES && target - low.before() >= tolerance && high.time() - low.time() > 1; i++) {
            long span = high.time() - low.time();
            long time = i % 2 == 0 && high.before() > low.before()
                    ? low.time() + (long) ((double) span * (target - low.before()) / (high.before() - low.before()))
                    : low.time() + span / 2;
            Probe at = probe.at(Math.max(low.time() + 1, Math.min(high.time() - 1, time)), low, high);
            if (at.before() <= target) {
                low = at;
            } else {
                high = at;
            }
        }
        return low;
    }

    /** A k-way merge of the queues by store time, holding at most READ_BATCH messages per queue. */
    private final class Merge {
        private final List<Queue> queues;
        private final long[] cursor;
        private final long[] stop;
        private final List<List<StoredMessage>> buffered = new ArrayList<>();

        Merge(List<Queue> queues, long[] cursor, long[] stop) {
            this.queues = queues;
            this.cursor = cursor;
            this.stop = stop;
            queues.forEach(q -> buffered.add(new ArrayList<>()));
        }

        void skip(long count) {
            for (long i = 0; i < count && next() != null; i++) {
                // each step advances one queue's cursor
            }
        }

        List<StoredMessage> take(int count) {
            List<StoredMessage> page = new ArrayList<>(count);
            StoredMessage message;
            while (page.size() < count && (message = next()) != null) {
                page.add(message);
            }
            return page;
        }

        long[] cursors() {
            return Arrays.copyOf(cursor, cursor.length);
        }

        private StoredMessage next() {
            int best = -1;
            for (int q = 0; q < queues.size(); q++) {
                StoredMessage head = head(q);
                if (head != null && (best < 0 || STORE_ORDER.compare(head, head(best)) < 0)) {
                    best = q;
                }
            }
            if (best < 0) {
                return null;
            }
            StoredMessage chosen = buffered.get(best).remove(0);
            cursor[best] = chosen.queueOffset() + 1;
            return chosen;
        }

        private StoredMessage head(int q) {
            List<StoredMessage> buffer = buffered.get(q);
            while (buffer.isEmpty() && cursor[q] < stop[q]) {
                List<StoredMessage> read = cluster.messages().read(queues.get(q), cursor[q], (int) Math.min(READ_BATCH, stop[q] - cursor[q]));
                if (read.isEmpty()) {
                    cursor[q] = stop[q]; // gone (retention) or never written: nothing more in this queue
                    break;
                }
                read.stream().filter(m -> m.queueOffset() >= cursor[q] && m.queueOffset() < stop[q]).forEach(buffer::add);
                if (buffer.isEmpty()) {
                    cursor[q] = read.get(read.size() - 1).queueOffset() + 1;
                }
            }
            return buffer.isEmpty() ? null : buffer.get(0);
        }
    }
}
