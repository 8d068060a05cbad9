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
    private final Map<String, AcpSession> sessions = new ConcurrentHashMap<>();
    /** Each session's directory, kept while it lives so that an agent started again works where it did. */
    private final Map<String, Path> directories = new ConcurrentHashMap<>();
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
        this.started = started;
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
    public void sessionStarted(String sessionId, Path directory) {
        if (directory != null) {
            directories.put(sessionId, directory);
        }
        try {
            sessionFor(sessionId);
        } catch (IOException e) {
            // the first prompt starts it again and reports why it cannot
        }
    }

    private synchronized AcpSession sessionFor(String sessionId) throws IOException {
        AcpSession current = sessions.get(sessionId);
        if (current != null && current.usable()) {
            return current;
        }
        if (current != null) {
            stopping.add(stopInBackground(current)); // one that broke may still run: it goes before another starts
        }
        Path directory = directories.get(sessionId);
        if (directory == null) {
            directory = Files.createDirectories(cwd);
        }
        AcpSession session = AcpSession.start(label, command, environment, directory, startTimeout, started,
                sessionUpdates(sessionId));
        sessions.put(sessionId, session);
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
        directories.remove(sessionId);
        AcpSession session = sessions.remove(sessionId);
        if (session != null) {
            stopping.add(stopInBackground(session)); // the stop waits for the agent to exit: not on this thread
        }
    }

    /** Stops every agent and waits for them all, those of sessions ended earlier too. */
    @Override
    public void close() {
        sessions.values().forEach(s -> stopping.add(stopInBackground(s)));
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
