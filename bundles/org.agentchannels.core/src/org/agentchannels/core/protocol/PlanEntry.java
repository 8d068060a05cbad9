package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * One step of an agent's plan (ACP {@code plan}): a plan row holds the whole plan, replaced in place as the
 * agent revises it.
 *
 * @param priority {@code high}, {@code medium} or {@code low}; empty when not said
 * @param status {@code pending}, {@code in_progress} or {@code completed}
 */
public record PlanEntry(String content, String priority, String status) {

    /** The most steps kept of one plan, and the longest step. */
    public static final int MAX_ENTRIES = 100;
    public static final int MAX_ENTRY_LENGTH = 2000;

    public PlanEntry {
        content = content == null ? "" : content;
        priority = priority == null ? "" : priority;
        status = status == null ? "" : status;
    }

    public boolean isCompleted() {
        return ToolCall.COMPLETED.equals(status);
    }

    /** Reads a plan's {@code entries} (ours and ACP's share the shape), bounded and cleaned to one line each. */
    public static List<PlanEntry> listFrom(JsonObject o) {
        List<PlanEntry> out = new ArrayList<>();
        for (JsonObject e : Json.objects(o, "entries")) {
            if (out.size() == MAX_ENTRIES) {
                break;
            }
            out.add(new PlanEntry(DisplayText.oneLine(Json.text(e, "content"), MAX_ENTRY_LENGTH),
                    DisplayText.oneLine(Json.text(e, "priority"), 20), DisplayText.oneLine(Json.text(e, "status"), 20)));
        }
        return out;
    }

    public static JsonArray toJson(List<PlanEntry> entries) {
        JsonArray a = new JsonArray();
        for (PlanEntry e : entries) {
            JsonObject j = new JsonObject();
            j.addProperty("content", e.content());
            Json.putText(j, "priority", e.priority());
            j.addProperty("status", e.status());
            a.add(j);
        }
        return a;
    }

    /** About how many chars a plan holds, for a viewer's budget. */
    public static long chars(List<PlanEntry> entries) {
        return entries.stream().mapToLong(e -> e.content().length() + 16).sum();
    }
}
