package org.agentchannels.core.protocol;

import java.util.List;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonObject;

/**
 * The events a chat client acts on (protocol notes, section 2), both ways: {@link GatewayEvents#parse} reads one
 * out of a {@link Frame.Event}, {@link #toJson()} writes its payload and {@link GatewayEvents#frame} the whole
 * event. Every other event type is an {@link Unknown}, passed through untouched.
 */
public sealed interface GatewayEvent {

    /** The event's {@code params.type}, one of {@link EventTypes}. */
    String type();

    /** The event's {@code payload}, exactly what {@link GatewayEvents#parse} reads back into an equal event. */
    JsonObject toJson();

    /**
     * The first frame of every connection. Which keys it carries tells the client which gateway line it
     * speaks (protocol notes, section 7).
     *
     * @param deviceName the gateway host's sanitised device name; empty when absent or unresolved
     * @param heartbeat the gateway wants {@code gateway.ping} every 15 s (newer Hermes line)
     * @param eventSeq events carry {@code seq} and attach accepts {@code since_seq} (our gateway)
     * @param submissionIds {@code prompt.submit} accepts an idempotent {@code submission_id} (our gateway)
     * @param queuesPrompts a prompt sent during a turn is queued rather than refused with 4009
     * @param replayEpoch changes whenever the gateway restarts: event numbers of another epoch are meaningless
     * @param agents the agents a new session may run (our gateway), the default first; empty: no choice offered
     * @param workspaces the directories on the gateway's machine a new session may work in (inside one of
     *        them), the default first; empty when the gateway offers none
     */
    /**
     * @param insecurePlaintext ours: the gateway listens off loopback in plain {@code ws://} because its owner
     *        said {@code --insecure-plaintext}, so its token crosses the network readable by anyone on the way
     */
    record GatewayReady(String deviceName, boolean heartbeat, boolean eventSeq, boolean submissionIds,
            boolean queuesPrompts, String replayEpoch, List<OfferedAgent> agents, List<String> workspaces,
            boolean insecurePlaintext) implements GatewayEvent {

        public static final String EVENT_SEQ = "event_seq";
        public static final String SUBMISSION_IDS = "submission_ids";
        public static final String QUEUES_PROMPTS = "queues_prompts";
        public static final String INSECURE_PLAINTEXT = "insecure_plaintext";
        /** The most workspace roots read from one frame. */
        public static final int MAX_WORKSPACES = 64;

        public GatewayReady {
            agents = agents == null ? List.of() : List.copyOf(agents);
            workspaces = workspaces == null ? List.of() : List.copyOf(workspaces);
        }

        /** A gateway that listens as it should: {@code wss://} off loopback, or on loopback only. */
        public GatewayReady(String deviceName, boolean heartbeat, boolean eventSeq, boolean submissionIds,
                boolean queuesPrompts, String replayEpoch, List<OfferedAgent> agents, List<String> workspaces) {
            this(deviceName, heartbeat, eventSeq, submissionIds, queuesPrompts, replayEpoch, agents, workspaces, false);
        }

        /** A gateway that offers no choice of agent or directory (every Hermes gateway). */
        public GatewayReady(String deviceName, boolean heartbeat, boolean eventSeq, boolean submissionIds,
                boolean queuesPrompts, String replayEpoch) {
            this(deviceName, heartbeat, eventSeq, submissionIds, queuesPrompts, replayEpoch, List.of(), List.of());
        }

        /** The agent a session gets when it names none: the first offered. */
        public java.util.Optional<OfferedAgent> defaultAgent() {
            return agents.stream().findFirst();
        }

        @Override
        public String type() {
            return EventTypes.GATEWAY_READY;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.add("skin", new JsonObject()); // Hermes clients expect one; ours has no theme to offer
            p.addProperty("device_name", deviceName);
            putTrue(p, "heartbeat", heartbeat);
            putTrue(p, EVENT_SEQ, eventSeq);
            putTrue(p, SUBMISSION_IDS, submissionIds);
            putTrue(p, QUEUES_PROMPTS, queuesPrompts);
            putTrue(p, INSECURE_PLAINTEXT, insecurePlaintext);
            if (!agents.isEmpty()) {
                p.add("agents", OfferedAgent.toJson(agents));
            }
            if (!workspaces.isEmpty()) {
                p.add("workspaces", Json.array(workspaces));
            }
            return Json.putText(p, "replay_epoch", replayEpoch);
        }

        private static void putTrue(JsonObject p, String key, boolean value) {
            if (value) {
                p.addProperty(key, true);
            }
        }
    }

    /**
     * A turn starts. Our gateway (and the newer Hermes line) names the prompt that started it; the June line
     * sends no payload, and every field is empty.
     */
    record MessageStart(String input, String senderDevice, String submissionId) implements GatewayEvent {
        public MessageStart {
            input = input == null ? "" : input;
            senderDevice = senderDevice == null ? "" : senderDevice;
            submissionId = submissionId == null ? "" : submissionId;
        }

        @Override
        public String type() {
            return EventTypes.MESSAGE_START;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            Json.putText(p, "input", input);
            Json.putText(p, "sender_device", senderDevice);
            return Json.putText(p, "submission_id", submissionId);
        }
    }

    record MessageDelta(String text) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.MESSAGE_DELTA;
        }

        @Override
        public JsonObject toJson() {
            return textPayload(text);
        }
    }

    record ReasoningDelta(String text) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.REASONING_DELTA;
        }

        @Override
        public JsonObject toJson() {
            return textPayload(text);
        }
    }

    /**
     * What a Hermes gateway's spinner says while the turn runs ({@code thinking.delta}): a transient status, shown
     * and replaced, never part of the transcript. Empty clears it. Each event is the whole status, not a delta.
     */
    record Spinner(String text) implements GatewayEvent {
        /** The most of a spinner's text kept: one short status line. */
        public static final int MAX_LENGTH = 120;

        public Spinner {
            text = DisplayText.oneLine(text == null ? "" : text, MAX_LENGTH);
        }

        @Override
        public String type() {
            return EventTypes.THINKING_DELTA;
        }

        @Override
        public JsonObject toJson() {
            return textPayload(text);
        }
    }

    /**
     * The end of a turn. {@code text} is authoritative: deltas can be coalesced or, on some transports, dropped.
     *
     * @param status {@code complete}, {@code error} or {@code interrupted}
     * @param error a readable reason when the status is {@code error}, else empty
     */
    record MessageComplete(String text, String status, String reasoning, String error, JsonObject usage)
            implements GatewayEvent {
        public MessageComplete {
            usage = usage == null ? new JsonObject() : usage;
        }

        @Override
        public String type() {
            return EventTypes.MESSAGE_COMPLETE;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("text", text);
            p.addProperty("status", status);
            Json.putText(p, "reasoning", reasoning);
            Json.putText(p, "error", error);
            p.add("usage", usage.deepCopy());
            return p;
        }
    }

    record ToolGenerating(String name) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.TOOL_GENERATING;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("name", name);
            return p;
        }
    }

    /**
     * A tool call starts. Hermes sends the title and context alone; our gateway adds the call's status and, for
     * an agent that reports more, its detail ({@code call}, else {@code null}).
     */
    record ToolStart(String toolId, String name, String context, String status, ToolCall call) implements GatewayEvent {
        public ToolStart {
            status = status == null ? "" : status;
            requireSameId(toolId, call);
        }

        public ToolStart(String toolId, String name, String context) {
            this(toolId, name, context, "", null);
        }

        @Override
        public String type() {
            return EventTypes.TOOL_START;
        }

        @Override
        public JsonObject toJson() {
            return toolPayload(toolId, name, context, status, call);
        }

        /** The row this start adds. */
        public TranscriptRow row() {
            return TranscriptRow.tool(name, context, status, call);
        }
    }

    /**
     * A tool call's row changes (our gateway): its whole state, which replaces the row with that {@code toolId}
     * (status, title, content, diffs, places). Whole rather than a patch, so a replayed or repeated update
     * changes nothing.
     */
    record ToolUpdate(String toolId, String name, String context, String status, ToolCall call)
            implements GatewayEvent {
        public ToolUpdate {
            status = status == null ? "" : status;
            requireSameId(toolId, call);
        }

        @Override
        public String type() {
            return EventTypes.TOOL_UPDATE;
        }

        @Override
        public JsonObject toJson() {
            return toolPayload(toolId, name, context, status, call);
        }

        public TranscriptRow row() {
            return TranscriptRow.tool(name, context, status, call);
        }
    }

    /** The agent's plan of the running turn (our gateway): replaces the turn's plan row, or adds it. */
    record PlanUpdate(List<PlanEntry> entries) implements GatewayEvent {
        public PlanUpdate {
            entries = List.copyOf(entries);
        }

        @Override
        public String type() {
            return EventTypes.PLAN_UPDATE;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.add("entries", PlanEntry.toJson(entries));
            return p;
        }
    }

    /** The commands the session's agent offers now (our gateway); replaces those said before. */
    record SessionCommands(List<SlashCommand> commands) implements GatewayEvent {
        public SessionCommands {
            commands = List.copyOf(commands);
        }

        @Override
        public String type() {
            return EventTypes.SESSION_COMMANDS;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.add("commands", SlashCommand.toJson(commands));
            return p;
        }
    }

    record ToolComplete(String toolId, String name, String summary, double durationSeconds) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.TOOL_COMPLETE;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("tool_id", toolId);
            p.addProperty("name", name);
            p.addProperty("summary", summary);
            p.addProperty("duration_s", durationSeconds);
            return p;
        }
    }

    record StatusUpdate(String kind, String text) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.STATUS_UPDATE;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = textPayload(text);
            p.addProperty("kind", kind);
            return p;
        }
    }

    /**
     * @param running whether a turn runs, or {@code null} when the event does not say
     * @param status the session's status word ({@code idle}, {@code starting}, {@code working}, {@code waiting},
     *        {@code needs_sign_in}: our gateway), empty when the event does not say (Hermes)
     * @param signIn what the session's agent needs to be signed in (our gateway), else {@code null}
     */
    record SessionInfo(String model, Boolean running, String status, SignIn signIn) implements GatewayEvent {

        public SessionInfo {
            status = status == null ? "" : status;
        }

        /** What a Hermes gateway says: the model and whether a turn runs. */
        public SessionInfo(String model, Boolean running) {
            this(model, running, "", null);
        }

        @Override
        public String type() {
            return EventTypes.SESSION_INFO;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("model", model);
            if (running != null) {
                p.addProperty("running", running);
            }
            Json.putText(p, "status", status);
            SignIn.put(p, signIn);
            return p;
        }
    }

    /**
     * A note of the gateway's in the transcript (our gateway), such as an agent that no longer remembers the
     * session's earlier turns, or an update of the agent's this version does not show; it becomes a {@code
     * system} row.
     *
     * @param kind what the note says, for a viewer that shows it in its own words ({@link TranscriptRow#status()}
     *        of the row); {@code text} says it in English
     */
    record SystemNote(String text, String kind) implements GatewayEvent {

        /** The agent could not reopen its session: it no longer remembers the earlier turns. */
        public static final String AGENT_FORGOT = "agent_forgot";
        /** The agent reported a kind of update that has no row of its own here. */
        public static final String AGENT_UPDATE = "agent_update";

        @Override
        public String type() {
            return EventTypes.SESSION_NOTE;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("text", text);
            p.addProperty("kind", kind);
            return p;
        }
    }

    /** @param sessionKey the stored id the title belongs to (Hermes sends it; empty when absent) */
    record SessionTitle(String title, String sessionKey) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.SESSION_TITLE;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            Json.putText(p, "session_id", sessionKey);
            p.addProperty("title", title);
            return p;
        }
    }

    record Participants(List<Participant> participants) implements GatewayEvent {
        public Participants {
            participants = List.copyOf(participants);
        }

        @Override
        public String type() {
            return EventTypes.SESSION_PARTICIPANTS;
        }

        @Override
        public JsonObject toJson() {
            return Participant.toJson(participants);
        }
    }

    /** A June-line blocking prompt ({@code approval.request}, ...); its {@code rpcId} is always {@code null}. */
    record InputRequested(InputRequest request) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.inputRequest(request.kind());
        }

        @Override
        public JsonObject toJson() {
            return request.toPayload();
        }
    }

    /**
     * A pending request was answered elsewhere or withdrawn ({@code request.cancel}). Our gateway says who
     * answered it and, for an approval, with what; both are empty for a withdrawal, and from Hermes.
     *
     * @param answeredBy the device whose answer won, empty when withdrawn or not said
     * @param answer the approval's chosen option; empty otherwise (a question's answer is not repeated)
     */
    record InputResolved(String requestId, String answeredBy, String answer) implements GatewayEvent {
        public InputResolved {
            answeredBy = answeredBy == null ? "" : answeredBy;
            answer = answer == null ? "" : answer;
        }

        /** Withdrawn, or answered without saying by whom. */
        public InputResolved(String requestId) {
            this(requestId, "", "");
        }

        @Override
        public String type() {
            return EventTypes.REQUEST_CANCEL;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("request_id", requestId);
            Json.putText(p, "answered_by", answeredBy);
            return Json.putText(p, "answer", answer);
        }
    }

    record Error(String message) implements GatewayEvent {
        @Override
        public String type() {
            return EventTypes.ERROR;
        }

        @Override
        public JsonObject toJson() {
            JsonObject p = new JsonObject();
            p.addProperty("message", message);
            return p;
        }
    }

    /** An event this product does not act on; written, it carries no payload. */
    record Unknown(String type) implements GatewayEvent {
        @Override
        public JsonObject toJson() {
            return new JsonObject();
        }
    }

    /** A call's detail is written under the event's {@code tool_id}: two ids would update the wrong row. */
    private static void requireSameId(String toolId, ToolCall call) {
        if (call != null && !call.id().equals(toolId)) {
            throw new IllegalArgumentException("a tool event's call must have its tool_id " + toolId + ", not " + call.id());
        }
    }

    private static JsonObject toolPayload(String toolId, String name, String context, String status, ToolCall call) {
        JsonObject p = new JsonObject();
        p.addProperty("tool_id", toolId);
        p.addProperty("name", name);
        p.addProperty("context", context);
        Json.putText(p, "status", status);
        if (call != null) {
            call.writeTo(p); // its id is the event's tool_id
        }
        return p;
    }

    private static JsonObject textPayload(String text) {
        JsonObject p = new JsonObject();
        p.addProperty("text", text);
        return p;
    }
}
