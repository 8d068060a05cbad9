package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * One row of {@code session.list} (stored sessions) or {@code session.active_list} (live sessions).
 *
 * @param id the stored id ({@code session.list}) or the runtime id ({@code session.active_list})
 * @param sessionKey the stored id of a live session, empty for a {@code session.list} row
 * @param status {@code idle}, {@code working}, {@code waiting}, ...; empty for stored rows
 * @param startedAt epoch seconds
 * @param lastActive epoch seconds of the last prompt or attach of a live session, 0 for stored rows
 * @param current whether a live row is the session the asking client named as its current one
 */
public record SessionSummary(String id, String sessionKey, String title, String preview, String model, String status,
        double startedAt, long messageCount, String source, double lastActive, boolean current) {

    /** A {@code session.list} row. */
    public static SessionSummary stored(String id, String title, String preview, double startedAt, long messageCount,
            String source) {
        return new SessionSummary(id, "", title, preview, "", "", startedAt, messageCount, source, 0, false);
    }

    /** Reads the {@code sessions} array of either method's result; titles and models as {@link DisplayText} shows them. */
    public static List<SessionSummary> listFrom(JsonObject result) {
        List<SessionSummary> out = new ArrayList<>();
        for (JsonObject s : Json.objects(result, "sessions")) {
            String id = Json.firstText(s, "id", "session_id");
            if (id.isEmpty()) {
                continue;
            }
            out.add(new SessionSummary(id, Json.text(s, "session_key"), DisplayText.title(Json.text(s, "title")),
                    Json.text(s, "preview"), DisplayText.oneLine(Json.text(s, "model"), DisplayText.MAX_TITLE_LENGTH), Json.text(s, "status"), Json.decimal(s, "started_at", 0),
                    Json.number(s, "message_count", 0), Json.text(s, "source"), Json.decimal(s, "last_active", 0),
                    Json.flag(s, "current")));
        }
        return List.copyOf(out);
    }

    /** The result of either method: {@code {sessions:[...]}}. */
    public static JsonObject listToJson(List<SessionSummary> rows) {
        JsonArray sessions = new JsonArray();
        for (SessionSummary row : rows) {
            sessions.add(row.toJson());
        }
        JsonObject r = new JsonObject();
        r.add("sessions", sessions);
        return r;
    }

    /** One row; the fields a kind of row does not have (a stored row's status, say) stay out. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        Json.putText(o, "session_key", sessionKey);
        o.addProperty("title", title);
        o.addProperty("preview", preview);
        Json.putText(o, "model", model);
        Json.putText(o, "status", status);
        o.addProperty("started_at", startedAt);
        o.addProperty("message_count", messageCount);
        Json.putText(o, "source", source);
        if (lastActive > 0) {
            o.addProperty("last_active", lastActive);
        }
        if (current) {
            o.addProperty("current", true);
        }
        return o;
    }
}
