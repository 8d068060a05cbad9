package org.agentchannels.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Set;

/**
 * Files and folders only their owner may read, whatever the umask: a small file written whole, as a folder
 * others can write into demands (into a new temporary file with a random name, created exclusively so a file
 * or link planted under a name is never written through, then renamed over the target; a target that is a
 * link is not replaced); folders created {@code rwx------}; a file another program fills (a database) created
 * empty {@code rw-------} first; and the check that refuses a secret others could read.
 */
public final class OwnerOnlyFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    public static void replace(Path target, String text) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        createDirectories(folder);
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + " is a link; not replacing it");
        }
        writeThenMove(folder, target, text.getBytes(StandardCharsets.UTF_8), OWNER_FILE, false);
    }

    /**
     * Replaces a person's file whole with {@code content}, as {@link #replace} does (a new temporary file beside
     * it, created exclusively, then renamed over it, so a reader sees the old file or the new one, never half of
     * one): a file that exists keeps its permissions (it is theirs, as they set them), a new one is
     * {@code rw-------}. Its folder must exist (none is created) and it must not be a link: the caller resolves
     * links first, so that what is replaced is the file it checked.
     */
    public static void replaceKeepingPermissions(Path target, byte[] content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + " is a link; not replacing it");
        }
        Set<PosixFilePermission> permissions = OWNER_FILE;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                permissions = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException e) {
                // not POSIX: the folder's own permissions apply
            }
        }
        writeThenMove(folder, target, content, permissions, true);
    }

    /**
     * {@code content} into a new file in {@code folder} made {@code permissions}, then renamed over {@code target}.
     *
     * @param durable forced to disk before the rename, so that a crash leaves the old file or the new one (a
     *        person's file); records written again every few seconds (presence) need not wait for the disk
     */
    private static void writeThenMove(Path folder, Path target, byte[] content, Set<PosixFilePermission> permissions,
            boolean durable) throws IOException {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path tmp = folder.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        try {
            try (FileChannel out = createOwnerOnly(tmp)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                if (durable) {
                    out.force(true);
                }
            }
            restrict(tmp, permissions);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code folder} and whichever of its parents are missing, each {@code rwx------}. Folders that
     * exist already are left as they are: they may be the person's own (a home, a synced folder).
     */
    public static Path createDirectories(Path folder) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
                restrict(p, OWNER_FOLDER); // after creation: the umask narrows what a create asks for
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                // made meanwhile by someone else: theirs to keep as it is
            }
        }
        return folder;
    }

    /**
     * Makes {@code file} an owner-only regular file before another program writes it (SQLite creates its
     * {@code -wal} and {@code -shm} files with its database's mode): created empty and exclusively when absent,
     * narrowed to {@code rw-------} when present. A link there is refused, not followed.
     */
    public static void prepare(Path file) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a link; not using it");
        }
        try {
            Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)).close();
        } catch (FileAlreadyExistsException e) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(file + " is not a regular file", e);
            }
        }
        restrict(file, OWNER_FILE);
    }

    /** Narrows an existing file to {@code rw-------}; nothing when it does not exist. */
    public static void restrictIfPresent(Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            restrict(file, OWNER_FILE);
        }
    }

    /**
     * Refuses a secret that other users could read or change: a file with any group or other permission. Not
     * POSIX (Windows): nothing to check here, the folder's access list applies.
     *
     * @param what what the file is, for the message ("the token file")
     * @throws NotOwnerOnly naming the file and the {@code chmod} that fixes it
     * @throws IOException when its permissions cannot be read (it is missing, say)
     */
    public static void requireOwnerOnly(Path file, String what) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (permissions.stream().anyMatch(OTHERS::contains)) {
            throw new NotOwnerOnly(what + " " + file + " can be read or changed by other users ("
                    + PosixFilePermissions.toString(permissions) + "); make it yours alone: chmod 600 " + file);
        }
    }

    /** A secret's file that others could read or change. */
    public static final class NotOwnerOnly extends IOException {
        private static final long serialVersionUID = 1L;

        NotOwnerOnly(String message) {
            super(message);
        }
    }

    /** A new file, exclusively, {@code rw-------} from its creation (nobody else can open it while it is written). */
    private static FileChannel createOwnerOnly(Path file) throws IOException {
        Set<OpenOption> noLink = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, noLink, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, noLink); // not POSIX: the folder's own permissions apply
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's own permissions apply
        }
    }
}
