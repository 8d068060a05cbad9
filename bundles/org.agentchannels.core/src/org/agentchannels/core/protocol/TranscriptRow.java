package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DeviceNames;

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
 */
public record TranscriptRow(String role, String text, String reasoning, String toolName, String senderDevice,
        String status, boolean truncated) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";
    /** A note of the gateway's; its {@link #status()} says which kind ({@link GatewayEvent.SystemNote}). */
    public static final String SYSTEM = "system";

    public TranscriptRow {
        role = role == null ? "" : role;
        text = text == null ? "" : text;
        reasoning = reasoning == null ? "" : reasoning;
        toolName = toolName == null ? "" : toolName;
        senderDevice = senderDevice == null ? "" : senderDevice;
        status = status == null ? "" : status;
    }

    /** A whole row. */
    public TranscriptRow(String role, String text, String reasoning, String toolName, String senderDevice, String status) {
        this(role, text, reasoning, toolName, senderDevice, status, false);
    }

    /** This row with its text and reasoning cut to what was kept, and marked so. */
    public TranscriptRow truncatedTo(String keptText, String keptReasoning) {
        return new TranscriptRow(role, keptText, keptReasoning, toolName, senderDevice, status, true);
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
     * Reads one entry of a {@code messages} array: Hermes writes {@code text} (older seeds {@code content}),
     * reasoning under one of several names, tool rows with {@code name} and {@code context}.
     */
    public static TranscriptRow fromJson(JsonObject o) {
        String role = Json.text(o, "role");
        if (TOOL.equals(role)) {
            return new TranscriptRow(TOOL, Json.firstText(o, "context", "text", "content"), "", Json.text(o, "name"),
                    "", "");
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
