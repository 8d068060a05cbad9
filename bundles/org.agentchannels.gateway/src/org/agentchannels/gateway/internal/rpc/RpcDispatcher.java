package org.agentchannels.gateway.internal.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.SessionHost;
import org.agentchannels.gateway.internal.session.Sessions;
import org.agentchannels.gateway.internal.session.Turns;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Turns a request into a typed call on the sessions and its result into JSON, through core's writers: the one
 * place that knows which parameters each method takes.
 */
public final class RpcDispatcher {

    /** Presence records to serve for {@code session.presence_list}; empty when the gateway has no folder. */
    public interface PresenceSource {
        List<PresenceRecord> records(boolean includeExpired);
    }

    private final Sessions sessions;
    private final Turns turns;
    private final FrameCodec codec = new FrameCodec();
    private volatile PresenceSource presence = includeExpired -> List.of();
    /** What each client was last sent of the presence list, so the next answer can be only what changed. */
    private final PresenceListings listings = new PresenceListings();

    public RpcDispatcher(SessionHost host) {
        this.sessions = host.sessions();
        this.turns = host.turns();
    }

    /** Where {@code session.presence_list} reads from, known once the bound port (and so the endpoint) is. */
    public void servePresence(PresenceSource source) {
        this.presence = source;
    }

    public JsonElement dispatch(Client client, Frame.Request r) throws RpcException {
        JsonObject p = r.params();
        String sessionId = Json.text(p, "session_id");
        return switch (r.method()) {
            case Methods.GATEWAY_PING -> Acknowledgement.pong().toJson();
            case Methods.SESSION_CREATE -> sessions.create(client, Json.text(p, "title"), seed(p),
                    Json.text(p, "viewer_device"), Json.text(p, "cwd"), agent(p)).toJson(codec);
            case Methods.SESSION_ACTIVATE -> sessions.activate(client, sessionId, Json.text(p, "viewer_device"),
                    Json.number(p, "since_seq", -1)).toJson(codec);
            case Methods.SESSION_RESUME -> sessions.resume(client, sessionId, Json.text(p, "viewer_device"),
                    Json.number(p, "since_seq", -1)).toJson(codec);
            case Methods.SESSION_LIST -> SessionSummary.listToJson(
                    sessions.list((int) Math.max(1, Math.min(10_000, Json.number(p, "limit", 200)))));
            case Methods.SESSION_ACTIVE_LIST -> SessionSummary.listToJson(
                    sessions.activeList(Json.text(p, "current_session_id")));
            case Methods.SESSION_PRESENCE_LIST -> listings.answer(client, presence.records(Json.flag(p, "include_expired")),
                    Json.flag(p, "include_expired"), Json.text(p, "since"));
            case Methods.SESSION_PARTICIPANTS -> Participant.toJson(sessions.participants(sessionId));
            case Methods.SESSION_HISTORY -> sessions.history(sessionId).toJson();
            case Methods.SESSION_TITLE -> sessions.title(sessionId, title(p)).toJson();
            case Methods.SESSION_INTERRUPT -> turns.interrupt(sessionId).toJson();
            case Methods.SESSION_CLOSE -> {
                sessions.close(sessionId);
                yield Acknowledgement.closedSession().toJson();
            }
            case Methods.PROMPT_SUBMIT -> turns.submit(client, sessionId, promptText(p),
                    p.has("sender_device") ? Json.text(p, "sender_device") : null, Json.text(p, "submission_id")).toJson();
            case Methods.APPROVAL_RESPOND -> turns.approvalRespond(sessionId, Json.text(p, "request_id"),
                    Json.text(p, "choice"), client.device()).toJson();
            case Methods.CLARIFY_RESPOND -> turns.clarifyRespond(Json.text(p, "request_id"), Json.text(p, "answer"),
                    client.device()).toJson();
            default -> throw new RpcException(JsonRpcCodes.METHOD_NOT_FOUND, "unknown method: " + r.method());
        };
    }

    /** The seed transcript of {@code session.create}; rows without a role are dropped. */
    private static List<TranscriptRow> seed(JsonObject p) {
        List<TranscriptRow> rows = new ArrayList<>();
        for (TranscriptRow row : TranscriptRow.listFrom(p)) {
            if (!row.role().isEmpty()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static String promptText(JsonObject p) throws RpcException {
        if (!(p.get("text") instanceof JsonPrimitive t) || !t.isString() || t.getAsString().isBlank()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "text required");
        }
        return t.getAsString();
    }

    /** {@code session.create}'s {@code agent}: absent for the default, else an id of those {@code gateway.ready} offers. */
    private static String agent(JsonObject p) throws RpcException {
        if (!p.has("agent") || p.get("agent").isJsonNull()) {
            return "";
        }
        if (!(p.get("agent") instanceof JsonPrimitive a) || !a.isString()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "agent must be a string: the id of one of the agents gateway.ready offers");
        }
        return a.getAsString();
    }

    /** Absent: read the title; a string: set it; anything else is refused. */
    private static Optional<String> title(JsonObject p) throws RpcException {
        if (!p.has("title")) {
            return Optional.empty();
        }
        if (!(p.get("title") instanceof JsonPrimitive t) || !t.isString()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "title must be a string");
        }
        return Optional.of(t.getAsString());
    }
}
