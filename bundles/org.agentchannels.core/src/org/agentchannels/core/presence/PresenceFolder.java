package org.agentchannels.core.presence;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.OwnerOnlyFiles;

/**
 * A folder of presence records as Hermes gateways keep it, the one place that knows its format: one record per
 * live session named {@code <instance_id>.<session_id>.json}, written whole to a temporary file and renamed so
 * readers never see half a record. Folders synced between devices hold half-synced, truncated and foreign
 * files, so a scan skips every file it cannot read and names it in {@link Scan#problems()}; one bad file never
 * hides the others. A record lives {@link PresenceRecord#DEFAULT_TTL_SECONDS} after its last write; what a
 * record claims beyond that is not believed ({@link #live}).
 */
public final class PresenceFolder {

    /** A presence record is a few hundred bytes; anything this large is not one and is not read. */
    public static final long MAX_RECORD_BYTES = 256 * 1024;

    private final Path folder;

    public PresenceFolder(Path folder) {
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

    /** A gateway process's {@code instance_id} as Hermes makes it, {@code <host>-<pid>}, safe for a file name. */
    public static String instanceId(String host, long pid) {
        return safeName(host.isEmpty() ? "gateway" : host) + "-" + pid;
    }

    /** The file of one session's record; the parts are made safe for a file name here. */
    public Path fileOf(String instanceId, String sessionId) {
        return folder.resolve(safeName(instanceId) + "." + safeName(sessionId) + ".json");
    }

    /**
     * Writes a record whole: into a new owner-only temporary file with a random name (created exclusively, so a
     * file or link planted under that name is never written through), then renamed over the record's file. A
     * record's file that is a link is not replaced.
     */
    public void write(String instanceId, PresenceRecord record) throws IOException {
        OwnerOnlyFiles.replace(fileOf(instanceId, record.sessionId()), record.toJson().toString());
    }

    public void delete(String instanceId, String sessionId) throws IOException {
        Files.deleteIfExists(fileOf(instanceId, sessionId));
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

    /**
     * The records of a scan that are not expired at {@code nowEpochSeconds} (unless asked for), newest first.
     * Records that are not {@linkplain PresenceRecord#isCredible credible} (from the future, or living longer
     * than a record may) are never among them, expired or not.
     */
    public static List<PresenceRecord> live(Scan scan, double nowEpochSeconds, boolean includeExpired) {
        return live(scan.records(), nowEpochSeconds, includeExpired);
    }

    /**
     * As {@link #live(Scan, double, boolean)} for records from several stores (a folder and a team's broker): a
     * record is one gateway's ({@code instance_id} at its {@code endpoint}) about one session, as a record's file is
     * named, so when two stores hold the same one only the freshest is kept (rival claims stay for the derivation).
     */
    public static List<PresenceRecord> live(java.util.Collection<PresenceRecord> records, double nowEpochSeconds,
            boolean includeExpired) {
        java.util.Map<String, PresenceRecord> byName = new java.util.LinkedHashMap<>();
        for (PresenceRecord r : records) {
            if (r.isCredible(nowEpochSeconds) && (includeExpired || !r.isExpired(nowEpochSeconds))) {
                byName.merge(PresenceChanges.nameOf(r), r, (a, b) -> b.updatedAt() > a.updatedAt() ? b : a);
            }
        }
        List<PresenceRecord> out = new ArrayList<>(byName.values());
        out.sort((a, b) -> Double.compare(b.updatedAt(), a.updatedAt()));
        return out;
    }

    private static void read(Path file, List<PresenceRecord> records, List<Problem> problems) {
        try {
            // a link is not followed: it could name any file of this machine
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return;
            }
            if (attributes.size() > MAX_RECORD_BYTES) {
                problems.add(new Problem(file, "larger than " + MAX_RECORD_BYTES + " bytes"));
                return;
            }
            Optional<PresenceRecord> record = PresenceRecord.parse(Files.readString(file, StandardCharsets.UTF_8));
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

    private static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof MalformedInputException) {
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
