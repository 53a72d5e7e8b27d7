package io.onsbridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the results table: a figure, its baseline from the same run, the spread over repeated
 * runs, and the goal the ratio is held against.
 */
record ResultRow(String benchmark, String unit, Spread measured, Spread baseline, String goal, boolean met) {

    record Spread(double min, double median, double max) {
        static Spread of(List<Double> samples) {
            List<Double> sorted = new ArrayList<>(samples);
            sorted.sort(Double::compare);
            return new Spread(sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        }

        @Override
        public String toString() {
            return String.format("%.2f / %.2f / %.2f", min, median, max);
        }
    }

    private static final String NO_GOAL = "(none)";

    /** A row that only informs: where time goes, with no goal to meet. */
    static ResultRow info(String benchmark, String unit, Spread measured, Spread baseline) {
        return new ResultRow(benchmark, unit, measured, baseline, NO_GOAL, true);
    }

    boolean hasGoal() {
        return !NO_GOAL.equals(goal);
    }

    /** yes, NO, or - for a row without goal. */
    String verdict() {
        return !hasGoal() ? "-" : met ? "yes" : "NO";
    }

    double ratio() {
        return measured.median() / baseline.median();
    }

    static void print(List<ResultRow> rows, PrintStream out) {
        out.println();
        out.printf("%-52s %-6s %-30s %-30s %-8s %-12s %s%n", "benchmark", "unit", "measured min/median/max", "baseline min/median/max",
                "ratio", "goal", "met");
        for (ResultRow row : rows) {
            out.printf("%-52s %-6s %-30s %-30s %-8.2f %-12s %s%n", row.benchmark(), row.unit(), row.measured(), row.baseline(),
                    row.ratio(), row.goal(), row.verdict());
        }
    }

    static void writeCsv(List<ResultRow> rows, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("benchmark,unit,measured_min,measured_median,measured_max,baseline_min,baseline_median,baseline_max,ratio,goal,met");
        for (ResultRow r : rows) {
            lines.add(String.join(",", "\"" + r.benchmark() + "\"", r.unit(),
                    fmt(r.measured().min()), fmt(r.measured().median()), fmt(r.measured().max()),
                    fmt(r.baseline().min()), fmt(r.baseline().median()), fmt(r.baseline().max()),
                    fmt(r.ratio()), "\"" + r.goal() + "\"", Boolean.toString(r.met())));
        }
        Files.write(file, lines);
    }

    private static String fmt(double value) {
        return String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
