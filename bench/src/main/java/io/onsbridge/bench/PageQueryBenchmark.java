package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * OnsMessagePageQueryByTopic on a topic of 100,000 messages: the first page of the full range against
 * the first page of a one-minute range (the baseline), each a new query through the Tea SDK. The pager
 * finds offsets by time and merges queues lazily, so the range should not change a page's cost (goal:
 * ratio at most 1.5) and the heap should not grow with it.
 */
final class PageQueryBenchmark {
    private static final int BULK = 100_000;
    private static final int RECENT = 1_000;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 25;

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

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Double> full = new ArrayList<>();
        List<Double> minute = new ArrayList<>();
        for (int i = 0; i < WARMUP; i++) {
            firstPage(tea, instance, begin, end);
            firstPage(tea, instance, recentStart - 1, end);
        }
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        for (int i = 0; i < ROUNDS; i++) {
            minute.add(firstPage(tea, instance, end - 60_000, end));
            full.add(firstPage(tea, instance, begin, end));
        }
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        ResultRow.Spread fullSpread = ResultRow.Spread.of(full);
        ResultRow.Spread minuteSpread = ResultRow.Spread.of(minute);
        ResultRow latency = new ResultRow("OnsMessagePageQueryByTopic page, full range (101k)", "ms", fullSpread, minuteSpread,
                "<= 1.5x", fullSpread.median() / minuteSpread.median() <= 1.5);
        System.out.printf("page query: heap after %d full-range queries, after GC: %+d KiB (before %d KiB)%n",
                ROUNDS, (heapAfter - heapBefore) / 1024, heapBefore / 1024);
        return List.of(latency);
    }

    private double firstPage(com.aliyun.ons20190214.Client tea, String instance, long begin, long end) throws Exception {
        long start = System.nanoTime();
        var page = tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Paged")
                .setBeginTime(begin).setEndTime(end).setCurrentPage(1).setPageSize(20)).getBody().getMsgFoundDo();
        double millis = (System.nanoTime() - start) / 1e6;
        if (page.getMsgFoundList().getOnsRestMessageDo().size() != 20) {
            throw new IllegalStateException("a page of 20 was expected, got " + page.getMsgFoundList().getOnsRestMessageDo().size());
        }
        return millis;
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
