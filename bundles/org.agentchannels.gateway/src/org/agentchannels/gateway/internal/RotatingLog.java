package org.agentchannels.gateway.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A log file bounded by size: appended to until the next write would take it past its limit, then renamed to
 * {@code <name>.1} (the older ones to {@code .2} and so on, the oldest dropped) and started afresh. What a
 * gateway running in the background writes goes here, so that no amount of logged noise fills its disk.
 * Files are readable by their owner only; a link planted at the name is not written through.
 */
public final class RotatingLog extends OutputStream {

    /** The size at which a gateway's log is rotated. */
    public static final long DEFAULT_LIMIT = 4L * 1024 * 1024;
    /** How many files a gateway's log keeps: the current one and two older ones. */
    public static final int DEFAULT_GENERATIONS = 3;

    private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final Path file;
    private final long limit;
    private final int generations;
    private FileChannel channel;
    private long size;
    private boolean closed;

    /**
     * @param generations how many files are kept, the current one included (at least 1)
     * @throws IOException when the file cannot be opened, or is a link
     */
    public RotatingLog(Path file, long limit, int generations) throws IOException {
        if (limit <= 0 || generations < 1) {
            throw new IllegalArgumentException("a log needs a positive limit and at least one generation");
        }
        this.file = file;
        this.limit = limit;
        this.generations = generations;
        open();
    }

    private void open() throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try {
            channel = FileChannel.open(file, Set.<OpenOption>of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(file, OWNER_ONLY); // one an older version left readable by others
        } catch (UnsupportedOperationException e) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        }
        size = channel.size();
    }

    /** {@code <file>.<n>}: the n-th older generation. */
    public static Path generation(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the log " + file + " is closed");
        }
        if (channel == null) {
            open(); // an earlier rotation could not open the file again: try once more for each line
        }
        if (size > 0 && size + length > limit) {
            rotate();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
    }

    /**
     * Moves the generations along and starts a new file. When a move fails (an older generation that is not a
     * file, a full or read-only directory) the current file is emptied and kept instead, with a line saying
     * why: older lines are lost, but later ones still land and the log stays bounded. Called with this
     * object's lock held.
     */
    private void rotate() throws IOException {
        channel.close();
        channel = null;
        IOException failed = null;
        try {
            if (generations == 1) {
                Files.delete(file);
            } else {
                Files.deleteIfExists(generation(file, generations - 1));
                for (int n = generations - 2; n >= 1; n--) {
                    Path older = generation(file, n);
                    if (Files.exists(older, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(older, generation(file, n + 1), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(file, generation(file, 1), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            failed = e;
        }
        open();
        if (failed != null) {
            channel.truncate(0);
            size = 0;
            byte[] note = ("the log could not be rotated (" + failed.getClass().getSimpleName() + ": "
                    + failed.getMessage() + "); its earlier lines were dropped\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(note, 0, (int) Math.min(note.length, limit / 2));
            while (buffer.hasRemaining()) {
                size += channel.write(buffer);
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        // every write reaches the file at once: nothing is buffered here
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
