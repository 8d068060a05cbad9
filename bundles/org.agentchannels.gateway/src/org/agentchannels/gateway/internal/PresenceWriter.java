package org.agentchannels.gateway.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.agentchannels.core.presence.PresenceRecord;

/**
 * The presence folder as a Hermes gateway keeps it: one record per live session, named
 * {@code <instance_id>.<session_id>.json}, written to a temporary file and renamed so readers never see half
 * a record, refreshed by the caller every 30 s with a 90 s lifetime, deleted when the session ends.
 */
public final class PresenceWriter implements SessionHost.PresenceListener {

    public static final double TTL_SECONDS = 90;
    private static final System.Logger LOG = System.getLogger(PresenceWriter.class.getName());
    /** A record is a few hundred bytes; a larger file in the folder is not read. */
    private static final long MAX_RECORD_BYTES = 256 * 1024;

    private final Path folder;
    private final String endpoint;
    private final String host;
    private final String instanceId;
    private final String model;
    private final Clock clock;
    private final Map<String, SessionHost.LiveSessionInfo> written = new ConcurrentHashMap<>();
    private volatile boolean warned;

    /**
     * @param endpoint the advertised endpoint, empty for a loopback gateway
     * @param host the label other devices show for this one
     */
    public PresenceWriter(Path folder, String endpoint, String host, String model, Clock clock) {
        this.folder = folder;
        this.endpoint = endpoint;
        this.host = host;
        this.model = model;
        this.clock = clock;
        this.instanceId = sanitizeForFileName(host.isEmpty() ? "gateway" : host) + "-" + ProcessHandle.current().pid();
    }

    public Path folder() {
        return folder;
    }

    Path fileOf(String runtimeId) {
        return folder.resolve(instanceId + "." + runtimeId + ".json");
    }

    @Override
    public synchronized void changed(SessionHost.LiveSessionInfo s) {
        written.put(s.runtimeId(), s);
        write(s);
    }

    @Override
    public synchronized void ended(String runtimeId) {
        written.remove(runtimeId);
        try {
            Files.deleteIfExists(fileOf(runtimeId));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the presence record of " + runtimeId + ": " + e);
        }
    }

    /** Writes every record again with a new lifetime. */
    public synchronized void refreshAll() {
        for (SessionHost.LiveSessionInfo s : written.values()) {
            write(s);
        }
    }

    /** Deletes every record this gateway wrote (a clean stop). */
    public synchronized void removeAll() {
        for (String id : new ArrayList<>(written.keySet())) {
            ended(id);
        }
    }

    private void write(SessionHost.LiveSessionInfo s) {
        double now = clock.millis() / 1000.0;
        PresenceRecord record = new PresenceRecord(1, s.runtimeId(), s.storedId(), s.status(), s.title(), model, "",
                "agentchannels", "gateway", "default", endpoint, host, ProcessHandle.current().pid(), instanceId, now,
                now + TTL_SECONDS, s.messageCount());
        Path target = fileOf(s.runtimeId());
        Path tmp = folder.resolve("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(folder);
            Files.writeString(tmp, record.toJson().toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            warned = false;
        } catch (IOException e) {
            if (!warned) {
                warned = true; // once per failure streak, not every 30 s
                LOG.log(System.Logger.Level.WARNING, "cannot write presence records into " + folder + ": " + e);
            }
        }
    }

    /** The unexpired records of the folder, every gateway's (for {@code session.presence_list}). */
    public List<PresenceRecord> readAll(boolean includeExpired) {
        List<PresenceRecord> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        double now = clock.millis() / 1000.0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                try {
                    if (!Files.isRegularFile(file) || Files.size(file) > MAX_RECORD_BYTES) {
                        continue;
                    }
                    Optional<PresenceRecord> r = PresenceRecord.parse(Files.readString(file, StandardCharsets.UTF_8));
                    r.filter(record -> includeExpired || !record.isExpired(now)).ifPresent(out::add);
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                } catch (IOException | IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.DEBUG, "skipped presence file " + file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + folder + ": " + e);
        }
        out.sort((a, b) -> Double.compare(b.updatedAt(), a.updatedAt()));
        return out;
    }

    private static String sanitizeForFileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
