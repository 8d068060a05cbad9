package org.agentchannels.gateway.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.gateway.internal.acp.AcpSession;
import org.agentchannels.gateway.internal.acp.AgentCommands;

/**
 * Any Agent Client Protocol agent (OpenCode, Gemini CLI, Codex, Claude, Copilot CLI, Goose, Hermes): each
 * gateway session gets its own agent process, started when the session starts, in the working directory,
 * with the gateway's environment so the user's agent configuration and keys apply as in a terminal. The agent keeps its own memory of the conversation, so a prompt goes alone, without the history.
 * Its id for the session is reported for the store, so that the session is reopened in the agent (see {@link
 * AcpSession}) when the gateway restarts or the agent crashed; while an agent starts, or needs signing in, the
 * session's {@link #state} says so.
 */
public final class AcpAgent implements Agent {

    /** How long an agent may take to answer {@code initialize} and {@code session/new}; some take seconds. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String label;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Consumer<Process> started;
    private final Path cwd;
    private final Duration startTimeout;
    private final boolean offerFiles;
    /** The gateway's live sessions, each with its agent, kept so that an agent started again works where it did. */
    private final Map<String, Tracked> sessions = new ConcurrentHashMap<>();
    private final Queue<Thread> stopping = new ConcurrentLinkedQueue<>();
    private volatile Host host = Host.NONE;

    /**
     * @param command the program and its arguments (see {@link AgentCommands#resolve})
     * @param cwd the directory a session's agent works in when the gateway names none; created if missing
     */
    public AcpAgent(List<String> command, Path cwd, Duration startTimeout) {
        this(command, Map.of(), cwd, startTimeout);
    }

    /** @param environment set for the agent over the gateway's own environment */
    public AcpAgent(List<String> command, Map<String, String> environment, Path cwd, Duration startTimeout) {
        this(command, environment, cwd, startTimeout, process -> {
        });
    }

    /** @param started told of each agent process started (the gateway records it, so that none outlives it) */
    public AcpAgent(List<String> command, Map<String, String> environment, Path cwd, Duration startTimeout,
            Consumer<Process> started) {
        this(command, environment, cwd, startTimeout, started, false);
    }

    /**
     * @param offerFiles whether agents are offered ACP's {@code fs} ({@code --acp-fs}): reading and writing text
     *        files, each session's within its own working directory; by default they are not
     */
    public AcpAgent(List<String> command, Map<String, String> environment, Path cwd, Duration startTimeout,
            Consumer<Process> started, boolean offerFiles) {
        this.started = started;
        this.offerFiles = offerFiles;
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the ACP agent needs a command (acp-command)");
        }
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.cwd = cwd.toAbsolutePath();
        this.startTimeout = startTimeout;
        String program = Path.of(command.get(0)).getFileName().toString();
        this.label = "acp: " + program;
    }

    @Override
    public String model() {
        return label;
    }

    /**
     * One gateway session: where it works, where it reports, the agent's id for it, and its agent while one
     * runs. The id and the sign-in outlive an agent that stopped: the next one reopens the session, and the
     * sign-in shows until an agent starts, or answers, again.
     */
    private static final class Tracked implements AcpSession.Listener {
        final Path directory;
        final SessionEvents events;
        volatile String agentSessionId;
        /** The session had turns with an agent before: a new agent session does not know them. */
        volatile boolean reopening;
        volatile String signIn;
        volatile AcpSession current;

        Tracked(Path directory, SessionEvents events, String agentSessionId, boolean reopening) {
            this.directory = directory;
            this.events = events;
            this.agentSessionId = agentSessionId;
            this.reopening = reopening;
        }

        @Override
        public void opened(String id, boolean forgot) {
            reopening = true; // whatever comes next happened with this agent session
            signIn = null;
            if (!id.equals(agentSessionId)) {
                agentSessionId = id;
                events.agentSessionId(id);
            }
            if (forgot) {
                events.forgotten();
            }
        }

        @Override
        public void signInNeeded(String hint) {
            signIn = hint;
            events.stateChanged();
        }

        @Override
        public void answered() {
            if (signIn != null) {
                signIn = null;
                events.stateChanged();
            }
        }

        @Override
        public void startEnded() {
            events.stateChanged();
        }
    }

    @Override
    public void bind(Host gateway) {
        this.host = gateway;
    }

    @Override
    public Turn start(Request request, Sink sink) {
        AcpSession session;
        try {
            session = sessionFor(request.sessionId());
        } catch (IOException e) {
            sink.complete(Result.error("the agent could not be started: " + AgentCommands.describeStartFailure(command, e)));
            return () -> {
            };
        }
        return session.prompt(request.prompt(), sink);
    }

    /**
     * Agents take seconds to answer {@code initialize}: each session's starts when the session does. Only the
     * process start happens here (a few milliseconds), so a session ended right after still finds it.
     */
    @Override
    public void sessionStarted(SessionStart start, SessionEvents events) {
        sessions.put(start.sessionId(), new Tracked(start.cwd(), events, start.agentSessionId(), start.reopened()));
        try {
            sessionFor(start.sessionId());
        } catch (IOException e) {
            // the first prompt starts it again and reports why it cannot
        }
    }

    @Override
    public SessionState state(String sessionId) {
        Tracked t = sessions.get(sessionId);
        if (t == null) {
            return SessionState.READY;
        }
        AcpSession current = t.current;
        return new SessionState(current != null && current.isStarting(), t.signIn);
    }

    private synchronized AcpSession sessionFor(String sessionId) throws IOException {
        // a session the gateway never announced (a test's turn) works in the default directory, reporting nothing
        Tracked t = sessions.computeIfAbsent(sessionId, id -> new Tracked(null, SessionEvents.NONE, "", false));
        AcpSession current = t.current;
        if (current != null && current.usable()) {
            return current;
        }
        if (current != null) {
            stopping.add(stopInBackground(current)); // one that broke may still run: it goes before another starts
        }
        Path directory = t.directory != null ? t.directory : Files.createDirectories(cwd);
        AcpSession session = AcpSession.start(label, command, environment, directory, offerFiles, startTimeout, started,
                t.agentSessionId, t.reopening, t, sessionUpdates(sessionId));
        t.current = session;
        t.events.stateChanged(); // starting
        return session;
    }

    /** A session's commands and title, told to the gateway under the session's id. */
    private AcpSession.SessionUpdates sessionUpdates(String sessionId) {
        return new AcpSession.SessionUpdates() {
            @Override
            public void commands(List<SlashCommand> commands) {
                host.commands(sessionId, commands);
            }

            @Override
            public void title(String title) {
                host.title(sessionId, title);
            }
        };
    }

    @Override
    public void sessionEnded(String sessionId) {
        Tracked t = sessions.remove(sessionId);
        AcpSession session = t == null ? null : t.current;
        if (session != null) {
            stopping.add(stopInBackground(session)); // the stop waits for the agent to exit: not on this thread
        }
    }

    /** Stops every agent and waits for them all, those of sessions ended earlier too. */
    @Override
    public void close() {
        sessions.values().stream().map(t -> t.current).filter(s -> s != null).forEach(s -> stopping.add(stopInBackground(s)));
        sessions.clear();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Thread stopInBackground(AcpSession session) {
        stopping.removeIf(t -> !t.isAlive());
        Thread t = DaemonThreads.named("agentchannels-acp-stop").newThread(session::stop);
        t.start();
        return t;
    }
}
