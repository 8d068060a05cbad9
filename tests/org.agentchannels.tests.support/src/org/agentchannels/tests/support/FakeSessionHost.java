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
        }
        gateway.handle(Methods.SESSION_CREATE, (peer, r) -> {
            HostedSession s = add("r" + (sessions.size() + 1), "20261124_1200" + (10 + sessions.size()) + "_abcdef");
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
        throw new RpcError(JsonRpcCodes.STORED_SESSION_NOT_FOUND, "session not found");
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
        return new SessionSnapshot(s.id, s.key, s.title, "fake-model", 0, replay ? List.of() : s.rows, s.rows.size(),
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
