package org.agentchannels.tests.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.ScriptedGateway.Peer;
import org.agentchannels.tests.support.ScriptedGateway.RpcError;

import com.google.gson.JsonObject;

/**
 * Live sessions behind a {@link ScriptedGateway}, enough of a gateway for client tests: create, activate,
 * resume, list, prompt submission with fan-out to every attached peer, and, when {@code numbered}, our
 * gateway's additions (event {@code seq}, replay {@code since_seq}, idempotent {@code submission_id}). The test
 * drives each turn ({@link #startTurn}, {@link #delta}, {@link #complete}), so it can cut the connection at
 * any point of it.
 *
 * <p>As a June-line Hermes gateway ({@code numbered} false) it behaves as the real one does where clients
 * were caught out: a wrong token is refused with HTTP 403 to the upgrade (never close code 4401); the results
 * of {@code session.create}, {@code .activate} and {@code .resume} carry no title (it is in {@code session.list}
 * and {@code session.active_list} rows); a prompt during a turn is refused with 4009 "session busy"; and a
 * {@linkplain #reap reaped} session is gone under its runtime id (4001) while {@code session.resume} rebuilds it
 * from its stored id under a new one, if a prompt ever stored it (else 4007).
 */
public final class FakeSessionHost {

    /** One session: its transcript, its event log and who is attached. */
    public static final class HostedSession {
        public final String id;
        public final String key;
        public String title = "";
        public final List<TranscriptRow> rows = new CopyOnWriteArrayList<>();
        final List<Frame.Event> log = new ArrayList<>();
        final Set<Peer> attached = new HashSet<>();
        final StringBuilder inflight = new StringBuilder();
        String inflightUser = "";
        boolean running;
        long seq;

        HostedSession(String id, String key) {
            this.id = id;
            this.key = key;
        }

        public synchronized boolean running() {
            return running;
        }

        /** How many connections hear this session's events now (an attach adds its caller). */
        public synchronized int viewers() {
            return (int) attached.stream().filter(Peer::isOpen).count();
        }
    }

    private final boolean numbered;
    private final Map<String, HostedSession> sessions = new LinkedHashMap<>();
    /** Reaped sessions that a prompt stored, by stored id: {@code session.resume} rebuilds them. */
    private final Map<String, HostedSession> reaped = new LinkedHashMap<>();
    private int created;
    private final Set<String> submissions = new HashSet<>();
    private final List<String> prompts = new CopyOnWriteArrayList<>();
    private final FrameCodec codec = new FrameCodec();
    private volatile boolean autoStart = true;

    /**
     * @param numbered whether to behave as our gateway (numbered events, replay, submission ids) or as a
     *        June-line Hermes gateway
     */
    public FakeSessionHost(ScriptedGateway gateway, boolean numbered) {
        this.numbered = numbered;
        if (numbered) {
            gateway.ready(new GatewayEvent.GatewayReady("", false, true, true, true, "fake-epoch-1"));
        } else {
            gateway.refuseTokenWithHttp(403);
        }
        gateway.handle(Methods.SESSION_CREATE, (peer, r) -> {
            int n = nextNumber();
            HostedSession s = add("r" + n, "20261124_1200" + (10 + n) + "_abcdef");
            s.title = Json.text(r.params(), "title");
            synchronized (s) {
                s.attached.add(peer);
                return snapshot(s, -1).toJson(codec);
            }
        });
        gateway.handle(Methods.SESSION_ACTIVATE,
                (peer, r) -> attach(peer, r, byId(Json.text(r.params(), "session_id"), JsonRpcCodes.SESSION_NOT_FOUND)));
        gateway.handle(Methods.SESSION_RESUME, (peer, r) -> attach(peer, r, byKey(Json.text(r.params(), "session_id"))));
        gateway.handle(Methods.PROMPT_SUBMIT, this::submit);
        gateway.handle(Methods.SESSION_LIST, (peer, r) -> list(false));
        gateway.handle(Methods.SESSION_ACTIVE_LIST, (peer, r) -> list(true));
        gateway.handle(Methods.SESSION_INTERRUPT, (peer, r) -> {
            HostedSession s = byId(Json.text(r.params(), "session_id"), JsonRpcCodes.SESSION_NOT_FOUND);
            complete(s.id, "", "interrupted");
            return Acknowledgement.interrupted().toJson();
        });
    }

    /** Whether a prompt starts its turn at once (the default) or waits for the test's {@link #startTurn}. */
    public FakeSessionHost autoStart(boolean on) {
        autoStart = on;
        return this;
    }

    public synchronized HostedSession add(String id, String key) {
        HostedSession s = new HostedSession(id, key);
        sessions.put(id, s);
        created++;
        return s;
    }

    private synchronized int nextNumber() {
        return created + 1;
    }

    /**
     * Reaps a live session as a Hermes gateway does 20 s after its last client left: it is no longer live under
     * its runtime id, and its attached peers hear nothing more of it. One a prompt stored (it has rows) can be
     * rebuilt by {@code session.resume} with its stored id; one never prompted is gone.
     */
    public synchronized void reap(String id) {
        HostedSession s = sessions.remove(id);
        if (s == null) {
            return;
        }
        synchronized (s) {
            s.attached.clear();
            if (!s.rows.isEmpty()) {
                reaped.put(s.key, s);
            }
        }
    }

    /** The runtime id the session of stored id {@code key} is live under now, or null when it is not live. */
    public synchronized String liveIdOf(String key) {
        for (HostedSession s : sessions.values()) {
            if (s.key.equals(key)) {
                return s.id;
            }
        }
        return null;
    }

    public synchronized HostedSession session(String id) {
        return sessions.get(id);
    }

    /** The text of every prompt run, in order (a de-duplicated resend appears once). */
    public List<String> prompts() {
        return List.copyOf(prompts);
    }

    private synchronized HostedSession byId(String id, int code) throws RpcError {
        HostedSession s = sessions.get(id);
        if (s == null) {
            throw new RpcError(code, "session not found");
        }
        return s;
    }

    private synchronized HostedSession byKey(String key) throws RpcError {
        for (HostedSession s : sessions.values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        HostedSession stored = reaped.remove(key);
        if (stored == null) {
            throw new RpcError(JsonRpcCodes.STORED_SESSION_NOT_FOUND, "session not found");
        }
        // rebuilt from the store: live again under a new runtime id, with its transcript and title
        HostedSession rebuilt = add("r" + nextNumber(), key);
        rebuilt.title = stored.title;
        rebuilt.rows.addAll(stored.rows);
        return rebuilt;
    }

    /** {@code session.list} (stored sessions: those a prompt stored) or {@code session.active_list} (live ones). */
    private synchronized JsonObject list(boolean live) {
        com.google.gson.JsonArray rows = new com.google.gson.JsonArray();
        for (HostedSession s : sessions.values()) {
            synchronized (s) {
                if (!live && s.rows.isEmpty()) {
                    continue; // the June line stores a session at its first prompt
                }
                JsonObject row = new JsonObject();
                row.addProperty("id", live ? s.id : s.key);
                if (live) {
                    row.addProperty("session_key", s.key);
                    row.addProperty("status", (s.running ? SessionActivity.WORKING : SessionActivity.IDLE).wireWord());
                }
                row.addProperty("title", s.title);
                row.addProperty("message_count", s.rows.size());
                row.addProperty("started_at", 1764000000.0);
                rows.add(row);
            }
        }
        JsonObject result = new JsonObject();
        result.add("sessions", rows);
        return result;
    }

    // with the session's lock: a replay when numbered and asked for one, else the whole transcript
    private SessionSnapshot snapshot(HostedSession s, long since) {
        boolean replay = numbered && since >= 0 && since <= s.seq;
        List<Frame.Event> missed = null;
        if (replay) {
            missed = new ArrayList<>();
            for (Frame.Event e : s.log) {
                if (e.seq() > since) {
                    missed.add(e);
                }
            }
        }
        // the June line's results carry no title: it is in the lists and the presence records
        return new SessionSnapshot(s.id, s.key, numbered ? s.title : "", "fake-model", 0, replay ? List.of() : s.rows, s.rows.size(),
                s.running, (s.running ? SessionActivity.WORKING : SessionActivity.IDLE).wireWord(),
                s.running ? s.inflight.toString() : "", s.running ? s.inflightUser : "", numbered ? s.seq : -1, missed,
                null, List.of());
    }

    private JsonObject attach(Peer peer, Frame.Request r, HostedSession s) {
        long since = Json.number(r.params(), "since_seq", -1);
        synchronized (s) {
            s.attached.add(peer);
            return snapshot(s, since).toJson(codec);
        }
    }

    private JsonObject submit(Peer peer, Frame.Request r) throws RpcError {
        HostedSession s = byId(Json.text(r.params(), "session_id"), JsonRpcCodes.SESSION_NOT_FOUND);
        String submission = Json.text(r.params(), "submission_id");
        String text = Json.text(r.params(), "text");
        String sender = Json.text(r.params(), "sender_device");
        synchronized (this) {
            if (numbered && !submission.isEmpty() && !submissions.add(submission)) {
                return PromptResult.duplicateOfEarlier().toJson();
            }
        }
        synchronized (s) {
            s.attached.add(peer);
            if (s.running && !numbered) {
                throw new RpcError(JsonRpcCodes.SESSION_BUSY, "session busy");
            }
        }
        prompts.add(text);
        if (autoStart) {
            startTurn(s.id, text, sender.isEmpty() ? "host" : sender, submission);
        }
        return PromptResult.streaming().toJson();
    }

    /** Starts a turn: the user row is stored and {@code message.start} goes to every attached peer. */
    public void startTurn(String sessionId, String input, String sender, String submissionId) {
        HostedSession s = session(sessionId);
        synchronized (s) {
            s.rows.add(TranscriptRow.user(input, sender));
            s.running = true;
            s.inflight.setLength(0);
            s.inflightUser = input;
            // the June line says nothing of the prompt that started the turn
            emit(s, numbered ? new GatewayEvent.MessageStart(input, sender, submissionId)
                    : new GatewayEvent.MessageStart("", "", ""));
        }
    }

    /** Hermes' status spinner ({@code thinking.delta}): a kaomoji and a verb, or empty to clear it. */
    public void spinner(String sessionId, String text) {
        HostedSession s = session(sessionId);
        emit(s, new GatewayEvent.Spinner(text));
    }

    /** Real reasoning ({@code reasoning.delta}). */
    public void reasoning(String sessionId, String text) {
        HostedSession s = session(sessionId);
        emit(s, new GatewayEvent.ReasoningDelta(text));
    }

    public void delta(String sessionId, String text) {
        HostedSession s = session(sessionId);
        synchronized (s) {
            s.inflight.append(text);
            emit(s, new GatewayEvent.MessageDelta(text));
        }
    }

    public void complete(String sessionId, String text, String status) {
        HostedSession s = session(sessionId);
        synchronized (s) {
            String full = text.isEmpty() ? s.inflight.toString() : text;
            s.rows.add(TranscriptRow.assistant(full, "", status));
            s.running = false;
            s.inflight.setLength(0);
            s.inflightUser = "";
            emit(s, new GatewayEvent.MessageComplete(full, status, "", "", null));
        }
    }

    /** Sends any event to the session's peers (numbered and logged like the others). */
    public void emit(HostedSession s, GatewayEvent event) {
        synchronized (s) {
            Frame.Event e = GatewayEvents.frame(s.id, event, numbered ? ++s.seq : -1);
            s.log.add(e);
            String text = codec.encode(e);
            for (Peer p : new ArrayList<>(s.attached)) {
                if (p.isOpen()) {
                    p.send(text);
                }
            }
        }
    }
}
