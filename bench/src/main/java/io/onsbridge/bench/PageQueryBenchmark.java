package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * OnsMessagePageQueryByTopic on a topic of 100,000 messages: the first page of the full range against
 * the first page of a one-minute range (the baseline), each a new query through the Tea SDK. The pager
 * finds offsets by time and merges queues lazily, so the range should change neither a page's time nor
 * the bytes allocated to serve it (goals: ratios at most 1.5). Page 50, the deepest ONS allows, asked for
 * by a new query, shows what jumping there by time costs against page 1.
 */
final class PageQueryBenchmark {
    private static final int BULK = 100_000;
    private static final int RECENT = 1_000;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 25;
    /** The deepest page ONS allows (CurrentPage at most 50). */
    private static final int DEEP_PAGE = 50;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final BenchContext context;

    PageQueryBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        var tea = context.tea();
        String instance = tea.onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest().setInstanceName("bench_paging"))
                .getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Paged").setMessageType(0));
        long begin = System.currentTimeMillis() - 1_000;
        System.out.println("page query: sending " + BULK + " messages...");
        send(instance, BULK);
        // The one-minute range must not hold the bulk: let a minute pass, then send the recent messages.
        long bulkDone = System.currentTimeMillis();
        System.out.println("page query: waiting one minute so that the last minute holds only the recent messages...");
        Thread.sleep(Math.max(0, 61_000 - (System.currentTimeMillis() - bulkDone)));
        long recentStart = System.currentTimeMillis();
        send(instance, RECENT);
        long end = System.currentTimeMillis();

        List<Double> full = new ArrayList<>();
        List<Double> minute = new ArrayList<>();
        List<Double> deep = new ArrayList<>();
        List<Double> fullBytes = new ArrayList<>();
        List<Double> minuteBytes = new ArrayList<>();
        List<Double> deepBytes = new ArrayList<>();
        for (int i = 0; i < WARMUP; i++) {
            page(tea, instance, begin, end, 1);
            page(tea, instance, recentStart - 1, end, 1);
            page(tea, instance, begin, end, DEEP_PAGE);
        }
        for (int i = 0; i < ROUNDS; i++) {
            measure(() -> page(tea, instance, end - 60_000, end, 1), minute, minuteBytes);
            measure(() -> page(tea, instance, begin, end, 1), full, fullBytes);
            measure(() -> page(tea, instance, begin, end, DEEP_PAGE), deep, deepBytes);
        }
        ResultRow.Spread fullSpread = ResultRow.Spread.of(full);
        ResultRow.Spread minuteSpread = ResultRow.Spread.of(minute);
        ResultRow latency = new ResultRow("OnsMessagePageQueryByTopic page, full range (101k)", "ms", fullSpread, minuteSpread,
                "<= 1.5x", fullSpread.median() / minuteSpread.median() <= 1.5);
        ResultRow.Spread fullAllocated = ResultRow.Spread.of(fullBytes);
        ResultRow.Spread minuteAllocated = ResultRow.Spread.of(minuteBytes);
        ResultRow allocated = new ResultRow("  allocated per page query, full range", "KiB", fullAllocated, minuteAllocated,
                "<= 1.5x", fullAllocated.median() / minuteAllocated.median() <= 1.5);
        ResultRow deepLatency = ResultRow.info("  page " + DEEP_PAGE + " of the full range, new query (vs page 1)", "ms",
                ResultRow.Spread.of(deep), fullSpread);
        ResultRow deepAllocated = ResultRow.info("  allocated, page " + DEEP_PAGE + " (vs page 1)", "KiB",
                ResultRow.Spread.of(deepBytes), fullAllocated);
        return List.of(latency, allocated, deepLatency, deepAllocated);
    }

    private interface Query {
        void run() throws Exception;
    }

    /**
     * One query's time, and the bytes every thread of this JVM allocated meanwhile: the Tea client, the
     * bridge, its RocketMQ clients and the embedded broker serving them. What a query loads shows here
     * whether or not it is still on the heap afterwards; the client's share is the same for any range.
     */
    private void measure(Query query, List<Double> millis, List<Double> kib) throws Exception {
        long[] threads = THREADS.getAllThreadIds();
        long[] before = THREADS.getThreadAllocatedBytes(threads);
        long start = System.nanoTime();
        query.run();
        long elapsed = System.nanoTime() - start;
        long[] after = THREADS.getThreadAllocatedBytes(threads);
        long bytes = 0;
        for (int i = 0; i < threads.length; i++) {
            if (before[i] >= 0 && after[i] >= 0) { // -1: the thread ended meanwhile
                bytes += after[i] - before[i];
            }
        }
        millis.add(elapsed / 1e6);
        kib.add(bytes / 1024.0);
    }

    private void page(com.aliyun.ons20190214.Client tea, String instance, long begin, long end, int page) throws Exception {
        var found = tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Paged")
                .setBeginTime(begin).setEndTime(end).setCurrentPage(page).setPageSize(20)).getBody().getMsgFoundDo();
        if (found.getMsgFoundList().getOnsRestMessageDo().size() != 20 || found.getCurrentPage() != page) {
            throw new IllegalStateException("page " + page + " of 20 was expected, got " + found.getMsgFoundList().getOnsRestMessageDo().size()
                    + " messages as page " + found.getCurrentPage());
        }
    }

    private void send(String instance, int count) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_bench_paging", null, false, null);
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-" + System.nanoTime());
        producer.start();
        try {
            byte[] body = new byte[200];
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(new Message("Paged", "TagA", "K" + i, body));
                if (batch.size() == 100 || i == count - 1) {
                    producer.send(batch);
                    batch = new ArrayList<>();
                }
            }
        } finally {
            producer.shutdown();
        }
    }
}
