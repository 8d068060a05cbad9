package org.agentchannels.core.protocol;

import java.util.List;

import com.google.gson.JsonObject;

/**
 * The method names a chat client calls and the parameters it sends (protocol notes, section 2). Optional
 * parameters are left out when empty, so a Hermes gateway sees exactly what its own clients send.
 */
public final class Methods {

    public static final String SESSION_CREATE = "session.create";
    public static final String SESSION_RESUME = "session.resume";
    public static final String SESSION_ACTIVATE = "session.activate";
    public static final String SESSION_LIST = "session.list";
    public static final String SESSION_ACTIVE_LIST = "session.active_list";
    public static final String SESSION_PRESENCE_LIST = "session.presence_list";
    public static final String SESSION_PARTICIPANTS = "session.participants";
    public static final String SESSION_HISTORY = "session.history";
    public static final String SESSION_TITLE = "session.title";
    public static final String SESSION_INTERRUPT = "session.interrupt";
    public static final String SESSION_CLOSE = "session.close";
    public static final String PROMPT_SUBMIT = "prompt.submit";
    public static final String GATEWAY_PING = "gateway.ping";
    public static final String APPROVAL_RESPOND = "approval.respond";
    public static final String CLARIFY_RESPOND = "clarify.respond";
    public static final String SUDO_RESPOND = "sudo.respond";
    public static final String SECRET_RESPOND = "secret.respond";

    private Methods() {
    }

    public static JsonObject sessionCreate(String title) {
        return sessionCreate(title, List.of());
    }

    /** @param seed the transcript the session starts with (Hermes' {@code messages} seed); empty for none */
    public static JsonObject sessionCreate(String title, List<TranscriptRow> seed) {
        return sessionCreate(title, seed, "");
    }

    /** @param cwd the absolute directory the session's agent works in, on the gateway's machine; empty: its default */
    public static JsonObject sessionCreate(String title, List<TranscriptRow> seed, String cwd) {
        return sessionCreate(title, seed, cwd, "");
    }

    /** @param agent the id of one of the agents {@code gateway.ready} offers; empty: the gateway's default */
    public static JsonObject sessionCreate(String title, List<TranscriptRow> seed, String cwd, String agent) {
        JsonObject p = new JsonObject();
        p.addProperty("cols", 96);
        putIfPresent(p, "title", title);
        putIfPresent(p, "cwd", cwd);
        putIfPresent(p, "agent", agent);
        if (!seed.isEmpty()) {
            p.add("messages", TranscriptRow.toJson(seed));
        }
        return p;
    }

    /** Attach to a live session by runtime id; {@code sinceSeq >= 0} asks our gateway for a replay. */
    public static JsonObject sessionActivate(String sessionId, String viewerDevice, long sinceSeq) {
        JsonObject p = new JsonObject();
        p.addProperty("session_id", sessionId);
        p.addProperty("cols", 96);
        putIfPresent(p, "viewer_device", viewerDevice);
        if (sinceSeq >= 0) {
            p.addProperty("since_seq", sinceSeq);
        }
        return p;
    }

    /** Attach by stored id (or exact title), rebuilding the session when it is not live. */
    public static JsonObject sessionResume(String sessionKey, String viewerDevice, long sinceSeq) {
        return sessionActivate(sessionKey, viewerDevice, sinceSeq);
    }

    public static JsonObject sessionOnly(String sessionId) {
        JsonObject p = new JsonObject();
        p.addProperty("session_id", sessionId);
        return p;
    }

    /** {@code session.title} that sets the title; {@link #sessionOnly} reads it. */
    public static JsonObject sessionTitle(String sessionId, String title) {
        JsonObject p = sessionOnly(sessionId);
        p.addProperty("title", title);
        return p;
    }

    /** {@code session.presence_list}; {@code includeExpired} asks for records past their lifetime too. */
    public static JsonObject presenceList(boolean includeExpired) {
        JsonObject p = new JsonObject();
        p.addProperty("include_expired", includeExpired);
        return p;
    }

    /**
     * {@code session.presence_list} asking only for what changed since the list of version {@code since} (see
     * {@link org.agentchannels.core.presence.PresenceChanges}); empty: the whole list.
     */
    public static JsonObject presenceList(boolean includeExpired, String since) {
        JsonObject p = presenceList(includeExpired);
        if (!since.isEmpty()) {
            p.addProperty("since", since);
        }
        return p;
    }

    public static JsonObject sessionList(int limit) {
        JsonObject p = new JsonObject();
        p.addProperty("limit", limit);
        return p;
    }

    /**
     * @param senderDevice sent only when the gateway is remote (the seed's rule); empty otherwise
     * @param submissionId our gateway's idempotency key; empty for gateways that do not announce it
     */
    public static JsonObject promptSubmit(String sessionId, String text, String senderDevice, String submissionId) {
        JsonObject p = sessionOnly(sessionId);
        p.addProperty("text", text);
        putIfPresent(p, "sender_device", senderDevice);
        putIfPresent(p, "submission_id", submissionId);
        return p;
    }

    /**
     * The June-line answer to a blocking prompt: {@code approval.respond {session_id, choice}},
     * {@code clarify.respond {request_id, answer}}, {@code sudo.respond {request_id, password}},
     * {@code secret.respond {request_id, value}}.
     */
    public static String respondMethod(InputRequest.Kind kind) {
        return switch (kind) {
            case APPROVAL -> APPROVAL_RESPOND;
            case CLARIFY -> CLARIFY_RESPOND;
            case SUDO -> SUDO_RESPOND;
            case SECRET -> SECRET_RESPOND;
        };
    }

    public static JsonObject respondParams(InputRequest request, String answer) {
        JsonObject p = new JsonObject();
        switch (request.kind()) {
            case APPROVAL -> {
                p.addProperty("session_id", request.sessionId());
                p.addProperty("choice", answer);
                putIfPresent(p, "request_id", request.requestId());
            }
            case CLARIFY -> {
                p.addProperty("request_id", request.requestId());
                p.addProperty("answer", answer);
            }
            case SUDO -> {
                p.addProperty("request_id", request.requestId());
                p.addProperty("password", answer);
            }
            case SECRET -> {
                p.addProperty("request_id", request.requestId());
                p.addProperty("value", answer);
            }
        }
        return p;
    }

    /**
     * The newer line's answer to a blocking prompt the gateway sent as a request: the result of that request,
     * with the answer under both names its clients use.
     */
    public static JsonObject requestAnswer(String answer) {
        JsonObject r = new JsonObject();
        r.addProperty("answer", answer);
        r.addProperty("choice", answer);
        return r;
    }

    private static void putIfPresent(JsonObject p, String key, String value) {
        if (value != null && !value.isEmpty()) {
            p.addProperty(key, value);
        }
    }
}
