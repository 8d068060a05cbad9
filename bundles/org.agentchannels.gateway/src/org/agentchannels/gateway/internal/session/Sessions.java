package org.agentchannels.gateway.internal.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.SessionHistory;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.TitleResult;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.store.TranscriptStore.StoredSession;

/**
 * Sessions coming and going and clients attaching to them: create, activate, resume (loading a stored session),
 * the lists, the roster, the history, the title, close, and a client that went away. Titles and device names are
 * stored as {@link DisplayText} cleans them (a title written before that rule is cleaned as it is loaded).
 */
public final class Sessions {

    private static final System.Logger LOG = System.getLogger(Sessions.class.getName());

    private final SessionHost host;

    Sessions(SessionHost host) {
        this.host = host;
    }

    /** A session of the default agent; {@code cwd} as {@link #create(Client, String, List, String, String, String)}. */
    public SessionSnapshot create(Client client, String title, List<TranscriptRow> seed, String viewerDevice, String cwd)
            throws RpcException {
        return create(client, title, seed, viewerDevice, cwd, "");
    }

    /**
     * @param cwd the directory asked for, checked against the gateway's workspaces; empty for the first
     * @param agentId one of the agents offered; empty for the default
     */
    public SessionSnapshot create(Client client, String title, List<TranscriptRow> seed, String viewerDevice, String cwd,
            String agentId) throws RpcException {
        // both before anything is stored: a refused agent or cwd changes nothing
        HostedAgent agent = host.agentToCreate(agentId);
        Path workDir = host.workspaces.resolve(cwd);
        String storedId = host.registry.newStoredId();
        double now = host.now();
        String cleanTitle = DisplayText.title(title);
        SessionHost.committed(host.store.write("creating a session", store -> {
            store.createSession(storedId, cleanTitle, now);
            store.setAgent(storedId, agent.id());
            store.setCwd(storedId, workDir == null ? "" : workDir.toString()); // where its agent is reopened
            store.appendAll(storedId, seed, now);
        }));
        LiveSession s = host.registry.addIfAbsent(new LiveSession(host.registry.newRuntimeId(), storedId, agent, cleanTitle,
                now, seed, 0, Set.of(), host.codec));
        s.agent.agent().sessionStarted(new Agent.SessionStart(s.runtimeId, storedId, workDir, "", false), host.reportsOf(s));
        synchronized (s) {
            attachViewer(s, client, DeviceNames.sanitize(viewerDevice));
            host.publish(s);
            return s.snapshot(-1);
        }
    }

    /** What {@code gateway.ready} offers for new sessions: the agents (the default first). */
    public List<org.agentchannels.core.protocol.OfferedAgent> offeredAgents() {
        return host.agents().stream().map(HostedAgent::offer).toList();
    }

    /** What {@code gateway.ready} offers for new sessions: the workspace roots (the default first). */
    public List<String> workspaceRoots() {
        return host.workspaces.roots().stream().map(Path::toString).toList();
    }

    /** Attaches to a live session by runtime id; {@code since >= 0} asks for a replay. */
    public SessionSnapshot activate(Client client, String runtimeId, String viewerDevice, long since) throws RpcException {
        return attach(client, host.registry.live(runtimeId), viewerDevice, since, false);
    }

    /** Attaches to a live session by stored id or exact title, loading it from the store when it is not live. */
    public SessionSnapshot resume(Client client, String key, String viewerDevice, long since) throws RpcException {
        String k = key.strip();
        if (k.isEmpty()) {
            throw new RpcException(JsonRpcCodes.SESSION_ID_REQUIRED, "session_id required");
        }
        LiveSession s = host.registry.byKey(k);
        return s != null ? attach(client, s, viewerDevice, since, false) : attach(client, load(k), viewerDevice, since, true);
    }

    private LiveSession load(String key) throws RpcException {
        record Loaded(StoredSession session, String agent, List<TranscriptRow> rows, Set<String> submissions,
                List<SlashCommand> commands) {
        }
        Optional<Loaded> loaded;
        try {
            loaded = host.store.submit("loading a session", store -> {
                Optional<StoredSession> found = store.find(key);
                if (found.isEmpty()) {
                    found = store.findByTitle(key);
                }
                if (found.isEmpty()) {
                    return Optional.<Loaded>empty();
                }
                String id = found.get().id();
                return Optional.of(new Loaded(found.get(), store.agentOf(id), store.messages(id), store.submissionIds(id),
                        store.commands(id)));
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw SessionHost.storeFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SessionHost.storeFailure(e);
        }
        Loaded l = loaded.orElseThrow(() -> new RpcException(JsonRpcCodes.STORED_SESSION_NOT_FOUND, "session not found"));
        HostedAgent agent = host.agentToResume(l.agent()); // one no longer offered: refused, nothing made live
        LiveSession loadedNow = new LiveSession(host.registry.newRuntimeId(), l.session().id(), agent,
                DisplayText.title(l.session().title()), l.session().startedAt(), l.rows(), l.session().lastSeq(), l.submissions(), host.codec);
        loadedNow.commands = l.commands(); // until its agent says again
        LiveSession s = host.registry.addIfAbsent(loadedNow);
        if (s == loadedNow) { // one already live (found by its title) keeps its agent and its directory
            s.agent.agent().sessionStarted(reopening(s, l.session()), host.reportsOf(s));
        }
        return s;
    }

    /**
     * How a stored session's agent starts again: in the directory it worked in, reopening the agent's session
     * there. A directory no longer inside the workspaces (the gateway was started with others) is not used:
     * the session moves to the first one (in the store too, so its directory and its agent's session agree),
     * and its agent works in a new session of its own there.
     */
    private Agent.SessionStart reopening(LiveSession s, StoredSession stored) throws RpcException {
        if (!stored.cwd().isEmpty()) {
            try {
                return new Agent.SessionStart(s.runtimeId, s.storedId, host.workspaces.resolve(stored.cwd()),
                        stored.agentSessionId(), true);
            } catch (RpcException e) {
                LOG.log(System.Logger.Level.WARNING, "session " + s.storedId + " worked in a directory the gateway no"
                        + " longer offers; it goes on in the first workspace: " + e.getMessage());
                Path first = host.workspaces.resolve("");
                String storedId = s.storedId;
                host.store.write("moving a session to the first workspace", store -> {
                    store.setCwd(storedId, first == null ? "" : first.toString());
                    store.setAgentSessionId(storedId, "");
                });
                return new Agent.SessionStart(s.runtimeId, s.storedId, first, "", true);
            }
        }
        return new Agent.SessionStart(s.runtimeId, s.storedId, host.workspaces.resolve(""), stored.agentSessionId(), true);
    }

    /** @param nowLive the session was only stored and is live from now on: its presence record is new */
    private SessionSnapshot attach(Client client, LiveSession s, String viewerDevice, long since, boolean nowLive) {
        synchronized (s) {
            attachViewer(s, client, DeviceNames.sanitize(viewerDevice));
            if (nowLive) {
                host.publish(s); // attaching to a live session changes nothing of its record
            }
            return s.snapshot(since);
        }
    }

    // with the session's lock
    void attachViewer(LiveSession s, Client client, String device) {
        client.setDevice(device);
        List<Participant> before = s.participants();
        s.addViewer(client, client.device());
        s.lastActive = host.now();
        if (!before.equals(s.participants())) {
            s.emit(new GatewayEvent.Participants(s.participants()));
        }
    }

    /** {@code session.list}: stored sessions, newest first. */
    public List<SessionSummary> list(int limit) throws RpcException {
        List<StoredSession> stored;
        try {
            stored = host.store.submit("listing sessions", store -> store.list(limit)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw SessionHost.storeFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SessionHost.storeFailure(e);
        }
        List<SessionSummary> out = new ArrayList<>();
        for (StoredSession s : stored) {
            out.add(SessionSummary.stored(s.id(), DisplayText.title(s.title()), s.preview(), s.startedAt(), s.messageCount(), "agentchannels"));
        }
        return out;
    }

    /** {@code session.active_list}: the live sessions, oldest first. */
    public List<SessionSummary> activeList(String currentSessionId) {
        List<SessionSummary> out = new ArrayList<>();
        for (LiveSession s : host.registry.all()) {
            synchronized (s) {
                out.add(new SessionSummary(s.runtimeId, s.storedId, s.title, s.preview(), s.agent.label(),
                        s.activity().wireWord(), s.startedAt, s.rows.size(), "", s.lastActive,
                        s.runtimeId.equals(currentSessionId)));
            }
        }
        return out;
    }

    public List<Participant> participants(String runtimeId) throws RpcException {
        LiveSession s = host.registry.live(runtimeId);
        synchronized (s) {
            return s.participants();
        }
    }

    public SessionHistory history(String runtimeId) throws RpcException {
        LiveSession s = host.registry.live(runtimeId);
        synchronized (s) {
            return new SessionHistory(s.rowsInOneFrame());
        }
    }

    /** Reads the title, or sets it when {@code title} is present. */
    public TitleResult title(String runtimeId, Optional<String> title) throws RpcException {
        LiveSession s = host.registry.live(runtimeId);
        if (title.isEmpty()) {
            synchronized (s) {
                return new TitleResult(s.title, s.storedId);
            }
        }
        String clean = DisplayText.title(title.get());
        SessionHost.committed(host.store.write("setting a title", store -> store.setTitle(s.storedId, clean)));
        synchronized (s) {
            s.title = clean;
            s.emit(new GatewayEvent.SessionTitle(clean, s.storedId));
            host.publish(s);
            return new TitleResult(s.title, s.storedId);
        }
    }

    /** Ends a live session; the prompts queued in it are dropped (from the store too) before this returns. */
    public void close(String runtimeId) throws RpcException {
        SessionHost.committed(host.end(host.registry.live(runtimeId), true));
    }

    /** Detaches a client that went away from every session it viewed. */
    public void clientGone(Client client) {
        for (LiveSession s : host.registry.all()) {
            synchronized (s) {
                if (s.isViewedBy(client)) {
                    List<Participant> before = s.participants();
                    s.removeViewer(client);
                    if (!before.equals(s.participants())) {
                        s.emit(new GatewayEvent.Participants(s.participants()));
                    }
                }
            }
        }
    }
}
