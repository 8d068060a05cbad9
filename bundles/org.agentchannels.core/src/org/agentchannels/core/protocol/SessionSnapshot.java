package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * What {@code session.create}, {@code session.activate} and {@code session.resume} return: the session's ids,
 * its transcript, and the turn in flight if one streams. With our gateway's replay addition, an attach that
 * passed {@code since_seq} may instead carry only the events missed since then ({@link #replay()}).
 *
 * @param sessionId the runtime id
 * @param sessionKey the stored id, possibly empty
 * @param startedAt epoch seconds, 0 when the gateway does not say
 * @param messageCount how many rows the transcript has (also when a replay carries none of them)
 * @param inflightAssistant the streamed assistant text of the running turn so far
 * @param inflightUser the prompt of the running turn
 * @param lastSeq the gateway's last event number for this session, -1 when it does not number events
 * @param replay the missed events when the gateway honoured {@code since_seq}, else {@code null}
 * @param participants the roster when the gateway includes it (ours does), else {@code null}
 * @param pendingRequests the blocking prompts waiting for an answer (our gateway), else empty
 * @param commands the commands the session's agent offers (our gateway, for an agent that says), else empty
 * @param signIn what the session's agent needs to be signed in (our gateway), else {@code null}
 */
public record SessionSnapshot(String sessionId, String sessionKey, String title, String model, double startedAt,
        List<TranscriptRow> messages, long messageCount, boolean running, String status, String inflightAssistant,
        String inflightUser, long lastSeq, List<Frame.Event> replay, List<Participant> participants,
        List<InputRequest> pendingRequests, List<SlashCommand> commands, SignIn signIn) {

    public SessionSnapshot {
        messages = messages == null ? List.of() : List.copyOf(messages);
        participants = participants == null ? null : List.copyOf(participants);
        replay = replay == null ? null : List.copyOf(replay);
        pendingRequests = pendingRequests == null ? List.of() : List.copyOf(pendingRequests);
        commands = commands == null ? List.of() : List.copyOf(commands);
    }

    /** A snapshot of a session whose agent offers no commands and needs no sign-in (every Hermes gateway's). */
    public SessionSnapshot(String sessionId, String sessionKey, String title, String model, double startedAt,
            List<TranscriptRow> messages, long messageCount, boolean running, String status, String inflightAssistant,
            String inflightUser, long lastSeq, List<Frame.Event> replay, List<Participant> participants,
            List<InputRequest> pendingRequests) {
        this(sessionId, sessionKey, title, model, startedAt, messages, messageCount, running, status, inflightAssistant,
                inflightUser, lastSeq, replay, participants, pendingRequests, List.of(), null);
    }

    public boolean isReplay() {
        return replay != null;
    }

    public static SessionSnapshot fromResult(JsonObject result, FrameCodec codec) {
        List<TranscriptRow> rows = TranscriptRow.listFrom(result);
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
        String sessionId = Json.text(result, "session_id");
        List<InputRequest> pending = new ArrayList<>();
        for (JsonObject p : Json.objects(result, "pending_requests")) {
            InputRequest.Kind kind = InputRequest.Kind.fromWireName(Json.text(p, "kind"));
            if (kind != null) {
                pending.add(InputRequest.fromPayload(kind, sessionId, p, null));
            }
        }
        return new SessionSnapshot(sessionId, Json.firstText(result, "session_key", "stored_session_id", "resumed"),
                DisplayText.title(Json.text(result, "title")),
                DisplayText.oneLine(Json.text(info, "model"), DisplayText.MAX_TITLE_LENGTH),
                Json.decimal(result, "started_at", 0), rows,
                Json.number(result, "message_count", rows.size()), running, Json.text(result, "status"),
                Json.firstText(inflight, "assistant", "text"), Json.text(inflight, "user"),
                Json.number(result, "last_seq", -1), replay,
                result.has("participants") ? Participant.listFrom(result) : null, pending,
                SlashCommand.listFrom(result, "commands"), SignIn.from(result));
    }

    /**
     * The result as our gateway writes it. The stored id goes under each name a Hermes client reads it by
     * ({@code session_key}, {@code stored_session_id} from create, {@code resumed} from resume).
     */
    public JsonObject toJson(FrameCodec codec) {
        JsonObject r = new JsonObject();
        r.addProperty("session_id", sessionId);
        Json.putText(r, "session_key", sessionKey);
        Json.putText(r, "stored_session_id", sessionKey);
        Json.putText(r, "resumed", sessionKey);
        Json.putText(r, "title", title); // Hermes results carry none
        r.addProperty("started_at", startedAt);
        r.addProperty("running", running);
        r.addProperty("status", status);
        r.addProperty("message_count", messageCount);
        SignIn.put(r, signIn);
        if (lastSeq >= 0) {
            r.addProperty("last_seq", lastSeq);
        }
        if (participants != null) {
            r.add("participants", Participant.toJson(participants).get("participants"));
        }
        JsonObject info = new JsonObject();
        info.addProperty("model", model);
        info.addProperty("running", running);
        r.add("info", info);
        if (!commands.isEmpty()) {
            r.add("commands", SlashCommand.toJson(commands));
        }
        if (replay != null) {
            JsonArray events = new JsonArray();
            for (Frame.Event e : replay) {
                events.add(codec.toJson(e).getAsJsonObject("params"));
            }
            r.add("replay", events);
            return r;
        }
        r.add("messages", TranscriptRow.toJson(messages));
        if (running) {
            JsonObject turn = new JsonObject();
            turn.addProperty("assistant", inflightAssistant);
            turn.addProperty("streaming", true);
            turn.addProperty("user", inflightUser);
            r.add("inflight", turn);
        }
        if (!pendingRequests.isEmpty()) {
            JsonArray pending = new JsonArray();
            for (InputRequest request : pendingRequests) {
                JsonObject p = request.toPayload();
                p.addProperty("kind", request.kind().wireName());
                pending.add(p);
            }
            r.add("pending_requests", pending);
        }
        return r;
    }
}
