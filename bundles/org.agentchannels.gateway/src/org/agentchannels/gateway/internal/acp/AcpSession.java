package org.agentchannels.gateway.internal.acp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * with {@code initialize} (protocol version 1, no {@code fs} or {@code terminal} offered: the agent uses its own
 * tools on its own host) and {@code session/new} in the session's directory; then one {@code session/prompt}
 * per turn. What the agent streams goes to the running turn through {@link AcpTurn}.
 */
public final class AcpSession implements AcpChannel.Handler {

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

    private static final System.Logger LOG = System.getLogger(AcpSession.class.getName());

    private final String label;
    private final AgentProcess process;
    private final AcpChannel channel;
    private final CompletableFuture<String> ready;
    private final SessionUpdates updates;
    private volatile AcpTurn turn;
    private volatile boolean ended;
    /** The last prompt's answer: ACP runs one prompt at a time, so the next waits for it (a while). */
    private volatile CompletableFuture<?> previousPrompt = CompletableFuture.completedFuture(null);

    private AcpSession(String label, AgentProcess process, Path cwd, Duration startTimeout, SessionUpdates updates) {
        this.label = label;
        this.process = process;
        this.updates = updates;
        this.channel = new AcpChannel(process.stdout(), process.stdin(), this, label);
        channel.start();
        this.ready = channel.call("initialize", initializeParams())
                .thenCompose(init -> channel.call("session/new", newSessionParams(cwd)))
                .thenApply(created -> Json.text(created, "sessionId"))
                .thenApply(id -> {
                    if (id.isEmpty()) {
                        throw new CompletionException(new AcpChannel.AcpError(0, "session/new answered no sessionId"));
                    }
                    return id;
                })
                .orTimeout(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ready.whenComplete((id, failure) -> {
            if (failure != null) {
                // an agent that cannot start a session is of no use; the next prompt starts another. The stop
                // waits for it to exit: not on the thread that completed this
                DaemonThreads.named("agentchannels-acp-stop").newThread(this::stop).start();
            }
        });
    }

    /**
     * Starts the agent program for a session.
     *
     * @param updates where the session's commands and title go
     * @throws IOException when the program cannot be started
     */
    public static AcpSession start(String label, List<String> command, Map<String, String> environment, Path cwd,
            Duration startTimeout, Consumer<Process> started, SessionUpdates updates) throws IOException {
        return new AcpSession(label, AgentProcess.start(command, cwd, environment, started), cwd, startTimeout, updates);
    }

    /** Whether prompts can still go to this agent; false once it has stopped or failed to start. */
    public boolean usable() {
        return !ended && !channel.isClosed() && !ready.isCompletedExceptionally();
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
                    CompletableFuture<JsonObject> answer = channel.call("session/prompt", promptParams(id, text));
                    t.sent(id);
                    return answer;
                });
        previousPrompt = call;
        call.whenComplete((result, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                t.failed(cause, cause instanceof AcpChannel.ChannelClosed ? process.stderrTailAfterExit() : "");
            } else if (result == null) {
                t.end(Agent.Result.interrupted());
            } else {
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
        process.stop(STOP_GRACE, channel::close);
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
        } else {
            // fs/* and terminal/* were not offered; anything else is unknown to a v1 client
            channel.respondError(id, -32601, "method not found: " + method);
        }
    }

    @Override
    public void malformed(String problem) {
        LOG.log(System.Logger.Level.WARNING, label + ": " + problem);
    }

    /** The agent's output ended: the pending calls have failed, and with them the running turn. */
    @Override
    public void closed() {
        ended = true;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static JsonObject initializeParams() {
        JsonObject fs = new JsonObject();
        fs.addProperty("readTextFile", false);
        fs.addProperty("writeTextFile", false);
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

    private static JsonObject newSessionParams(Path cwd) {
        JsonObject params = new JsonObject();
        params.addProperty("cwd", cwd.toAbsolutePath().toString());
        params.add("mcpServers", new JsonArray());
        return params;
    }

    private static JsonObject promptParams(String acpSessionId, String text) {
        JsonObject block = new JsonObject();
        block.addProperty("type", "text");
        block.addProperty("text", text);
        JsonArray prompt = new JsonArray();
        prompt.add(block);
        JsonObject params = new JsonObject();
        params.addProperty("sessionId", acpSessionId);
        params.add("prompt", prompt);
        return params;
    }
}
