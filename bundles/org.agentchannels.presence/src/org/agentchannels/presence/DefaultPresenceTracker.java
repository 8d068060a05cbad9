package org.agentchannels.presence;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.presence.LocalSessionRef;
import org.agentchannels.core.presence.PresenceFolder;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.RemoteSessionsDeriver;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.protocol.LocalSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;


/**
 * The {@link PresenceTracker} service. One scheduler thread does everything: it polls the local gateway every
 * {@code pollInterval} ({@code session.presence_list} for records, {@code session.active_list} and
 * {@code session.list} for this device's own rows), rescans the presence directory when a file changes and
 * at every poll, and derives a new snapshot, handing it to listeners only when it changed. A source that
 * fails keeps its last good records; a file that cannot be read is skipped with one warning.
 */
@Component(service = PresenceTracker.class)
public final class DefaultPresenceTracker implements PresenceTracker, AutoCloseable {

    public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /** Problems told once each, up to this many: a folder of hostile files must not grow the tracker without end. */
    private static final int MAX_REPORTED_PROBLEMS = 1024;

    private static final System.Logger LOG = System.getLogger(DefaultPresenceTracker.class.getName());

    private final GatewayConnector connector;
    private final Clock clock;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // touched on the scheduler thread only
    private Optional<PresenceFolder> directory = Optional.empty();
    private List<PresenceRecord> gatewayRecords = List.of();
    private List<PresenceRecord> directoryRecords = List.of();
    private List<LocalSessionRef> localRows = List.of();
    private final Set<String> reportedProblems = new HashSet<>();
    private WatchService watcher;
    private Thread watchThread;
    private ScheduledFuture<?> poller;
    private volatile RemoteSessions current = RemoteSessions.empty();
    /** Derives each poll's snapshot from what changed since the previous one. */
    private final RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
    /** What {@link #current} was made of: when none of it changed, nothing is made again. */
    private RemoteSessions lastDerived;
    private Set<String> lastEnded = Set.of();
    private List<RemoteSessions.LiveStatus> lastLive = List.of();
    /** Sessions found no longer live ({@link RemoteSessions#endedKey}), while records of them remain; bounded. */
    private final Set<String> ended = new HashSet<>();
    /** The attached sessions' models this tracker listens to, so a change of their status shows at once. */
    private final Set<SessionModel> followed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final SessionModel.Listener liveStatusListener = (model, changes) -> {
        if (changes.contains(SessionModel.Change.STATUS) || changes.contains(SessionModel.Change.INPUT)
                || changes.contains(SessionModel.Change.HYDRATED)) {
            deriveSoon();
        }
    };
    private final java.util.concurrent.atomic.AtomicBoolean deriveQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * For Declarative Services: polls the connector's local gateway from now on. The presence directory
     * arrives by {@link #setPresenceDirectory} from whoever configures the tracker (the workbench's
     * preferences), never from System properties or the environment.
     */
    @Activate
    public DefaultPresenceTracker(@Reference(name = "connector") GatewayConnector connector) {
        this(connector, Clock.systemUTC(), POLL_INTERVAL);
        start();
    }

    /** @param connector whose local gateway is polled; {@code null} to read only the directory */
    public DefaultPresenceTracker(GatewayConnector connector, Clock clock, Duration pollInterval) {
        this.connector = connector;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agentchannels-presence"));
    }

    /** Starts polling; the first pass runs at once. */
    public void start() {
        synchronized (this) {
            if (poller == null) {
                poller = scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, pollInterval.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    @Deactivate
    @Override
    public void close() {
        scheduler.shutdownNow();
        stopWatching();
        synchronized (followed) { // a closed tracker leaves no listener on the models it followed
            for (SessionModel model : followed) {
                model.removeListener(liveStatusListener);
            }
            followed.clear();
        }
    }

    @Override
    public RemoteSessions current() {
        return current;
    }

    @Override
    public CompletableFuture<RemoteSessions> refresh() {
        return CompletableFuture.supplyAsync(this::pollGateway, scheduler).thenCompose(f -> f)
                .thenApplyAsync(ignored -> {
                    scanDirectory();
                    return derive();
                }, scheduler);
    }

    @Override
    public void setPresenceDirectory(Optional<Path> folder) {
        scheduler.execute(() -> {
            Optional<Path> now = directory.map(PresenceFolder::folder);
            if (now.equals(folder)) {
                return;
            }
            stopWatching();
            directory = folder.map(PresenceFolder::new);
            directoryRecords = List.of();
            reportedProblems.clear();
            folder.ifPresent(this::watch);
            scanDirectory();
            derive();
        });
    }

    @Override
    public void markNoLongerLive(String endpoint, String sessionId) {
        scheduler.execute(() -> {
            if (ended.size() < MAX_REPORTED_PROBLEMS) {
                ended.add(RemoteSessions.endedKey(endpoint, sessionId));
            }
            derive();
        });
    }

    /** One derive on the scheduler however many changes ask for it meanwhile. */
    private void deriveSoon() {
        if (deriveQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    deriveQueued.set(false);
                    derive();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                deriveQueued.set(false); // closed
            }
        }
    }

    @Override
    public Optional<Path> presenceDirectory() {
        try {
            return CompletableFuture.supplyAsync(() -> directory.map(PresenceFolder::folder), scheduler)
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ the work, on the scheduler thread

    private void pollQuietly() {
        try {
            pollGateway().whenCompleteAsync((ok, error) -> {
                scanDirectory();
                derive();
            }, scheduler);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "polling presence failed", e);
        }
    }

    /** Asks the local gateway for records and rows; completes when both answers are in (or failed). */
    private CompletableFuture<Void> pollGateway() {
        GatewayConnection local = connector == null ? null : connector.localGateway().orElse(null);
        if (local == null || !local.state().isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> records = local.presence()
                .thenAcceptAsync(read -> gatewayRecords = read, scheduler);
        CompletableFuture<Void> live = local.sessions().thenApply(sessions -> {
            List<LocalSessionRef> rows = new ArrayList<>();
            for (LocalSession s : sessions) {
                // a live row names its runtime id and its lineage root, the stored id
                if (!s.liveId().isEmpty()) {
                    rows.add(new LocalSessionRef(s.liveId(), s.live().sessionKey(), List.of()));
                }
                if (s.stored() != null) {
                    rows.add(LocalSessionRef.of(s.stored().id()));
                }
            }
            return rows;
        }).thenAcceptAsync(rows -> localRows = List.copyOf(rows), scheduler);
        return CompletableFuture.allOf(records, live).exceptionally(error -> {
            LOG.log(System.Logger.Level.DEBUG, "the local gateway did not answer a presence poll: " + error);
            return null;
        });
    }

    private void scanDirectory() {
        if (directory.isEmpty()) {
            return;
        }
        try {
            PresenceFolder.Scan scan = directory.get().scan();
            directoryRecords = scan.records();
            for (PresenceFolder.Problem p : scan.problems()) {
                if (reportedProblems.size() < MAX_REPORTED_PROBLEMS && reportedProblems.add(p.file().toString() + "|" + p.reason())) {
                    LOG.log(System.Logger.Level.WARNING, "skipped presence file " + p.file() + ": " + p.reason());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list the presence directory " + directory.get().folder()
                    + ": " + e.getClass().getSimpleName());
        }
    }

    private RemoteSessions derive() {
        List<PresenceRecord> all = new ArrayList<>(gatewayRecords.size() + directoryRecords.size());
        all.addAll(gatewayRecords);
        all.addAll(directoryRecords);
        double now = clock.millis() / 1000.0;
        reportIncredible(all, now);
        forgetEndedWithoutRecords(all);
        RemoteSessions derived = deriver.derive(all, localRows, now, endpoint -> connector == null ? Optional.empty()
                : connector.pinnedFingerprint(endpoint));
        List<RemoteSessions.LiveStatus> live = liveStatus();
        if (derived == lastDerived && ended.equals(lastEnded) && live.equals(lastLive)) {
            return current; // the deriver found nothing changed: neither did what is shown
        }
        lastDerived = derived;
        lastEnded = Set.copyOf(ended);
        lastLive = live;
        RemoteSessions next = derived.without(ended).withLiveStatus(live);
        if (!next.equals(current)) {
            current = next;
            for (Listener l : listeners) {
                try {
                    l.remoteSessionsChanged(next);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a presence listener failed", e);
                }
            }
        }
        return current;
    }

    /** A session found no longer live is forgotten once no record names it: the list needs it no more. */
    private void forgetEndedWithoutRecords(List<PresenceRecord> all) {
        if (ended.isEmpty()) {
            return;
        }
        Set<String> named = new HashSet<>();
        for (PresenceRecord r : all) {
            named.add(RemoteSessions.endedKey(r.endpoint(), r.sessionId()));
        }
        ended.retainAll(named);
    }

    /** What this device's attached sessions show now; listens to each, so that a change derives again. */
    private List<RemoteSessions.LiveStatus> liveStatus() {
        if (connector == null) {
            return List.of();
        }
        List<RemoteSessions.LiveStatus> live = new ArrayList<>();
        Set<SessionModel> now = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        synchronized (followed) { // close() runs on another thread
            for (AttachedSession s : connector.attachedSessions()) {
                SessionModel model = s.model();
                now.add(model);
                if (followed.add(model)) {
                    model.addListener(liveStatusListener);
                }
                if (!s.isDetached()) {
                    live.add(new RemoteSessions.LiveStatus(s.endpoint().trim(), s.sessionId(), s.sessionKey(), model.activity(),
                            model.signIn()));
                }
            }
            for (var it = followed.iterator(); it.hasNext();) {
                SessionModel gone = it.next();
                if (!now.contains(gone)) {
                    gone.removeListener(liveStatusListener);
                    it.remove();
                }
            }
        }
        return live;
    }

    /**
     * Says once per record that a record from the future or living beyond the TTL was not believed: a planted
     * one, or a clock far off. The record's own text (ids, endpoint) is the writer's and stays out of the log.
     */
    private void reportIncredible(List<PresenceRecord> records, double now) {
        for (PresenceRecord r : records) {
            Optional<String> why = r.implausibility(now);
            if (why.isPresent() && reportedProblems.size() < MAX_REPORTED_PROBLEMS
                    && reportedProblems.add("incredible|" + r.sessionId() + "|" + r.endpoint())) {
                LOG.log(System.Logger.Level.WARNING, "a presence record was not believed, " + why.get()
                        + "; it may have been planted in the presence folder");
            }
        }
    }

    // ------------------------------------------------------------------ watching the folder

    private void watch(Path folder) {
        try {
            Files.createDirectories(folder);
            WatchService service = FileSystems.getDefault().newWatchService();
            folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            watcher = service;
            watchThread = DaemonThreads.named("agentchannels-presence-watch").newThread(() -> watchLoop(service));
            watchThread.start();
        } catch (IOException | UnsupportedOperationException e) {
            // the periodic rescan still sees every change, only later
            LOG.log(System.Logger.Level.INFO, "cannot watch " + folder + "; rescanning every "
                    + pollInterval.toSeconds() + " s instead: " + e.getClass().getSimpleName());
        }
    }

    private void watchLoop(WatchService service) {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                key.reset();
                // a burst of renames (tmp -> json) becomes one rescan
                Thread.sleep(50);
                scheduler.execute(() -> {
                    scanDirectory();
                    derive();
                });
            }
        } catch (InterruptedException | ClosedWatchServiceException | java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }

    private void stopWatching() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
            watcher = null;
        }
        if (watchThread != null) {
            watchThread.interrupt();
            watchThread = null;
        }
    }
}
