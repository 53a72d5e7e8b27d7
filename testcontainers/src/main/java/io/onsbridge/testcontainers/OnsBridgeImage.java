package io.onsbridge.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The bridge image built from a checkout of this repository with {@code docker/Dockerfile}, as
 * {@code docker build -f docker/Dockerfile .} would: the context is the repository root minus what
 * {@code .dockerignore} excludes (build output, local data, version control).
 */
public final class OnsBridgeImage {
    static final String DOCKERFILE = "docker/Dockerfile";

    private OnsBridgeImage() {
    }

    /** Built on first use, removed when the test JVM ends. */
    public static ImageFromDockerfile fromSources(Path repositoryRoot) {
        Path root = repositoryRoot.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve(DOCKERFILE))) {
            throw new IllegalArgumentException(root + " is not an ons-bridge checkout: no " + DOCKERFILE);
        }
        ImageFromDockerfile image = new ImageFromDockerfile();
        contextFiles(root).forEach(relative -> image.withFileFromPath(relative.toString(), root.resolve(relative)));
        // The engine looks for ./Dockerfile in the context; the repository has none at its root.
        return image.withFileFromPath("Dockerfile", root.resolve(DOCKERFILE));
    }

    /** The files (relative to the root) a build of the root sends, in a stable order. */
    static List<Path> contextFiles(Path root) {
        try {
            DockerIgnore ignore = DockerIgnore.read(root.resolve(".dockerignore"));
            List<Path> files = new ArrayList<>();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    // Not even entered: target/ and data/ can be large.
                    return !dir.equals(root) && ignore.excludes(root.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path relative = root.relativize(file);
                    if (attrs.isRegularFile() && !ignore.excludes(relative)) {
                        files.add(relative);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            files.sort(null);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
