package io.onsbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the bench starts beside its own (the bridge's, the cluster's): the bench's classpath, the bench JVM's loopback
 * and TLS settings, a temporary directory under its data directory, more options from an environment variable of its
 * own, everything it prints in one file. Stopped as Ctrl-C stops it, so that its shutdown hooks run.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final ThreadCpu cpu;
    private final ThreadCpu compilers;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
        this.cpu = new ThreadCpu(process.pid(), name -> true);
        this.compilers = new ThreadCpu(process.pid(), ProcessSampler::compiler);
    }

    /**
     * Starts {@code mainClass} under {@code dataDir} with {@code options}, then the options of the environment variable
     * {@code extraOptions} (a profiler, a flag to compare), then {@code arguments}; its output goes to {@code dataDir/name.out}.
     */
    static ChildJvm start(Path dataDir, String name, List<String> options, String extraOptions, String mainClass, List<String> arguments)
            throws IOException {
        Files.createDirectories(dataDir.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-Djava.net.preferIPv4Stack=true", "-Dtls.server.mode=disabled",
                "-Djava.io.tmpdir=" + dataDir.resolve("tmp"), "-cp", System.getProperty("java.class.path")));
        String extra = System.getenv().getOrDefault(extraOptions, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add(mainClass);
        command.addAll(arguments);
        Path output = dataDir.resolve(name + ".out");
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start(), output);
    }

    /** Throws, naming the output file, if the JVM has exited. */
    void requireAlive(String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException(what + " exited with " + process.exitValue() + "; see " + output);
        }
    }

    Path output() {
        return output;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time its threads have spent, in ns ({@link ThreadCpu}: never less than at the reading before). */
    long cpuNanos() throws IOException {
        return cpu.nanos();
    }

    /** CPU time its JIT compiler threads have spent, in ns. */
    long compilerCpuNanos() throws IOException {
        return compilers.nanos();
    }

    /** Stops it as Ctrl-C does (SIGTERM) and returns the time to its exit, in ms; -1 if it did not exit in {@code seconds}. */
    double stopMillis(int seconds) throws InterruptedException {
        long begin = System.nanoTime();
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS) ? (System.nanoTime() - begin) / 1e6 : -1;
    }

    /**
     * Stops it as Ctrl-C does, so that what its JVM writes at exit is written (a JFR recording started with
     * {@code dumponexit=true}); killed if it has not exited in 20 s.
     */
    @Override
    public void close() {
        try {
            if (stopMillis(20) < 0) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
