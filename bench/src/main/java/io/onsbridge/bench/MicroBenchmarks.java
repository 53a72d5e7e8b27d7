package io.onsbridge.bench;

import io.onsbridge.bench.micro.PolicyMicro;
import io.onsbridge.bench.micro.RenderMicro;
import io.onsbridge.bench.micro.SignatureMicro;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH micro benchmarks (package {@code micro}), each method against its baseline method in the same
 * forked JVM: signature verification against a bare HMAC-SHA1 (V1) or HMAC-SHA256 (V3) and V3 against
 * V1, JSON rendering against plain Jackson, access-policy evaluation against an ungoverned key. They say
 * where the time of one request goes; only the policy row has a goal (under 5 µs with 1,000 statements,
 * whatever the baseline). Short runs (one fork, three
 * one-second iterations after two of warm-up) keep the whole {@code bin/bench} within its budget.
 */
final class MicroBenchmarks {
    private static final int ITERATIONS = 3;

    List<ResultRow> run() throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(pair(SignatureMicro.class, "verify", "bareHmac", "signature verification, Tea request (vs bare HMAC-SHA1)"));
        rows.add(pair(SignatureMicro.class, "verifyV3", "verify", "signature V3 verification, form body (vs V1 verification)"));
        rows.add(pair(SignatureMicro.class, "verifyV3", "bareHmacSha256", "signature V3 verification, form body (vs bare HMAC-SHA256)"));
        rows.add(pair(RenderMicro.class, "render", "plainJackson", "JSON rendering, OnsTopicList of 100 (vs plain Jackson)", Map.of("topics", "100")));
        ResultRow policy = pair(PolicyMicro.class, "governed", "ungoverned",
                "access policy, " + PolicyMicro.STATEMENTS + " statements (vs ungoverned key)");
        rows.add(new ResultRow(policy.benchmark(), policy.unit(), policy.measured(), policy.baseline(), "< 5 us/op",
                policy.measured().median() < 5));
        return rows;
    }

    private static ResultRow pair(Class<?> benchmark, String measured, String baseline, String name) throws Exception {
        return pair(benchmark, measured, baseline, name, Map.of());
    }

    /** @param params the benchmark's {@code @Param} fields, one value each */
    private static ResultRow pair(Class<?> benchmark, String measured, String baseline, String name, Map<String, String> params) throws Exception {
        System.out.println("micro: " + benchmark.getSimpleName() + " (JMH, one fork)...");
        OptionsBuilder options = new OptionsBuilder();
        params.forEach((param, value) -> options.param(param, value));
        Collection<RunResult> results = new Runner(options
                .include(benchmark.getName() + "\\.(" + measured + "|" + baseline + ")$")
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(ITERATIONS).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xmx256m")
                .verbosity(VerboseMode.SILENT)
                .build()).run();
        ResultRow.Spread m = spread(results, measured);
        ResultRow.Spread b = spread(results, baseline);
        System.out.printf("micro: %s %.2f us/op, %s %.2f us/op%n", measured, m.median(), baseline, b.median());
        return ResultRow.info(name, "us/op", m, b);
    }

    /** Min, median and max of the method's measurement iterations. */
    private static ResultRow.Spread spread(Collection<RunResult> results, String method) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("." + method)) {
                List<Double> scores = new ArrayList<>();
                result.getBenchmarkResults().forEach(b -> b.getIterationResults().forEach(i -> scores.add(i.getPrimaryResult().getScore())));
                return ResultRow.Spread.of(scores);
            }
        }
        throw new IllegalStateException("JMH gave no result for " + method);
    }
}
