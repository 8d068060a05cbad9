package org.agentchannels.tests.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.ScriptedGateway.Peer;
import org.agentchannels.tests.support.ScriptedGateway.RpcError;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Live sessions behind a {@link ScriptedGateway}, enough of a gateway for client tests: create, activate,
 * resume, list, prompt submission with fan-out to every attached peer, and, when {@code numbered}, our
 * gateway's additions (event {@code seq}, replay {@code since_seq}, idempotent {@code submission_id}). The test
 * drives each turn ({@link #startTurn}, {@link #delta}, {@link #complete}), so it can cut the connection at
 * any point of it.
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
    }

    private final boolean numbered;
    private final Map<String, HostedSession> sessions = new LinkedHashMap<>();
    private final Set<String> submissions = new HashSet<>();
    private final List<String> prompts = new CopyOnWriteArrayList<>();
    private volatile boolean autoStart = true;

    /**
     * @param numbered whether to behave as our gateway (numbered events, replay, submission ids) or as a
     *        June-line Hermes gateway
     */
    public FakeSessionHost(ScriptedGateway gateway, boolean numbered) {
        this.numbered = numbered;
        if (numbered) {
            JsonObject ready = ScriptedGateway.object("event_seq", true, "submission_ids", true, "queues_prompts", true,
                    "replay_epoch", "fake-epoch-1");
            gateway.ready(ready);
        }
        gateway.handle("session.create", (peer, r) -> {
            HostedSession s = add("r" + (sessions.size() + 1), "20261124_1200" + (10 + sessions.size()) + "_abcdef");
            s.title = Json.text(r.params(), "title");
            synchronized (s) {
                s.attached.add(peer);
            }
            return ScriptedGateway.object("session_id", s.id, "stored_session_id", s.key, "message_count", 0,
                    "messages", new JsonArray(), "info", ScriptedGateway.object("model", "fake-model"));
        });
        gateway.handle("session.activate", (peer, r) -> attach(peer, r, byId(Json.text(r.params(), "session_id"), 4001)));
        gateway.handle("session.resume", (peer, r) -> attach(peer, r, byKey(Json.text(r.params(), "session_id"))));
        gateway.handle("prompt.submit", this::submit);
        gateway.handle("session.interrupt", (peer, r) -> {
            HostedSession s = byId(Json.text(r.params(), "session_id"), 4001);
            complete(s.id, "", "interrupted");
            return ScriptedGateway.object("status", "interrupted");
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
        return s;
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
        throw new RpcError(4007, "session not found");
    }

    private JsonObject attach(Peer peer, Frame.Request r, HostedSession s) {
        long since = Json.number(r.params(), "since_seq", -1);
        synchronized (s) {
            s.attached.add(peer);
            JsonObject result = ScriptedGateway.object("session_id", s.id, "session_key", s.key, "title", s.title,
                    "running", s.running, "status", s.running ? "working" : "idle",
                    "info", ScriptedGateway.object("model", "fake-model"));
            if (numbered) {
                result.addProperty("last_seq", s.seq);
            }
            if (numbered && since >= 0 && since <= s.seq) {
                JsonArray replay = new JsonArray();
                FrameCodec codec = new FrameCodec();
                for (Frame.Event e : s.log) {
                    if (e.seq() > since) {
                        replay.add(codec.toJson(e).getAsJsonObject("params"));
                    }
                }
                result.add("replay", replay);
                return result;
            }
            JsonArray messages = new JsonArray();
            for (TranscriptRow row : s.rows) {
                messages.add(row.toJson());
            }
            result.add("messages", messages);
            result.addProperty("message_count", s.rows.size());
            if (s.running) {
                result.add("inflight", ScriptedGateway.object("assistant", s.inflight.toString(), "streaming", true,
                        "user", s.inflightUser));
            }
            return result;
        }
    }

    private JsonObject submit(Peer peer, Frame.Request r) throws RpcError {
        HostedSession s = byId(Json.text(r.params(), "session_id"), 4001);
        String submission = Json.text(r.params(), "submission_id");
        String text = Json.text(r.params(), "text");
        String sender = Json.text(r.params(), "sender_device");
        synchronized (this) {
            if (numbered && !submission.isEmpty() && !submissions.add(submission)) {
                return ScriptedGateway.object("status", "duplicate");
            }
        }
        synchronized (s) {
            s.attached.add(peer);
            if (s.running && !numbered) {
                throw new RpcError(4009, "session busy");
            }
        }
        prompts.add(text);
        if (autoStart) {
            startTurn(s.id, text, sender.isEmpty() ? "host" : sender, submission);
        }
        return ScriptedGateway.object("status", "streaming");
    }

    /** Starts a turn: the user row is stored and {@code message.start} goes to every attached peer. */
    public void startTurn(String sessionId, String input, String sender, String submissionId) {
        HostedSession s = session(sessionId);
        synchronized (s) {
            s.rows.add(TranscriptRow.user(input, sender));
            s.running = true;
            s.inflight.setLength(0);
            s.inflightUser = input;
            JsonObject payload = numbered
                    ? ScriptedGateway.object("input", input, "sender_device", sender, "submission_id", submissionId)
                    : new JsonObject();
            emit(s, "message.start", payload);
        }
    }

    public void delta(String sessionId, String text) {
        HostedSession s = session(sessionId);
        synchronized (s) {
            s.inflight.append(text);
            emit(s, "message.delta", ScriptedGateway.object("text", text));
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
            emit(s, "message.complete", ScriptedGateway.object("text", full, "status", status));
        }
    }

    /** Sends any event to the session's peers (numbered and logged like the others). */
    public void emit(HostedSession s, String type, JsonObject payload) {
        synchronized (s) {
            long seq = numbered ? ++s.seq : -1;
            Frame.Event e = FrameCodec.event(type, s.id, payload, seq);
            s.log.add(e);
            String text = new FrameCodec().encode(e);
            for (Peer p : new ArrayList<>(s.attached)) {
                if (p.isOpen()) {
                    p.send(text);
                }
            }
        }
    }
}
