package org.agentchannels.gateway.internal.session;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.DisplayText;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.store.StoreWriter;

/**
 * The sessions of one gateway: what {@link Sessions} (their lifecycle and attach) and {@link Turns} (prompts,
 * the turn loop and blocking asks) share, the presence listeners they tell, and the clean stop.
 */
public final class SessionHost implements AutoCloseable {

    /** How long a call waits for the store to commit what it is about to acknowledge. */
    private static final long STORE_WAIT_SECONDS = 30;

    final SessionRegistry registry;
    final StoreWriter store;
    /** The agents offered, by id, the default first. */
    private final Map<String, HostedAgent> agents = new LinkedHashMap<>();
    final Workspaces workspaces;
    final String deviceName;
    final FrameCodec codec = new FrameCodec();
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final List<SessionPresence> presence = new CopyOnWriteArrayList<>();
    private final Sessions sessions;
    private final Turns turns;
    /** Takes the agent's reports on sessions ({@link AgentReports}), in order, off the agent's threads. */
    private final ExecutorService agentReports = Executors
            .newSingleThreadExecutor(DaemonThreads.named("agentchannels-agent-reports"));

    public SessionHost(StoreWriter store, Agent agent, String deviceName, Clock clock) {
        this(store, List.of(HostedAgent.of("default", agent)), deviceName, clock, Workspaces.none());
    }

    /**
     * @param agents the agents sessions may run, the first the default; a session names one at {@code session.create}
     * @param workspaces where sessions may work; a session names one at {@code session.create}
     */
    public SessionHost(StoreWriter store, List<HostedAgent> agents, String deviceName, Clock clock, Workspaces workspaces) {
        this.workspaces = workspaces;
        this.store = store;
        for (HostedAgent a : agents) {
            if (this.agents.putIfAbsent(a.id(), a) != null) {
                throw new IllegalArgumentException("agent " + a.id() + " is offered twice");
            }
        }
        if (this.agents.isEmpty()) {
            throw new IllegalArgumentException("a gateway offers at least one agent");
        }
        this.deviceName = deviceName;
        this.clock = clock;
        this.registry = new SessionRegistry(clock);
        this.sessions = new Sessions(this);
        this.turns = new Turns(this);
        AgentAnnouncements reports = new AgentAnnouncements(this); // session ids are the gateway's: one for all its agents
        this.agents.values().forEach(a -> a.agent().bind(reports));
    }

    public Sessions sessions() {
        return sessions;
    }

    public Turns turns() {
        return turns;
    }

    public void addPresence(SessionPresence listener) {
        presence.add(listener);
    }

    /** What presence says about every live session, oldest first. */
    public List<SessionPresence.LiveSessionInfo> liveSessions() {
        List<SessionPresence.LiveSessionInfo> out = new ArrayList<>();
        for (LiveSession s : registry.all()) {
            synchronized (s) {
                out.add(s.info());
            }
        }
        return out;
    }

    /** The agents offered, the default first. */
    public List<HostedAgent> agents() {
        return List.copyOf(agents.values());
    }

    /** The agent a session gets when it names none. */
    HostedAgent defaultAgent() {
        return agents.values().iterator().next();
    }

    /**
     * The agent of {@code id} for a new session; empty for the default.
     *
     * @throws RpcException ({@link JsonRpcCodes#BAD_VALUE}) naming those offered, for an id not offered
     */
    HostedAgent agentToCreate(String id) throws RpcException {
        if (id.isBlank()) {
            return defaultAgent();
        }
        HostedAgent found = agents.get(id.strip());
        if (found == null) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "agent '" + DisplayText.oneLine(id, 64)
                    + "' is not offered by this gateway (offered: " + HostedAgent.ids(agents()) + ")");
        }
        return found;
    }

    /**
     * The agent a stored session ran, to run it again; a session stored before agents had ids ran the default.
     *
     * @throws RpcException ({@link JsonRpcCodes#BAD_VALUE}) when the gateway no longer offers it
     */
    HostedAgent agentToResume(String storedAgent) throws RpcException {
        if (storedAgent == null || storedAgent.isEmpty()) {
            return defaultAgent();
        }
        HostedAgent found = agents.get(storedAgent);
        if (found == null && agents().size() == 1) {
            // a gateway that offers one agent runs every session with it, as it did before agents had names
            System.getLogger(SessionHost.class.getName()).log(System.Logger.Level.WARNING, "a session that ran agent '"
                    + DisplayText.oneLine(storedAgent, 64) + "' resumes with this gateway's only agent, "
                    + defaultAgent().id());
            return defaultAgent();
        }
        if (found == null) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "this session ran agent '" + DisplayText.oneLine(storedAgent, 64)
                    + "', which this gateway no longer offers (offered: " + HostedAgent.ids(agents())
                    + "); offer it again (--agent " + DisplayText.oneLine(storedAgent, 64) + ") to resume it");
        }
        return found;
    }

    double now() {
        return clock.millis() / 1000.0;
    }

    /** A gateway-wide unique number for tool and request ids. */
    long nextId() {
        return ids.incrementAndGet();
    }

    // with the session's lock
    void publish(LiveSession s) {
        if (s.closed) {
            return;
        }
        SessionPresence.LiveSessionInfo info = s.info();
        for (SessionPresence p : presence) {
            p.changed(info);
        }
    }

    // with the session's lock
    void emitInfo(LiveSession s) {
        s.emit(new GatewayEvent.SessionInfo(s.agent.label(), s.running, s.activity().wireWord(), s.signIn));
    }

    /** Where the agent reports on {@code s} outside its turns. */
    Agent.SessionEvents reportsOf(LiveSession s) {
        return new AgentReports(this, s, agentReports);
    }

    /** Waits, outside every session lock, for a store write whose success the caller is about to report. */
    static void committed(CompletableFuture<?> write) throws RpcException {
        try {
            write.get(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw storeFailure(e.getCause());
        } catch (TimeoutException e) {
            throw storeFailure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeFailure(e);
        }
    }

    static RpcException storeFailure(Throwable e) {
        String kind = e instanceof SQLException ? e.getClass().getSimpleName() : e.toString();
        return new RpcException(JsonRpcCodes.STORE_FAILED, "the session store failed: " + kind);
    }

    /**
     * Ends a session: its turn interrupted, its asks withdrawn, its presence record gone.
     *
     * @param dropQueued whether the prompts queued behind its turn are dropped, from the store too ({@code
     *        session.close}: they will never run); else they stay for the next start to report as interrupted
     * @return the store write that drops them, done at once when there is none
     */
    CompletableFuture<Void> end(LiveSession s, boolean dropQueued) {
        registry.remove(s);
        CompletableFuture<Void> dropped = CompletableFuture.completedFuture(null);
        synchronized (s) {
            if (dropQueued) {
                s.queue.clear();
                String storedId = s.storedId;
                // after every queueing write of this session (handed in under this lock), so none comes back
                dropped = store.write("dropping the prompts queued in a closed session", st -> st.removeAllPending(storedId));
            }
            s.closed = true;
            if (s.running && s.turn != null) {
                s.turn.interrupt();
            }
            turns.cancelAsks(s);
        }
        for (SessionPresence p : presence) {
            p.ended(s.runtimeId);
        }
        s.agent.agent().sessionEnded(s.runtimeId);
        return dropped;
    }

    /**
     * Interrupts every running turn and ends every session, waiting (up to 2 s) for the interrupted turns to
     * report their ends so that those are stored as interrupted.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        for (LiveSession s : registry.all()) {
            synchronized (s) {
                ended.add(s.turnEnded);
            }
            end(s, false);
        }
        try {
            CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            System.getLogger(SessionHost.class.getName()).log(System.Logger.Level.WARNING,
                    "a turn did not end within 2 s of the stop; the next start marks it interrupted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agents.values().forEach(a -> a.agent().close());
        agentReports.shutdown(); // what the agents reported last is handed to the store before it closes
        try {
            agentReports.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
