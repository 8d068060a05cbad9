package org.agentchannels.gateway.internal.acp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agentchannels.core.DisplayText;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.internal.ToolCalls;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One {@code session/prompt} and what the agent streams for it: answer and reasoning chunks, tool calls (one
 * row per call id, updated in place: {@code tool_call_update} carries only what changed, so each call's state is
 * kept here and merged), the plan, usage, permission requests put to every attached device, and a note for any
 * other kind of update. It ends exactly once: with the prompt's {@code stopReason}, with the agent's error, when
 * the agent dies, or when it is interrupted.
 */
final class AcpTurn {

    private final AcpSession session;
    private final Agent.Sink sink;
    private final AtomicBoolean over = new AtomicBoolean();
    private static final int MAX_TOOL_CALLS_REMEMBERED = 2000;
    /** The most one call's detail keeps, so that its row always fits a frame whatever JSON makes of it. */
    static final int MAX_CALL_CHARS = 1024 * 1024;
    /** The most the calls of one turn hold here together; a call past it keeps less detail. */
    static final long MAX_HELD_CHARS = 16L * 1024 * 1024;
    /** Tool call ids longer than this are no agent's: such a call is not shown. */
    private static final int MAX_TOOL_ID = 256;
    /** The most kinds of update a turn notes as unknown. */
    private static final int MAX_NOTED_KINDS = 16;
    private static final int MAX_USAGE_FIELDS = 32;

    /** What the turn knows of one tool call, merged from all the agent said of it. */
    private record ToolState(String title, String status, ToolCall call) {
    }

    /** Each call's state by its id, so an update that says only what changed can be merged; guarded by itself. */
    private final Map<String, ToolState> tools = new HashMap<>();
    private long heldChars;
    private final Set<String> notedKinds = new HashSet<>();
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
            synchronized (this) {
                usage = merged(usage, Json.object(result, "usage"));
            }
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

    /**
     * One {@code session/update} of this turn's session (the session's own kinds, its commands and title, went
     * to the session before).
     */
    void update(JsonObject update) {
        if (over.get()) {
            return;
        }
        String kind = Json.text(update, "sessionUpdate");
        switch (kind) {
            case "agent_message_chunk" -> sink.delta(contentText(Json.object(update, "content")));
            case "agent_thought_chunk" -> sink.reasoning(contentText(Json.object(update, "content")));
            case "tool_call", "tool_call_update" -> toolRow(update);
            case "plan" -> sink.plan(PlanEntry.listFrom(update));
            case "usage_update" -> usageUpdate(update);
            case "user_message_chunk" -> {
                // the agent echoing the prompt of this turn: its user row is already there
            }
            default -> noteUnknown(kind);
        }
    }

    /** The context window as the agent reports it ({@code used}, {@code size}, {@code cost}), for the turn's usage. */
    private synchronized void usageUpdate(JsonObject update) {
        JsonObject u = new JsonObject();
        update.entrySet().stream().filter(e -> !e.getKey().equals("sessionUpdate")).forEach(e -> u.add(e.getKey(), e.getValue()));
        usage = merged(usage, u);
    }

    /**
     * {@code into} with the numbers and short words of {@code more} (one level down too: a cost's amount and
     * currency): usage goes into the turn's end for every viewer, so nothing else of what an agent sends there.
     */
    private static JsonObject merged(JsonObject into, JsonObject more) {
        JsonObject out = into == null ? new JsonObject() : into;
        for (Map.Entry<String, JsonElement> e : more.entrySet()) {
            if (out.size() >= MAX_USAGE_FIELDS) {
                break;
            }
            if (isSmall(e.getValue())) {
                out.add(e.getKey(), e.getValue().deepCopy());
            } else if (e.getValue() instanceof JsonObject nested) {
                JsonObject kept = new JsonObject();
                nested.entrySet().stream().filter(n -> isSmall(n.getValue())).limit(MAX_USAGE_FIELDS)
                        .forEach(n -> kept.add(n.getKey(), n.getValue().deepCopy()));
                out.add(e.getKey(), kept);
            }
        }
        return out;
    }

    private static boolean isSmall(JsonElement value) {
        return value instanceof JsonPrimitive p && (!p.isString() || p.getAsString().length() <= 100);
    }

    /** A kind of update this gateway does not show: a note once per kind and turn, so the person knows. */
    private void noteUnknown(String kind) {
        String shown = DisplayText.oneLine(kind, 60);
        synchronized (notedKinds) {
            if (notedKinds.size() >= MAX_NOTED_KINDS || !notedKinds.add(shown)) {
                return;
            }
        }
        sink.note(shown.isEmpty() ? "The agent sent an update without a kind; it is not shown."
                : "The agent reported " + shown + ", which this gateway does not show.");
    }

    /** {@code session/request_permission}: asked of every attached device; the first answer goes back. */
    void permission(JsonElement id, JsonObject params) {
        JsonObject call = Json.object(params, "toolCall");
        toolRow(call);
        List<JsonObject> options = Json.objects(params, "options");
        List<String> names = options.stream().map(AcpTurn::optionName).toList();
        String title = Json.text(call, "title");
        if (title.isEmpty()) { // a request about a call the agent described before
            synchronized (tools) {
                ToolState known = tools.get(Json.text(call, "toolCallId"));
                title = known == null ? "" : known.title();
            }
        }
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

    /**
     * A tool call ({@code tool_call}, {@code tool_call_update}, or the {@code toolCall} of a permission request):
     * merged with what the turn knows of that id (each field it carries replaces the one before; {@code content}
     * replaces the text and the diffs together), and its row added or updated with the whole new state.
     */
    private void toolRow(JsonObject update) {
        String id = Json.text(update, "toolCallId");
        if (id.isEmpty() || id.length() > MAX_TOOL_ID) {
            return;
        }
        ToolState next;
        synchronized (tools) {
            ToolState before = tools.get(id);
            // the ids kept stop growing where the gateway stops showing rows
            if (before == null && tools.size() >= MAX_TOOL_CALLS_REMEMBERED) {
                return;
            }
            ToolCall was = before == null ? new ToolCall(id, "", "", List.of(), List.of(), false) : before.call();
            String title = update.has("title") ? DisplayText.oneLine(Json.text(update, "title"), TranscriptRow.MAX_TOOL_TITLE)
                    : before == null ? "" : before.title();
            String status = update.has("status") ? DisplayText.oneLine(Json.text(update, "status"), 20)
                    : before == null ? ToolCall.PENDING : before.status();
            String kind = update.has("kind") ? Json.text(update, "kind") : was.kind();
            String content = was.content();
            List<ToolCall.Diff> diffs = was.diffs();
            boolean truncated = was.truncated();
            if (update.has("content")) {
                List<String> texts = new ArrayList<>();
                diffs = new ArrayList<>();
                for (JsonObject c : Json.objects(update, "content")) {
                    switch (Json.text(c, "type")) {
                        case "content" -> texts.add(contentText(Json.object(c, "content")));
                        case "diff" -> diffs.add(new ToolCall.Diff(Json.text(c, "path"), Json.text(c, "oldText"),
                                Json.text(c, "newText")));
                        case "terminal" -> texts.add("[terminal " + DisplayText.oneLine(Json.text(c, "terminalId"), 100) + "]");
                        default -> {
                            // a kind of content this version does not know: left out
                        }
                    }
                }
                texts.removeIf(String::isEmpty);
                content = String.join("\n", texts);
                truncated = false;
            }
            List<ToolCall.Location> locations = was.locations();
            if (update.has("locations")) {
                locations = Json.objects(update, "locations").stream()
                        .map(l -> new ToolCall.Location(Json.text(l, "path"), (int) Math.min(Integer.MAX_VALUE,
                                Json.number(l, "line", 0))))
                        .filter(l -> !l.path().isEmpty()).toList();
            }
            long heldBefore = heldChars - (before == null ? 0 : before.call().chars());
            ToolCall call = ToolCalls.within(new ToolCall(id, kind, content, diffs, locations, truncated).bounded(),
                    Math.min(MAX_CALL_CHARS, Math.max(0, MAX_HELD_CHARS - heldBefore)));
            next = new ToolState(title, status, call);
            if (next.equals(before)) {
                return; // nothing changed: no update to send
            }
            heldChars = heldBefore + call.chars();
            tools.put(id, next);
        }
        String title = next.title().isEmpty() ? (next.call().kind().isEmpty() ? "tool call" : next.call().kind())
                : next.title();
        sink.tool(title, context(next.call()), next.status(), next.call());
    }

    /** A line of what a call works on, for clients that show no more than a tool row's context: its kind and places. */
    private static String context(ToolCall call) {
        List<String> places = call.locations().stream()
                .map(l -> l.line() > 0 ? l.path() + ":" + l.line() : l.path()).toList();
        String kind = call.kind();
        String context = places.isEmpty() ? kind : (kind.isEmpty() ? "" : kind + ": ") + String.join(", ", places);
        return DisplayText.oneLine(context, 1000);
    }

    private static String contentText(JsonObject content) {
        return switch (Json.text(content, "type")) {
            case "text" -> Json.text(content, "text");
            case "resource_link" -> Json.text(content, "uri");
            case "resource" -> Json.firstText(Json.object(content, "resource"), "text", "uri");
            default -> "";
        };
    }

    private static String lastLines(String text, int count) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - count);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
    }
}
