package org.agentchannels.gateway.internal.acp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.gateway.agent.Agent;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One {@code session/prompt} and what the agent streams for it: answer and reasoning chunks, tool calls (one
 * row per call id), permission requests put to every attached device. It ends exactly once: with the
 * prompt's {@code stopReason}, with the agent's error, when the agent dies, or when it is interrupted.
 */
final class AcpTurn {

    private final AcpSession session;
    private final Agent.Sink sink;
    private final AtomicBoolean over = new AtomicBoolean();
    private static final int MAX_TOOL_CALLS_REMEMBERED = 2000;

    private final Set<String> tools = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<String>> asks = new ArrayList<>();
    private volatile boolean interrupted;
    private volatile String acpSessionId;
    private volatile JsonObject usage;

    AcpTurn(AcpSession session, Agent.Sink sink) {
        this.session = session;
        this.sink = sink;
    }

    boolean interrupted() {
        return interrupted;
    }

    /** The prompt is about to go to the agent's session {@code id}. */
    void sent(String id) {
        acpSessionId = id;
        if (interrupted) {
            session.cancel(id); // interrupted between the check and the send: the agent hears of it too
        }
    }

    void interrupt() {
        interrupted = true;
        String id = acpSessionId;
        if (id == null) {
            end(Agent.Result.interrupted()); // not yet sent: nothing reaches the agent
            return;
        }
        // the cancel first: an agent told of a cancelled permission before it hears of the cancel takes it for a
        // rejection and ends the turn as done (OpenCode does)
        session.cancel(id);
        cancelAsks();
        // the agent answers the prompt "cancelled"; one that never does is not waited for forever
        CompletableFuture.delayedExecutor(AcpSession.CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> end(Agent.Result.interrupted()));
    }

    void answered(JsonObject result) {
        if (Json.object(result, "usage").size() > 0) {
            usage = Json.object(result, "usage");
        }
        String stop = Json.text(result, "stopReason");
        end(switch (stop) {
            // an agent that finished as it heard of the interrupt still ended a turn the person stopped
            case "end_turn" -> interrupted ? Agent.Result.interrupted() : Agent.Result.complete(usage);
            case "cancelled" -> Agent.Result.interrupted();
            case "refusal" -> Agent.Result.error("the agent refused to go on with this prompt");
            case "max_tokens" -> Agent.Result.error("the agent stopped: the model's token limit was reached");
            case "max_turn_requests" -> Agent.Result.error("the agent stopped: it made too many model requests in one turn");
            default -> interrupted ? Agent.Result.interrupted()
                    : Agent.Result.error("the agent ended the turn with an unknown reason '" + stop + "'");
        });
    }

    void failed(Throwable failure, String stderrTail) {
        if (interrupted) {
            end(Agent.Result.interrupted());
            return;
        }
        String why;
        if (failure instanceof AcpChannel.ChannelClosed) {
            why = stderrTail.isEmpty() ? "the agent stopped" : "the agent stopped: " + lastLines(stderrTail, 5);
        } else if (AcpSession.isAuthRequired(failure)) {
            String hint = session.signInHint(failure);
            why = "the agent needs sign-in on the gateway's device" + (hint.isEmpty() ? "" : ": " + hint);
        } else if (failure instanceof AcpChannel.AcpError e) {
            why = "the agent answered an error: " + e.getMessage();
        } else if (failure instanceof TimeoutException) {
            why = "the agent did not start in time (no answer to initialize and session/new)";
        } else {
            why = "the agent failed: " + failure.getClass().getSimpleName();
        }
        end(Agent.Result.error(why));
    }

    void end(Agent.Result result) {
        if (over.compareAndSet(false, true)) {
            cancelAsks();
            session.turnOver(this);
            sink.complete(result);
        }
    }

    /** One {@code session/update} of this turn's session. */
    void update(JsonObject update) {
        if (over.get()) {
            return;
        }
        switch (Json.text(update, "sessionUpdate")) {
            case "agent_message_chunk" -> sink.delta(contentText(Json.object(update, "content")));
            case "agent_thought_chunk" -> sink.reasoning(contentText(Json.object(update, "content")));
            case "tool_call", "tool_call_update" -> toolRow(update);
            case "usage_update" -> usage = update;
            default -> {
                // plans, commands, modes and kinds yet unknown are not shown yet; they never break the stream
            }
        }
    }

    /** {@code session/request_permission}: asked of every attached device; the first answer goes back. */
    void permission(JsonElement id, JsonObject params) {
        JsonObject call = Json.object(params, "toolCall");
        toolRow(call);
        List<JsonObject> options = Json.objects(params, "options");
        List<String> names = options.stream().map(AcpTurn::optionName).toList();
        String title = Json.text(call, "title");
        if (over.get()) {
            session.respond(id, cancelledOutcome());
            return;
        }
        // asked outside this turn's lock: the sink takes the session's, which an interrupt holds while it takes ours
        CompletableFuture<String> answer = sink.ask(InputRequest.Kind.APPROVAL,
                title.isEmpty() ? "The agent asks to go on" : title, names);
        boolean kept;
        synchronized (asks) {
            kept = !over.get();
            if (kept) {
                asks.add(answer);
            }
        }
        if (!kept) {
            answer.cancel(false);
        }
        answer.whenComplete((choice, failure) -> {
            JsonObject chosen = choice == null ? null : chosenOption(options, choice);
            session.respond(id, chosen == null ? cancelledOutcome() : selectedOutcome(Json.text(chosen, "optionId")));
        });
    }

    static JsonObject cancelledOutcome() {
        JsonObject outcome = new JsonObject();
        outcome.addProperty("outcome", "cancelled");
        JsonObject result = new JsonObject();
        result.add("outcome", outcome);
        return result;
    }

    private static JsonObject selectedOutcome(String optionId) {
        JsonObject outcome = new JsonObject();
        outcome.addProperty("outcome", "selected");
        outcome.addProperty("optionId", optionId);
        JsonObject result = new JsonObject();
        result.add("outcome", outcome);
        return result;
    }

    /**
     * The option a device chose: by its name or id as offered, or by the Hermes approval words clients already
     * send ({@code once}, {@code session}/{@code always}, {@code deny}) mapped to the option of that kind.
     */
    static JsonObject chosenOption(List<JsonObject> options, String choice) {
        for (JsonObject o : options) {
            if (choice.equals(optionName(o)) || choice.equals(Json.text(o, "optionId"))) {
                return o;
            }
        }
        String kind = switch (choice.toLowerCase(Locale.ROOT)) {
            case "once" -> "allow_once";
            case "session", "always" -> "allow_always";
            case "deny" -> "reject_once";
            default -> "";
        };
        return options.stream().filter(o -> Json.text(o, "kind").equals(kind)).findFirst().orElse(null);
    }

    private static String optionName(JsonObject option) {
        String name = Json.text(option, "name");
        return name.isEmpty() ? Json.text(option, "optionId") : name;
    }

    private void cancelAsks() {
        List<CompletableFuture<String>> waiting;
        synchronized (asks) {
            waiting = List.copyOf(asks);
            asks.clear();
        }
        waiting.forEach(a -> a.cancel(false)); // outside the lock: their answers go to the agent's queue
    }

    /** The first time a tool call id is seen, it becomes a tool row: its title, and its kind and place. */
    private void toolRow(JsonObject call) {
        String id = Json.text(call, "toolCallId");
        String title = Json.text(call, "title");
        // the ids kept to show each call once stop growing where the gateway stops showing rows
        if (id.isEmpty() || title.isEmpty() || tools.size() >= MAX_TOOL_CALLS_REMEMBERED || !tools.add(id)) {
            return;
        }
        List<String> places = Json.objects(call, "locations").stream().map(l -> Json.text(l, "path"))
                .filter(p -> !p.isEmpty()).toList();
        String kind = Json.text(call, "kind");
        String context = places.isEmpty() ? kind : (kind.isEmpty() ? "" : kind + ": ") + String.join(", ", places);
        sink.tool(title, context);
    }

    private static String contentText(JsonObject content) {
        return switch (Json.text(content, "type")) {
            case "text" -> Json.text(content, "text");
            case "resource_link" -> Json.text(content, "uri");
            default -> "";
        };
    }

    private static String lastLines(String text, int count) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - count);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
    }
}
