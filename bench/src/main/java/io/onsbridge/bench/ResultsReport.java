package io.onsbridge.bench;

import java.awt.Color;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What a run leaves behind besides the CSV: a chart of every row's ratio against its goal
 * ({@code results.png}, drawn with XChart) and {@code bench/RESULTS.md}, the last run's table with the
 * machine, the date and the load the machine was under.
 */
final class ResultsReport {
    /** The ratio a goal such as {@code "<= 1.2x"} or {@code ">= 0.5x, >= 50k/s"} holds the row to, if any. */
    private static final Pattern RATIO_GOAL = Pattern.compile("[<>]=\\s*([0-9.]+)x");

    private final Instant started = Instant.now();
    private final double loadAtStart = load();

    void write(List<ResultRow> rows, List<String> benchmarks, String setup, Path results) throws IOException {
        Files.createDirectories(results);
        ResultRow.writeCsv(rows, results.resolve("results.csv"));
        Path chart = results.resolve("results.png");
        if (!rows.isEmpty()) {
            chart(rows, chart);
        }
        Path markdown = results.toAbsolutePath().getParent().resolve("RESULTS.md");
        Files.writeString(markdown, markdown(rows, benchmarks, setup));
        System.out.println("\nwritten: " + results.resolve("results.csv") + ", " + chart + ", " + markdown);
    }

    static Double goalRatio(String goal) {
        Matcher m = RATIO_GOAL.matcher(goal);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    /** Bars: each row's ratio (median over baseline median) on a log scale, green if met, grey without goal; dots: the goal. */
    private static void chart(List<ResultRow> rows, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(1000)
                .title("ons-bridge benchmarks: ratio to the baseline of the same run (median)")
                .yAxisTitle("ratio (log scale)").build();
        var styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        styler.setOverlapped(true);
        styler.setXAxisLabelRotation(90);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setXAxisDecimalPattern("0.###");
        styler.setChartBackgroundColor(Color.WHITE);
        List<String> names = new ArrayList<>();
        List<Double> met = new ArrayList<>();
        List<Double> missed = new ArrayList<>();
        List<Double> info = new ArrayList<>();
        List<Double> goals = new ArrayList<>();
        for (ResultRow row : rows) {
            names.add(shortName(row.benchmark()));
            // A log axis cannot show a ratio of zero or less (a slope that fell, a difference below zero): no bar.
            Double ratio = row.ratio() > 0 && Double.isFinite(row.ratio()) ? row.ratio() : null;
            met.add(row.hasGoal() && row.met() ? ratio : null);
            missed.add(row.hasGoal() && !row.met() ? ratio : null);
            info.add(row.hasGoal() ? null : ratio);
            goals.add(goalRatio(row.goal()));
        }
        // A series with no value at all breaks the log axis: add only those that have one.
        if (met.stream().anyMatch(java.util.Objects::nonNull)) {
            chart.addSeries("goal met", names, met).setFillColor(new Color(0x4c, 0xaf, 0x50));
        }
        if (missed.stream().anyMatch(java.util.Objects::nonNull)) {
            chart.addSeries("goal missed", names, missed).setFillColor(new Color(0xe5, 0x39, 0x35));
        }
        if (info.stream().anyMatch(java.util.Objects::nonNull)) {
            chart.addSeries("no goal (where time goes)", names, info).setFillColor(new Color(0x9e, 0x9e, 0x9e));
        }
        if (goals.stream().anyMatch(java.util.Objects::nonNull)) {
            CategorySeries goal = chart.addSeries("goal (ratio)", names, goals);
            goal.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
            goal.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.BLACK);
        }
        // Bars start from the axis minimum, which a log axis needs above zero: a decade below the smallest value.
        double smallest = java.util.stream.Stream.of(met, missed, info, goals).flatMap(List::stream).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).min().orElse(1);
        double largest = java.util.stream.Stream.of(met, missed, info, goals).flatMap(List::stream).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(1);
        styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(largest))));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String shortName(String benchmark) {
        int cut = benchmark.indexOf(" (vs");
        return cut > 0 ? benchmark.substring(0, cut) : benchmark;
    }

    private String markdown(List<ResultRow> rows, List<String> benchmarks, String setup) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by `bin/bench` (last run: `bin/bench").append(benchmarks.isEmpty() ? "" : " " + String.join(" ", benchmarks))
                .append("`); the raw figures are in `bench/results/results.csv` and the chart in `bench/results/results.png` ")
                .append("(not committed). Each figure is the median of several runs with its min/median/max; its baseline was ")
                .append("measured in the same run on the same machine. The machines these run on are shared: the load average ")
                .append("says how quiet it was.\n\n");
        Runtime runtime = Runtime.getRuntime();
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" |\n");
        md.append("| duration | ").append(Duration.between(started, Instant.now()).toSeconds()).append(" s |\n");
        md.append("| machine | ").append(runtime.availableProcessors()).append(" cores, ").append(physicalMemoryGib())
                .append(" GiB memory; bench JVM max heap ").append(runtime.maxMemory() >> 20).append(" MiB |\n");
        md.append("| setup | ").append(setup).append(" |\n");
        md.append("| java | ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append(" |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append(' ')
                .append(System.getProperty("os.arch")).append(" |\n");
        md.append(String.format(Locale.ROOT, "| load average (1 min) | %.1f at start, %.1f at end |%n%n", loadAtStart, load()));
        md.append("| benchmark | unit | measured min / median / max | baseline min / median / max | ratio | goal | met |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (ResultRow r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %s |%n", r.benchmark(), r.unit(), r.measured(),
                    r.baseline(), r.ratio(), r.goal(), r.hasGoal() && !r.met() ? "**no**" : r.verdict()));
        }
        return md.toString();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long physicalMemoryGib() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.round(sun.getTotalMemorySize() / (double) (1L << 30));
        }
        return -1;
    }
}
