package org.agentchannels.gateway.internal.presence;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;
import org.agentchannels.core.presence.PresenceFolder;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.gateway.internal.session.SessionPresence;

/**
 * Publishes this gateway's live sessions into the presence folder and, for a team, to its broker
 * ({@link BrokerPresence}), on a thread of its own: sessions only take note of a change (under their lock, without
 * I/O); this thread writes the records that changed, deletes those of sessions that ended, and writes every record
 * again each refresh period, well inside its 90 s lifetime. It reads presence back from every store, merged.
 */
public final class PresencePublisher implements SessionPresence, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PresencePublisher.class.getName());

    private final FolderStore folder;
    private final List<PresenceStore> stores;
    private final String endpoint;
    private final String fingerprint;
    private final String host;
    private final String instanceId;
    private final String model;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors
            .newSingleThreadScheduledExecutor(DaemonThreads.named("agentchannels-gateway-presence"));

    // guarded by this
    private final Map<String, LiveSessionInfo> live = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final Set<String> ended = new LinkedHashSet<>();
    private boolean flushQueued;
    // only on the presence thread
    private final Set<String> written = new LinkedHashSet<>();
    private final Set<PresenceStore> warned = new java.util.HashSet<>();

    /**
     * @param endpoint the advertised endpoint, empty for a loopback gateway
     * @param host the label other devices show for this one
     * @param model the model of a session whose own agent has no label
     */
    public PresencePublisher(Path folder, String endpoint, String host, String model, Clock clock, Duration refresh) {
        this(folder, endpoint, "", host, model, clock, refresh);
    }

    /** @param fingerprint the gateway's certificate fingerprint, which every record carries (not a secret) */
    public PresencePublisher(Path folder, String endpoint, String fingerprint, String host, String model, Clock clock,
            Duration refresh) {
        this(folder, null, endpoint, fingerprint, host, model, clock, refresh);
    }

    /**
     * @param broker the team's broker, connecting or connected, to publish to beside the folder; {@code null}: none
     */
    public PresencePublisher(Path folder, BrokerPresence broker, String endpoint, String fingerprint, String host,
            String model, Clock clock, Duration refresh) {
        this.folder = new FolderStore(folder);
        this.stores = broker == null ? List.of(this.folder) : List.of(this.folder, broker);
        this.endpoint = endpoint;
        this.fingerprint = fingerprint;
        this.host = DeviceNames.sanitize(host);
        this.model = model;
        this.clock = clock;
        this.instanceId = instanceId(host);
        thread.scheduleAtFixedRate(this::refreshAll, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This gateway process's {@code instance_id}, which its records carry, made from its device name. */
    public static String instanceId(String host) {
        return PresenceFolder.instanceId(host, ProcessHandle.current().pid());
    }

    public Path folder() {
        return folder.folder();
    }

    @Override
    public synchronized void changed(LiveSessionInfo s) {
        live.put(s.runtimeId(), s);
        changed.add(s.runtimeId());
        ended.remove(s.runtimeId());
        queueFlush();
    }

    @Override
    public synchronized void ended(String runtimeId) {
        live.remove(runtimeId);
        changed.remove(runtimeId);
        ended.add(runtimeId);
        queueFlush();
    }

    // with this lock
    private void queueFlush() {
        if (!flushQueued) {
            flushQueued = true;
            thread.execute(this::flush);
        }
    }

    private synchronized void refreshAll() {
        changed.addAll(live.keySet());
        queueFlush();
    }

    // on the presence thread
    private void flush() {
        List<LiveSessionInfo> toWrite = new ArrayList<>();
        List<String> toDelete;
        synchronized (this) {
            flushQueued = false;
            for (String id : changed) {
                toWrite.add(live.get(id));
            }
            changed.clear();
            toDelete = new ArrayList<>(ended);
            ended.clear();
        }
        for (String id : toDelete) {
            delete(id);
        }
        double now = clock.millis() / 1000.0;
        for (LiveSessionInfo s : toWrite) {
            write(s, now);
        }
    }

    private void write(LiveSessionInfo s, double now) {
        PresenceRecord record = new PresenceRecord(1, s.runtimeId(), s.storedId(), s.status(),
                DisplayText.title(s.title()), s.model().isEmpty() ? model : s.model(), "",
                "agentchannels", "gateway", "default", endpoint, host, ProcessHandle.current().pid(), instanceId, now,
                now + PresenceRecord.DEFAULT_TTL_SECONDS, s.messageCount(), s.signIn(), fingerprint);
        written.add(s.runtimeId());
        for (PresenceStore store : stores) {
            try {
                store.write(instanceId, record);
                warned.remove(store);
            } catch (IOException e) {
                if (warned.add(store)) { // once per failure streak, not every refresh
                    LOG.log(System.Logger.Level.WARNING, "cannot write presence records into " + store.describe() + ": " + e);
                }
            }
        }
    }

    private void delete(String runtimeId) {
        written.remove(runtimeId);
        for (PresenceStore store : stores) {
            try {
                store.delete(instanceId, runtimeId);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete the presence record of " + runtimeId + " from "
                        + store.describe() + ": " + e);
            }
        }
    }

    /**
     * The unexpired records of every store, every gateway's (for {@code session.presence_list}), the same record
     * in two stores once, newest first.
     */
    public List<PresenceRecord> readAll(boolean includeExpired) {
        List<PresenceRecord> records = new ArrayList<>();
        for (PresenceStore store : stores) {
            try {
                records.addAll(store.read());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot list " + store.describe() + ": " + e);
            }
        }
        return PresenceFolder.live(records, clock.millis() / 1000.0, includeExpired);
    }

    /** The clean stop: every record this gateway wrote is deleted before this returns. */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return; // stopped already
        }
        synchronized (this) {
            ended.addAll(live.keySet());
            live.clear();
            changed.clear();
        }
        try {
            thread.submit(() -> {
                flush();
                for (String id : new ArrayList<>(written)) {
                    delete(id);
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "removing the presence records at the stop failed: " + e);
        }
        thread.shutdownNow();
        for (PresenceStore store : stores) {
            store.close();
        }
    }
}
