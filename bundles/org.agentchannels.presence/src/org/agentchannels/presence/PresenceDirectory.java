package org.agentchannels.presence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.presence.PresenceRecord;


/**
 * A folder of presence records as Hermes gateways write them ({@code <instance_id>.<session_id>.json},
 * written to a {@code .tmp} file and renamed). Folders synced between devices hold half-synced,
 * truncated and foreign files, so every file that cannot be read is skipped and named in
 * {@link Scan#problems()}; one bad file never hides the others.
 */
public final class PresenceDirectory {

    /** A presence record is a few hundred bytes; anything this large is not one and is not read. */
    public static final long MAX_RECORD_BYTES = 256 * 1024;

    private final Path folder;

    public PresenceDirectory(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** A file that was skipped, and why. */
    public record Problem(Path file, String reason) {
    }

    /** What one pass over the folder found. */
    public record Scan(List<PresenceRecord> records, List<Problem> problems) {
        public Scan {
            records = List.copyOf(records);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Reads every {@code *.json} file of the folder once. A folder that does not exist (yet) gives an empty
     * scan: on a single device nobody has created it.
     *
     * @throws IOException only when the folder itself exists but cannot be listed
     */
    public Scan scan() throws IOException {
        List<PresenceRecord> records = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return new Scan(records, problems);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                read(file, records, problems);
            }
        }
        return new Scan(records, problems);
    }

    private static void read(Path file, List<PresenceRecord> records, List<Problem> problems) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return;
            }
            if (attributes.size() > MAX_RECORD_BYTES) {
                problems.add(new Problem(file, "larger than " + MAX_RECORD_BYTES + " bytes"));
                return;
            }
            Optional<PresenceRecord> record = parse(file);
            if (record.isPresent()) {
                records.add(record.get());
            } else {
                problems.add(new Problem(file, "not a JSON object"));
            }
        } catch (NoSuchFileException e) {
            // removed between listing and reading: the session ended, nothing to report
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new Problem(file, describe(e)));
        }
    }

    private static Optional<PresenceRecord> parse(Path file) throws IOException {
        return PresenceRecord.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // Gson appends a troubleshooting URL to its messages; the first line is the useful part
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
