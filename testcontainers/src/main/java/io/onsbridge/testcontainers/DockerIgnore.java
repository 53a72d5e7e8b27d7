package io.onsbridge.testcontainers;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of a {@code .dockerignore}, so that a build context made here holds what
 * {@code docker build} would send. Enough of the format for this repository's file: comments, one
 * pattern per line, {@code *} and {@code **}; a directory that matches excludes everything under it.
 * Exceptions ({@code !pattern}) are refused rather than half supported.
 */
final class DockerIgnore {
    private final List<PathMatcher> matchers;

    private DockerIgnore(List<PathMatcher> matchers) {
        this.matchers = matchers;
    }

    static DockerIgnore read(Path file) throws IOException {
        return parse(Files.exists(file) ? Files.readAllLines(file) : List.of());
    }

    static DockerIgnore parse(List<String> lines) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String line : lines) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            if (pattern.startsWith("!")) {
                throw new IllegalArgumentException(".dockerignore exceptions are not supported: " + pattern);
            }
            pattern = stripSlashes(pattern);
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            // Docker's "**/" also matches no directory at all: "**/target" excludes a top-level "target".
            if (pattern.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
        }
        return new DockerIgnore(matchers);
    }

    /** Whether {@code relative} (a path inside the context) or any directory above it is excluded. */
    boolean excludes(Path relative) {
        for (Path p = relative; p != null; p = p.getParent()) {
            for (PathMatcher matcher : matchers) {
                if (matcher.matches(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String stripSlashes(String pattern) {
        String p = pattern;
        while (p.startsWith("/") || p.startsWith("./")) {
            p = p.substring(p.startsWith("/") ? 1 : 2);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
