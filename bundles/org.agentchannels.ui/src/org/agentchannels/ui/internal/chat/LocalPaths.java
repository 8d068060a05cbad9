package org.agentchannels.ui.internal.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a path a link names is a regular file on this machine, as its real path (links followed). A path
 * relative to a directory (the session's, a project's) must stay inside it once its links are followed: an
 * agent's {@code ../../etc/passwd} or a symbolic link out of the tree opens nothing. Plain file I/O, off the UI
 * thread only (a disk or a network mount may be slow to answer).
 */
final class LocalPaths {

    private LocalPaths() {
    }

    /** {@code path} as a {@link Path}, {@code ~/} meaning the home directory; empty when it is no path here. */
    static Optional<Path> of(String path) {
        try {
            if (path.equals("~") || path.startsWith("~/")) {
                return Optional.of(Path.of(System.getProperty("user.home"), path.substring(1).replaceFirst("^/", "")));
            }
            return Optional.of(Path.of(path));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The real path of {@code absolute} when it is a regular file. */
    static Optional<Path> regularFile(Path absolute) {
        if (!absolute.isAbsolute()) {
            return Optional.empty();
        }
        try {
            Path real = absolute.toRealPath();
            return Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The real path of {@code relative} in {@code directory}, when it is a regular file there (links followed, inside it). */
    static Optional<Path> inside(Path directory, Path relative) {
        if (relative.isAbsolute() || !directory.isAbsolute()) {
            return Optional.empty();
        }
        try {
            Path base = directory.toRealPath();
            Path candidate = base.resolve(relative).normalize();
            if (!candidate.startsWith(base)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            return real.startsWith(base) && Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
        } catch (IOException | SecurityException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code path} names a directory here. */
    static boolean isDirectory(String path) {
        try {
            return !path.isEmpty() && Path.of(path).isAbsolute() && Files.isDirectory(Path.of(path));
        } catch (InvalidPathException | SecurityException e) {
            return false;
        }
    }
}
