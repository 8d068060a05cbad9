package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

/**
 * What {@code session.create}, {@code session.activate} and {@code session.resume} return: the session's ids,
 * its transcript, and the turn in flight if one streams. With our gateway's replay addition, an attach that
 * passed {@code since_seq} may instead carry only the events missed since then ({@link #replay()}).
 *
 * @param sessionId the runtime id
 * @param sessionKey the stored id, possibly empty
 * @param inflightAssistant the streamed assistant text of the running turn so far
 * @param inflightUser the prompt of the running turn
 * @param lastSeq the gateway's last event number for this session, -1 when it does not number events
 * @param replay the missed events when the gateway honoured {@code since_seq}, else {@code null}
 * @param participants the roster when the gateway includes it (ours does), else {@code null}
 */
public record SessionSnapshot(String sessionId, String sessionKey, String title, String model, List<TranscriptRow> messages,
        boolean running, String status, String inflightAssistant, String inflightUser, long lastSeq,
        List<Frame.Event> replay, List<Participant> participants) {

    public SessionSnapshot {
        messages = messages == null ? List.of() : List.copyOf(messages);
        participants = participants == null ? null : List.copyOf(participants);
        replay = replay == null ? null : List.copyOf(replay);
    }

    public boolean isReplay() {
        return replay != null;
    }

    public static SessionSnapshot fromResult(JsonObject result, FrameCodec codec) {
        List<TranscriptRow> rows = new ArrayList<>();
        for (JsonObject m : Json.objects(result, "messages")) {
            rows.add(TranscriptRow.fromJson(m));
        }
        JsonObject info = Json.object(result, "info");
        JsonObject inflight = Json.object(result, "inflight");
        boolean running = Json.flag(result, "running") || Json.flag(info, "running");
        List<Frame.Event> replay = null;
        if (result.has("replay") && result.get("replay").isJsonArray()) {
            replay = new ArrayList<>();
            for (JsonObject params : Json.objects(result, "replay")) {
                JsonObject frame = new JsonObject();
                frame.addProperty("jsonrpc", "2.0");
                frame.addProperty("method", "event");
                frame.add("params", params);
                if (codec.classify(frame) instanceof Frame.Event e) {
                    replay.add(e);
                }
            }
        }
        return new SessionSnapshot(Json.text(result, "session_id"),
                Json.firstText(result, "session_key", "stored_session_id", "resumed"), Json.text(result, "title"),
                Json.text(info, "model"), rows, running, Json.text(result, "status"),
                Json.firstText(inflight, "assistant", "text"), Json.text(inflight, "user"),
                Json.number(result, "last_seq", -1), replay,
                result.has("participants") ? Participant.listFrom(result) : null);
    }
}
