package org.agentchannels.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writing a small file whole, as a folder others can write into demands: into a new temporary file with a
 * random name, created exclusively (a file or link planted under a name is never written through) and
 * readable by its owner only, then renamed over the target. A target that is a link is not replaced.
 */
public final class OwnerOnlyFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnerOnlyFiles() {
    }

    public static void replace(Path target, String text) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + " is a link; not replacing it");
        }
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path tmp = folder.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the folder's own permissions apply
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
