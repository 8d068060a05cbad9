package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * One row of a session's transcript.
 *
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param text the message text; for a tool row its context line
 * @param reasoning the assistant's reasoning, empty when there is none
 * @param toolName the tool's name on a tool row, else empty
 * @param senderDevice the device a user row was typed on, empty when the gateway did not say
 * @param status for an assistant row, how its turn ended ({@code complete}, {@code error},
 *        {@code interrupted}); empty when unknown
 * @param truncated the viewer kept only the beginning of this row: its gateway sent more for one turn than a
 *        client keeps ({@code SessionModel.MAX_TURN_CHARS}); shown as such, never stored by a gateway
 * @param tool on a tool row of an agent that says more than a title: the call's id (by which it is updated in
 *        place), content, diffs and places; else {@code null}. A tool row's {@code status} is the call's
 *        ({@link ToolCall#PENDING} ... {@link ToolCall#FAILED}), empty when the gateway does not say
 * @param plan on a {@link #PLAN} row, its steps; else empty
 */
public record TranscriptRow(String role, String text, String reasoning, String toolName, String senderDevice,
        String status, boolean truncated, ToolCall tool, List<PlanEntry> plan) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";
    /** The longest tool title kept, in code points. */
    public static final int MAX_TOOL_TITLE = 300;
    /** An agent's plan: one row per turn that has one, replaced as the agent revises it. */
    public static final String PLAN = "plan";
    /** A note of the gateway's; its {@link #status()} says which kind ({@link GatewayEvent.SystemNote}). */
    public static final String SYSTEM = "system";

    public TranscriptRow {
        role = role == null ? "" : role;
        text = text == null ? "" : text;
        reasoning = reasoning == null ? "" : reasoning;
        toolName = toolName == null ? "" : toolName;
        senderDevice = senderDevice == null ? "" : senderDevice;
        status = status == null ? "" : status;
        plan = plan == null ? List.of() : List.copyOf(plan);
    }

    /** A whole row. */
    public TranscriptRow(String role, String text, String reasoning, String toolName, String senderDevice, String status) {
        this(role, text, reasoning, toolName, senderDevice, status, false);
    }

    public TranscriptRow(String role, String text, String reasoning, String toolName, String senderDevice, String status,
            boolean truncated) {
        this(role, text, reasoning, toolName, senderDevice, status, truncated, null, List.of());
    }

    /** This row with its text and reasoning cut to what was kept, and marked so. */
    public TranscriptRow truncatedTo(String keptText, String keptReasoning) {
        return new TranscriptRow(role, keptText, keptReasoning, toolName, senderDevice, status, true, tool, plan);
    }

    /** The tool call id of a tool row that has one, else empty. */
    public String toolId() {
        return tool == null ? "" : tool.id();
    }

    public static TranscriptRow user(String text, String senderDevice) {
        return new TranscriptRow(USER, text, "", "", senderDevice, "");
    }

    public static TranscriptRow assistant(String text, String reasoning, String status) {
        return new TranscriptRow(ASSISTANT, text, reasoning, "", "", status);
    }

    /** @param kind what the note says, for a viewer that shows it in its own words */
    public static TranscriptRow system(String text, String kind) {
        return new TranscriptRow(SYSTEM, text, "", "", "", kind);
    }

    public static TranscriptRow tool(String name, String context) {
        return new TranscriptRow(TOOL, context, "", name, "", "");
    }

    /**
     * A tool row of an agent that reports its calls (ACP).
     *
     * @param status the call's status, {@link ToolCall#PENDING} to {@link ToolCall#FAILED}
     */
    public static TranscriptRow tool(String name, String context, String status, ToolCall call) {
        return new TranscriptRow(TOOL, context, "", name, "", status, false, call, List.of());
    }

    /** A plan row; its text is the plan as a checklist, for clients that show only text. */
    public static TranscriptRow plan(List<PlanEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (PlanEntry e : entries) {
            text.append(text.isEmpty() ? "" : "\n").append(e.isCompleted() ? "[x] " : "[ ] ").append(e.content());
        }
        return new TranscriptRow(PLAN, text.toString(), "", "", "", "", false, null, entries);
    }


    /**
     * Reads one entry of a {@code messages} array: Hermes writes {@code text} (older seeds {@code content}),
     * reasoning under one of several names, tool rows with {@code name} and {@code context}.
     */
    public static TranscriptRow fromJson(JsonObject o) {
        String role = Json.text(o, "role");
        if (TOOL.equals(role)) {
            ToolCall call = ToolCall.readFrom(o);
            // a Hermes tool row says what it worked on as its context; only ours carry content beside it
            String context = call == null ? Json.firstText(o, "context", "text", "content") : Json.text(o, "context");
            return new TranscriptRow(TOOL, context, "", DisplayText.oneLine(Json.text(o, "name"), MAX_TOOL_TITLE), "",
                    DisplayText.oneLine(Json.text(o, "status"), 20), false, call, List.of());
        }
        if (PLAN.equals(role)) {
            List<PlanEntry> entries = PlanEntry.listFrom(o);
            // a plan whose steps were not kept still shows as the checklist text it came with
            return entries.isEmpty() ? new TranscriptRow(PLAN, Json.text(o, "text"), "", "", "", "") : plan(entries);
        }
        return new TranscriptRow(role, Json.firstText(o, "text", "content"),
                Json.firstText(o, "reasoning", "reasoning_content"), "", DeviceNames.sanitize(Json.text(o, "sender_device")),
                Json.text(o, "status"), Json.flag(o, "truncated"));
    }

    /** The row as our gateway writes it into a {@code messages} array. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("role", role);
        if (TOOL.equals(role)) {
            o.addProperty("name", toolName);
            o.addProperty("context", text);
            Json.putText(o, "status", status);
            if (tool != null) {
                tool.writeTo(o);
            }
            return o;
        }
        if (PLAN.equals(role)) {
            o.addProperty("text", text);
            o.add("entries", PlanEntry.toJson(plan));
            return o;
        }
        o.addProperty("text", text);
        if (!reasoning.isEmpty()) {
            o.addProperty("reasoning", reasoning);
        }
        if (!senderDevice.isEmpty()) {
            o.addProperty("sender_device", senderDevice);
        }
        if (!status.isEmpty()) {
            o.addProperty("status", status);
        }
        if (truncated) {
            o.addProperty("truncated", true);
        }
        return o;
    }

    /** Reads the {@code messages} array of a result; entries without a role are kept as they come. */
    public static List<TranscriptRow> listFrom(JsonObject result) {
        List<TranscriptRow> rows = new ArrayList<>();
        for (JsonObject m : Json.objects(result, "messages")) {
            rows.add(fromJson(m));
        }
        return rows;
    }

    /** A {@code messages} array. */
    public static JsonArray toJson(List<TranscriptRow> rows) {
        JsonArray messages = new JsonArray();
        for (TranscriptRow row : rows) {
            messages.add(row.toJson());
        }
        return messages;
    }
}
