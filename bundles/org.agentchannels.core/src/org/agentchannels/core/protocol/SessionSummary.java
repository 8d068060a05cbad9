package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

/**
 * One row of {@code session.list} (stored sessions) or {@code session.active_list} (live sessions).
 *
 * @param id the stored id ({@code session.list}) or the runtime id ({@code session.active_list})
 * @param sessionKey the stored id of a live session, empty for a {@code session.list} row
 * @param status {@code idle}, {@code working}, {@code waiting}, ...; empty for stored rows
 * @param startedAt epoch seconds
 */
public record SessionSummary(String id, String sessionKey, String title, String preview, String model, String status,
        double startedAt, long messageCount, String source) {

    /** Reads the {@code sessions} array of either method's result. */
    public static List<SessionSummary> listFrom(JsonObject result) {
        List<SessionSummary> out = new ArrayList<>();
        for (JsonObject s : Json.objects(result, "sessions")) {
            String id = Json.firstText(s, "id", "session_id");
            if (id.isEmpty()) {
                continue;
            }
            out.add(new SessionSummary(id, Json.text(s, "session_key"), Json.text(s, "title"), Json.text(s, "preview"),
                    Json.text(s, "model"), Json.text(s, "status"), Json.decimal(s, "started_at", 0),
                    Json.number(s, "message_count", 0), Json.text(s, "source")));
        }
        return List.copyOf(out);
    }
}
