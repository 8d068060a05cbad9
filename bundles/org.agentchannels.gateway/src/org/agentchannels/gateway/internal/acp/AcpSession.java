package org.agentchannels.gateway.internal.acp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.Manifest;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.gateway.agent.Agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One gateway session's ACP agent: its own process (so one agent's crash touches no other session), started
 * with {@code initialize} (protocol version 1, no {@code terminal} offered, and {@code fs} only when the gateway
 * was told to offer it: by default the agent uses its own tools on its own host) and a session in the session's
 * directory; then one {@code session/prompt} per turn. What the agent streams goes to the running turn through
 * {@link AcpTurn}; its {@code fs/*} requests, when offered, are answered by {@link AcpFiles} within the session's
 * directory, one at a time on a thread of their own (never on the reader's), and refused otherwise.
 *
 * <p>The agent's session is reopened when the gateway session had one before (a gateway restarted, an agent
 * that crashed): {@code session/load} when the agent can load sessions, else {@code session/resume} when it can
 * resume them, else (or when that fails) a new one, which no longer remembers the earlier turns. What a load
 * replays of them is dropped, whether it comes before or after its answer: the transcript has those rows.
 */
public final class AcpSession implements AcpChannel.Handler {

    /** What a session's agent tells the one that started it. Called on the agent's threads; must not block. */
    public interface Listener {
        /**
         * The agent's session is open, with {@code id}.
         *
         * @param forgot it is a new one that replaced the session the agent had: the earlier turns are not in it
         */
        void opened(String id, boolean forgot);

        /** The agent needs signing in: what to do there, as it says it; empty when it says nothing. */
        void signInNeeded(String hint);

        /** A prompt was answered: whatever sign-in it needed is done. */
        void answered();

        /** Its start is over, whether it succeeded or not. */
        void startEnded();
    }

    /**
     * An extension request (ACP reserves names starting with an underscore) sent after a load's answer, before
     * the session counts as ready: every agent answers it, with an error when it does not know it, and one that
     * takes its requests in turn answers it only after what it wrote before. So the replay of an agent that
     * sends it after the load's answer is over before a prompt's turn can take what the agent streams. (Agents
     * that take requests at once, like OpenCode, replay before they answer the load.)
     */
    static final String SYNC_METHOD = "_agentchannels/sync";


    /**
     * Where the updates that belong to the session rather than to a turn go, whenever they come (OpenCode offers
     * its commands right after {@code session/new}, before any prompt). Called on the agent's reader thread.
     */
    public interface SessionUpdates {
        SessionUpdates NONE = new SessionUpdates() {
            @Override
            public void commands(List<SlashCommand> commands) {
            }

            @Override
            public void title(String title) {
            }
        };

        /** {@code available_commands_update}: the commands the agent offers now. */
        void commands(List<SlashCommand> commands);

        /** {@code session_info_update} with a {@code title}. */
        void title(String title);
    }

    public static final int PROTOCOL_VERSION = 1;
    /** The gateway bundle's version, as {@code clientInfo} says it. */
    static final String CLIENT_VERSION = bundleVersion();
    /** A cancelled turn the agent does not answer is ended by us after this long. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(10);
    static final Duration STOP_GRACE = Duration.ofSeconds(2);

    /** The most {@code fs/*} requests that wait for the one being answered; more are refused, not queued. */
    static final int MAX_WAITING_FILE_REQUESTS = 4;

    private static final System.Logger LOG = System.getLogger(AcpSession.class.getName());

    private final String label;
    private final AgentProcess process;
    private final AcpChannel channel;
    private final Listener listener;
    private final String earlierSessionId;
    private final CompletableFuture<String> ready;
    /** The sign-in methods {@code initialize} offered, for what to do when the agent needs sign-in. */
    private volatile List<JsonObject> authMethods = List.of();
    /** Whether the agent takes files as resources in a prompt ({@code promptCapabilities.embeddedContext}). */
    private volatile boolean embeddedContext;
    private final Path cwd;
    private final SessionUpdates updates;
    /** The session's files when {@code fs} is offered; else null. */
    private final AcpFiles files;
    /** Where {@code fs/*} requests are answered, when offered: one at a time, at most a few waiting. */
    private final ThreadPoolExecutor fileWork;
    /** The agent's session once open: the one {@code fs/*} requests must name. */
    private volatile String openId = "";
    private volatile AcpTurn turn;
    private volatile boolean ended;
    /** The last prompt's answer: ACP runs one prompt at a time, so the next waits for it (a while). */
    private volatile CompletableFuture<?> previousPrompt = CompletableFuture.completedFuture(null);

    /** The agent's session once open: its id, and whether it replaced one the agent had. */
    private record Opened(String id, boolean forgot) {
    }

    private AcpSession(String label, AgentProcess process, Path cwd, boolean offerFiles, Duration startTimeout,
            String earlierSessionId, boolean reopening, Listener listener, SessionUpdates updates) {
        this.label = label;
        this.cwd = cwd;
        this.files = offerFiles ? new AcpFiles(cwd, AcpFiles.MAX_FILE_BYTES) : null;
        this.fileWork = offerFiles ? fileWorker(label) : null;
        this.process = process;
        this.listener = listener;
        this.updates = updates;
        this.earlierSessionId = earlierSessionId;
        this.channel = new AcpChannel(process.stdout(), process.stdin(), this, label);
        channel.start();
        // no turn exists until this is done, so nothing the agent streams meanwhile (a load's replay) reaches one
        this.ready = channel.call("initialize", initializeParams(offerFiles))
                .thenCompose(init -> {
                    authMethods = Json.objects(init, "authMethods");
                    embeddedContext = Json.flag(Json.object(Json.object(init, "agentCapabilities"), "promptCapabilities"),
                            "embeddedContext");
                    return open(Json.object(init, "agentCapabilities"), cwd, reopening);
                })
                .thenApply(opened -> {
                    openId = opened.id();
                    listener.opened(opened.id(), opened.forgot());
                    return opened.id();
                })
                .orTimeout(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ready.whenComplete((id, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (isAuthRequired(cause)) {
                    listener.signInNeeded(signInHint(cause));
                }
                // an agent that cannot start a session is of no use; the next prompt starts another. The stop
                // waits for it to exit: not on the thread that completed this
                DaemonThreads.named("agentchannels-acp-stop").newThread(this::stop).start();
            }
            listener.startEnded();
        });
    }

    /**
     * Starts the agent program for a session.
     *
     * @param offerFiles whether {@code fs} is offered to the agent, confined to {@code cwd}
     * @param earlierSessionId the agent's session this gateway session had, to reopen; empty for none
     * @param reopening the gateway session had turns with an agent before (a new agent session forgets them)
     * @param updates where the session's commands and title go
     * @throws IOException when the program cannot be started
     */
    public static AcpSession start(String label, List<String> command, Map<String, String> environment, Path cwd,
            boolean offerFiles, Duration startTimeout, Consumer<Process> started, String earlierSessionId,
            boolean reopening, Listener listener, SessionUpdates updates) throws IOException {
        return new AcpSession(label, AgentProcess.start(command, cwd, environment, started), cwd, offerFiles,
                startTimeout, earlierSessionId, reopening, listener, updates);
    }

    private static ThreadPoolExecutor fileWorker(String label) {
        ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING_FILE_REQUESTS), DaemonThreads.named("agentchannels-acp-fs-" + label));
        worker.allowCoreThreadTimeOut(true);
        return worker;
    }

    /**
     * The agent's session: the earlier one reopened with {@code session/load} or {@code session/resume} when the
     * agent offers either, else a new one. A reopening that fails (the agent no longer has it) gives a new one
     * too, unless the agent needs signing in first.
     */
    private CompletableFuture<Opened> open(JsonObject capabilities, Path cwd, boolean reopening) {
        if (!earlierSessionId.isEmpty() && Json.flag(capabilities, "loadSession")) {
            CompletableFuture<Opened> loaded = channel.call("session/load", reopenParams(earlierSessionId, cwd))
                    .thenCompose(answer -> channel.call(SYNC_METHOD, new JsonObject()).handle((r, e) -> answer))
                    .thenApply(answer -> new Opened(earlierSessionId, false));
            return loaded.exceptionallyCompose(e -> newAfterFailedReopening("session/load", e, cwd));
        }
        if (!earlierSessionId.isEmpty() && Json.object(capabilities, "sessionCapabilities").has("resume")) {
            CompletableFuture<Opened> resumed = channel.call("session/resume", reopenParams(earlierSessionId, cwd))
                    .thenApply(answer -> new Opened(earlierSessionId, false));
            return resumed.exceptionallyCompose(e -> newAfterFailedReopening("session/resume", e, cwd));
        }
        return newSession(cwd, reopening);
    }

    private CompletableFuture<Opened> newAfterFailedReopening(String method, Throwable failure, Path cwd) {
        Throwable cause = unwrap(failure);
        if (isAuthRequired(cause) || cause instanceof AcpChannel.ChannelClosed) {
            return CompletableFuture.failedFuture(cause);
        }
        LOG.log(System.Logger.Level.WARNING, label + ": " + method + " failed (" + describe(cause)
                + "); the session goes on in a new agent session, without the earlier turns");
        return newSession(cwd, true);
    }

    private CompletableFuture<Opened> newSession(Path cwd, boolean forgot) {
        return channel.call("session/new", newSessionParams(cwd)).thenApply(created -> {
            String id = Json.text(created, "sessionId");
            if (id.isEmpty()) {
                throw new CompletionException(new AcpChannel.AcpError(0, "session/new answered no sessionId"));
            }
            return new Opened(id, forgot);
        });
    }

    /** Whether prompts can still go to this agent; false once it has stopped or failed to start. */
    public boolean usable() {
        return !ended && !channel.isClosed() && !ready.isCompletedExceptionally();
    }

    /** Whether its {@code initialize} and session set-up still run. */
    public boolean isStarting() {
        return !ready.isDone();
    }

    /**
     * Whether a failure is the agent saying it needs signing in: ACP's {@code auth_required} (-32000), or an
     * error of another code whose message says so.
     */
    static boolean isAuthRequired(Throwable failure) {
        if (!(failure instanceof AcpChannel.AcpError e)) {
            return false;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e.code() == -32000 || message.contains("auth") || message.contains("sign in")
                || message.contains("sign-in") || message.contains("log in");
    }

    /**
     * What to do to sign the agent in, as it says it: the sign-in methods {@code initialize} offered (each one's
     * description, else its name), else the message of its error; empty when it says nothing.
     */
    String signInHint(Throwable failure) {
        List<String> ways = new ArrayList<>();
        for (JsonObject method : authMethods) {
            String description = Json.text(method, "description").strip();
            String name = Json.text(method, "name").strip();
            String way = description.isEmpty() ? name : description;
            if (!way.isEmpty()) {
                ways.add(way);
            }
        }
        if (!ways.isEmpty()) {
            return String.join("; or ", ways);
        }
        return failure == null ? "" : String.valueOf(failure.getMessage()).strip();
    }

    private static String describe(Throwable cause) {
        return cause instanceof AcpChannel.AcpError e ? e.code() + " " + e.getMessage() : cause.getClass().getSimpleName();
    }

    /** Sends one prompt; the turn reports through {@code sink}. */
    public Agent.Turn prompt(String text, Agent.Sink sink) {
        AcpTurn t = new AcpTurn(this, sink);
        // a cancelled prompt the agent never answered holds the next one back by one more grace period at most
        CompletableFuture<?> before = previousPrompt.copy().completeOnTimeout(null, CANCEL_GRACE.toMillis(),
                TimeUnit.MILLISECONDS);
        CompletableFuture<JsonObject> call = ready.thenCombine(before.handle((r, e) -> null), (id, ignored) -> id)
                .thenCompose(id -> {
                    if (t.interrupted()) {
                        return CompletableFuture.completedFuture((JsonObject) null);
                    }
                    // what the agent says from now on is this prompt's; the prompt is queued before any cancel
                    turn = t;
                    CompletableFuture<JsonObject> answer = channel.call("session/prompt", promptParams(id, PromptBlocks.of(text, embeddedContext, cwd)));
                    t.sent(id);
                    return answer;
                });
        previousPrompt = call;
        call.whenComplete((result, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (isAuthRequired(cause) && ready.isDone() && !ready.isCompletedExceptionally()) {
                    listener.signInNeeded(signInHint(cause)); // the start reported its own
                }
                t.failed(cause, cause instanceof AcpChannel.ChannelClosed ? process.stderrTailAfterExit() : "");
            } else if (result == null) {
                t.end(Agent.Result.interrupted());
            } else {
                listener.answered();
                t.answered(result);
            }
        });
        return t::interrupt;
    }

    void cancel(String acpSessionId) {
        JsonObject params = new JsonObject();
        params.addProperty("sessionId", acpSessionId);
        channel.notify("session/cancel", params);
    }

    void respond(JsonElement id, JsonElement result) {
        channel.respond(id, result);
    }

    void turnOver(AcpTurn t) {
        if (turn == t) {
            turn = null;
        }
    }

    /** Stops the agent: its input closed, a grace period, then killed with what it started. Blocks up to 2 s. */
    public void stop() {
        ended = true;
        stopFileWork();
        process.stop(STOP_GRACE, channel::close);
    }

    private void stopFileWork() {
        if (fileWork != null) {
            fileWork.shutdownNow(); // a write cut short leaves its temporary file removed and the target as it was
        }
    }

    @Override
    public void notification(String method, JsonObject params) {
        if (!"session/update".equals(method)) {
            return;
        }
        JsonObject update = Json.object(params, "update");
        if (sessionUpdate(update)) {
            return;
        }
        AcpTurn t = turn;
        if (t != null) {
            t.update(update);
        }
    }

    /** The kinds of update that belong to the session, in a turn or not. @return whether it was one */
    private boolean sessionUpdate(JsonObject update) {
        switch (Json.text(update, "sessionUpdate")) {
            case "available_commands_update" -> updates.commands(SlashCommand.listFrom(update, "availableCommands"));
            case "session_info_update" -> {
                if (update.has("title")) { // a title of null clears the agent's title: the session keeps its own
                    updates.title(Json.text(update, "title"));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void request(JsonElement id, String method, JsonObject params) {
        AcpTurn t = turn;
        if ("session/request_permission".equals(method)) {
            if (t == null) {
                channel.respond(id, AcpTurn.cancelledOutcome());
            } else {
                t.permission(id, params);
            }
        } else if (AcpFiles.handles(method)) {
            if (files == null) {
                refuse(id, method, new AcpFiles.Refused(-32601, "method not found: " + method
                        + " (this gateway does not offer fs to agents)"));
            } else {
                serveFile(id, method, params);
            }
        } else {
            // terminal/* was not offered; anything else is unknown to a v1 client
            channel.respondError(id, -32601, "method not found: " + method);
        }
    }

    /** An {@code fs/*} request, answered on the file thread: the reader goes on meanwhile. */
    private void serveFile(JsonElement id, String method, JsonObject params) {
        try {
            fileWork.execute(() -> {
                try {
                    JsonObject result = files.answer(method, openId, params);
                    if (!channel.respondWithin(id, result, AcpChannel.MAX_LINE_BYTES)) {
                        refuse(id, method, new AcpFiles.Refused(AcpFiles.INVALID_PARAMS, "the text of "
                                + AcpFiles.shown(params) + " is over " + (AcpChannel.MAX_LINE_BYTES >> 20)
                                + " MiB once written as JSON; read it in parts (line and limit)"));
                    }
                } catch (AcpFiles.Refused r) {
                    refuse(id, method, r);
                } catch (RuntimeException e) {
                    refuse(id, method, new AcpFiles.Refused(AcpFiles.INTERNAL_ERROR, AcpFiles.shown(params)
                            + " could not be used: " + e.getClass().getSimpleName()));
                }
            });
        } catch (RejectedExecutionException e) {
            refuse(id, method, new AcpFiles.Refused(AcpFiles.INTERNAL_ERROR, "too many file requests at once ("
                    + AcpFiles.shown(params) + "); ask again once the others are answered"));
        }
    }

    /** A refused {@code fs/*} request: one warning, and its error to the agent. */
    private void refuse(JsonElement id, String method, AcpFiles.Refused refused) {
        LOG.log(System.Logger.Level.WARNING, label + ": refused the agent's " + method + ": " + refused.getMessage());
        channel.respondError(id, refused.code(), refused.getMessage());
    }

    @Override
    public void malformed(String problem) {
        LOG.log(System.Logger.Level.WARNING, label + ": " + problem);
    }

    /** The agent's output ended: the pending calls have failed, and with them the running turn. */
    @Override
    public void closed() {
        ended = true;
        stopFileWork();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static JsonObject initializeParams(boolean offerFiles) {
        JsonObject fs = new JsonObject();
        fs.addProperty("readTextFile", offerFiles);
        fs.addProperty("writeTextFile", offerFiles);
        JsonObject capabilities = new JsonObject();
        capabilities.add("fs", fs);
        capabilities.addProperty("terminal", false);
        JsonObject info = new JsonObject();
        info.addProperty("name", "agentchannels-gateway");
        info.addProperty("title", "Agent Channels gateway");
        info.addProperty("version", CLIENT_VERSION); // required by some agents (OpenCode refuses initialize without)
        JsonObject params = new JsonObject();
        params.addProperty("protocolVersion", PROTOCOL_VERSION);
        params.add("clientCapabilities", capabilities);
        params.add("clientInfo", info);
        return params;
    }

    /** {@code Bundle-Version} of the manifest beside this class, in a jar or an OSGi bundle; "0" if unreadable. */
    private static String bundleVersion() {
        URL self = AcpSession.class.getResource("AcpSession.class");
        String location = self == null ? "" : self.toString();
        int root = location.indexOf(AcpSession.class.getName().replace('.', '/'));
        if (root < 0) {
            return "0";
        }
        try (InputStream in = URI.create(location.substring(0, root) + "META-INF/MANIFEST.MF").toURL().openStream()) {
            String version = new Manifest(in).getMainAttributes().getValue("Bundle-Version");
            return version == null ? "0" : version;
        } catch (IOException | IllegalArgumentException e) {
            return "0";
        }
    }

    /** {@code session/load} and {@code session/resume}: the agent's session, where it works, no MCP servers. */
    private static JsonObject reopenParams(String acpSessionId, Path cwd) {
        JsonObject params = newSessionParams(cwd);
        params.addProperty("sessionId", acpSessionId);
        return params;
    }

    private static JsonObject newSessionParams(Path cwd) {
        JsonObject params = new JsonObject();
        params.addProperty("cwd", cwd.toAbsolutePath().toString());
        params.add("mcpServers", new JsonArray());
        return params;
    }

    private static JsonObject promptParams(String acpSessionId, JsonArray prompt) {
        JsonObject params = new JsonObject();
        params.addProperty("sessionId", acpSessionId);
        params.add("prompt", prompt);
        return params;
    }
}
