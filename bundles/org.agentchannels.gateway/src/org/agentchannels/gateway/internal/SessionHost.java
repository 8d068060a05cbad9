package org.agentchannels.gateway.internal;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.internal.TranscriptStore.PendingPrompt;
import org.agentchannels.gateway.internal.TranscriptStore.StoredSession;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The sessions of one gateway and everything that happens in them: create, attach (activate, resume), the
 * turn loop (one turn at a time, later prompts queued in order, idempotent by {@code submission_id}),
 * fan-out of every event to every attached client in one order, numbering and replay, the participant
 * roster, blocking prompts, and what the store and the presence folder must know.
 */
public final class SessionHost implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SessionHost.class.getName());
    private static final DateTimeFormatter STORED_ID = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    /** Told whenever a live session's presence may have changed (status, title, size) or it ended. */
    public interface PresenceListener {
        void changed(LiveSessionInfo session);

        void ended(String runtimeId);
    }

    /** What the presence folder says about a live session. */
    public record LiveSessionInfo(String runtimeId, String storedId, String title, String status, long messageCount) {
    }

    private final TranscriptStore store;
    private final Agent agent;
    private final String deviceName;
    private final Clock clock;
    private final FrameCodec codec = new FrameCodec();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requestIds = new AtomicLong();
    private final List<PresenceListener> presence = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private final Map<String, LiveSession> byRuntime = new LinkedHashMap<>();
    private final Map<String, LiveSession> byStored = new LinkedHashMap<>();

    public SessionHost(TranscriptStore store, Agent agent, String deviceName, Clock clock) {
        this.store = store;
        this.agent = agent;
        this.deviceName = deviceName;
        this.clock = clock;
    }

    public void addPresenceListener(PresenceListener listener) {
        presence.add(listener);
    }

    private double now() {
        return clock.millis() / 1000.0;
    }

    // ------------------------------------------------------------------ lookups

    private LiveSession live(JsonObject params) throws RpcException {
        String id = Json.text(params, "session_id");
        if (id.isEmpty()) {
            throw new RpcException(JsonRpcCodes.SESSION_ID_REQUIRED, "session_id required");
        }
        synchronized (lock) {
            LiveSession s = byRuntime.get(id);
            if (s == null) {
                throw new RpcException(JsonRpcCodes.SESSION_NOT_FOUND, "session not found");
            }
            return s;
        }
    }

    /** The live sessions, oldest first. */
    public List<LiveSessionInfo> liveSessions() {
        List<LiveSession> all;
        synchronized (lock) {
            all = new ArrayList<>(byRuntime.values());
        }
        List<LiveSessionInfo> out = new ArrayList<>();
        for (LiveSession s : all) {
            synchronized (s) {
                out.add(info(s));
            }
        }
        return out;
    }

    private static LiveSessionInfo info(LiveSession s) {
        return new LiveSessionInfo(s.runtimeId, s.storedId, s.title, s.status(), s.rows.size());
    }

    private String newRuntimeId() {
        byte[] b = new byte[4];
        synchronized (lock) {
            String id;
            do {
                random.nextBytes(b);
                id = HexFormat.of().formatHex(b);
            } while (byRuntime.containsKey(id));
            return id;
        }
    }

    private String newStoredId() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return LocalDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()).format(STORED_ID) + "_"
                + HexFormat.of().formatHex(b);
    }

    // ------------------------------------------------------------------ methods

    public JsonObject create(Client client, JsonObject params) throws RpcException {
        String title = Json.text(params, "title").strip();
        List<TranscriptRow> seed = new ArrayList<>();
        for (JsonObject m : Json.objects(params, "messages")) {
            TranscriptRow row = TranscriptRow.fromJson(m);
            if (!row.role().isEmpty()) {
                seed.add(row);
            }
        }
        String storedId = newStoredId();
        double now = now();
        try {
            store.createSession(storedId, title, now);
            store.appendAll(storedId, seed, now);
        } catch (SQLException e) {
            throw storeFailure(e);
        }
        LiveSession s = new LiveSession(newRuntimeId(), storedId, title, now, seed, 0);
        synchronized (lock) {
            byRuntime.put(s.runtimeId, s);
            byStored.put(storedId, s);
        }
        JsonObject result;
        synchronized (s) {
            attachViewer(s, client, DeviceNames.sanitize(Json.text(params, "viewer_device")));
            result = snapshot(s, -1);
            result.addProperty("stored_session_id", storedId);
            publish(s);
        }
        return result;
    }

    public JsonObject activate(Client client, JsonObject params) throws RpcException {
        LiveSession s = live(params);
        return attach(client, s, params);
    }

    /** Attaches to a live session by stored id or exact title, loading it from the store when it is not live. */
    public JsonObject resume(Client client, JsonObject params) throws RpcException {
        String key = Json.text(params, "session_id").strip();
        if (key.isEmpty()) {
            throw new RpcException(JsonRpcCodes.SESSION_ID_REQUIRED, "session_id required");
        }
        LiveSession s;
        synchronized (lock) {
            s = byStored.get(key);
            if (s == null) {
                // a runtime id is accepted too, as the Hermes desktop sends one here
                s = byRuntime.get(key);
            }
        }
        if (s == null) {
            s = load(key);
        }
        return attach(client, s, params);
    }

    private LiveSession load(String key) throws RpcException {
        try {
            Optional<StoredSession> stored = store.find(key);
            if (stored.isEmpty()) {
                stored = store.findByTitle(key);
            }
            if (stored.isEmpty()) {
                throw new RpcException(JsonRpcCodes.STORED_SESSION_NOT_FOUND, "session not found");
            }
            StoredSession found = stored.get();
            synchronized (lock) {
                LiveSession already = byStored.get(found.id());
                if (already != null) {
                    return already;
                }
                LiveSession s = new LiveSession(newRuntimeId(), found.id(), found.title(), found.startedAt(),
                        store.messages(found.id()), found.lastSeq());
                byRuntime.put(s.runtimeId, s);
                byStored.put(found.id(), s);
                return s;
            }
        } catch (SQLException e) {
            throw storeFailure(e);
        }
    }

    private JsonObject attach(Client client, LiveSession s, JsonObject params) {
        long since = Json.number(params, "since_seq", -1);
        synchronized (s) {
            attachViewer(s, client, DeviceNames.sanitize(Json.text(params, "viewer_device")));
            JsonObject result = snapshot(s, since);
            publish(s);
            return result;
        }
    }

    // with the session's lock
    private void attachViewer(LiveSession s, Client client, String device) {
        client.setDevice(device);
        List<Participant> before = s.participants();
        s.viewers.put(client, client.device());
        s.lastActive = now();
        if (!before.equals(s.participants())) {
            emitParticipants(s);
        }
    }

    // with the session's lock
    private JsonObject snapshot(LiveSession s, long since) {
        JsonObject r = new JsonObject();
        r.addProperty("session_id", s.runtimeId);
        r.addProperty("session_key", s.storedId);
        r.addProperty("resumed", s.storedId);
        r.addProperty("title", s.title);
        r.addProperty("started_at", s.startedAt);
        r.addProperty("running", s.running);
        r.addProperty("status", s.status());
        r.addProperty("message_count", s.rows.size());
        r.addProperty("last_seq", s.seq);
        // the roster as of this snapshot: the event announcing this very attach is part of what it covers
        r.add("participants", participantsPayload(s).get("participants"));
        JsonObject info = new JsonObject();
        info.addProperty("model", agent.model());
        info.addProperty("running", s.running);
        r.add("info", info);
        if (canReplay(s, since)) {
            JsonArray replay = new JsonArray();
            for (Frame.Event e : s.log) {
                if (e.seq() > since) {
                    replay.add(codec.toJson(e).getAsJsonObject("params"));
                }
            }
            r.add("replay", replay);
            return r;
        }
        JsonArray messages = new JsonArray();
        for (TranscriptRow row : s.rows) {
            messages.add(row.toJson());
        }
        r.add("messages", messages);
        if (s.running) {
            JsonObject inflight = new JsonObject();
            inflight.addProperty("assistant", s.inflight.toString());
            inflight.addProperty("streaming", true);
            inflight.addProperty("user", s.inflightUser);
            r.add("inflight", inflight);
        }
        JsonArray pending = new JsonArray();
        for (LiveSession.PendingAsk ask : s.asks.values()) {
            pending.add(askPayload(ask.request()));
        }
        if (!pending.isEmpty()) {
            r.add("pending_requests", pending);
        }
        return r;
    }

    /** A replay is possible when every event after {@code since} is still in the log. */
    private static boolean canReplay(LiveSession s, long since) {
        if (since < 0 || since > s.seq) {
            return false;
        }
        if (since == s.seq) {
            return true;
        }
        return !s.log.isEmpty() && s.log.peekFirst().seq() <= since + 1;
    }

    public JsonObject list(JsonObject params) throws RpcException {
        int limit = (int) Math.max(1, Math.min(10_000, Json.number(params, "limit", 200)));
        JsonArray sessions = new JsonArray();
        try {
            for (StoredSession s : store.list(limit)) {
                JsonObject o = new JsonObject();
                o.addProperty("id", s.id());
                o.addProperty("title", s.title());
                o.addProperty("preview", s.preview());
                o.addProperty("started_at", s.startedAt());
                o.addProperty("message_count", s.messageCount());
                o.addProperty("source", "agentchannels");
                sessions.add(o);
            }
        } catch (SQLException e) {
            throw storeFailure(e);
        }
        JsonObject r = new JsonObject();
        r.add("sessions", sessions);
        return r;
    }

    public JsonObject activeList(JsonObject params) {
        String current = Json.text(params, "current_session_id");
        List<LiveSession> all;
        synchronized (lock) {
            all = new ArrayList<>(byRuntime.values());
        }
        JsonArray sessions = new JsonArray();
        for (LiveSession s : all) {
            synchronized (s) {
                JsonObject o = new JsonObject();
                o.addProperty("current", s.runtimeId.equals(current));
                o.addProperty("id", s.runtimeId);
                o.addProperty("session_key", s.storedId);
                o.addProperty("title", s.title);
                o.addProperty("preview", s.preview());
                o.addProperty("model", agent.model());
                o.addProperty("status", s.status());
                o.addProperty("message_count", s.rows.size());
                o.addProperty("started_at", s.startedAt);
                o.addProperty("last_active", s.lastActive);
                sessions.add(o);
                publish(s); // Hermes re-publishes presence here too
            }
        }
        JsonObject r = new JsonObject();
        r.add("sessions", sessions);
        return r;
    }

    public JsonObject participants(JsonObject params) throws RpcException {
        LiveSession s = live(params);
        synchronized (s) {
            return participantsPayload(s);
        }
    }

    public JsonObject history(JsonObject params) throws RpcException {
        LiveSession s = live(params);
        synchronized (s) {
            JsonArray messages = new JsonArray();
            for (TranscriptRow row : s.rows) {
                messages.add(row.toJson());
            }
            JsonObject r = new JsonObject();
            r.addProperty("count", s.rows.size());
            r.add("messages", messages);
            return r;
        }
    }

    /** Reads the title, or sets it when {@code title} is given. */
    public JsonObject title(JsonObject params) throws RpcException {
        LiveSession s = live(params);
        synchronized (s) {
            if (params.has("title")) {
                if (!(params.get("title") instanceof com.google.gson.JsonPrimitive p) || !p.isString()) {
                    throw new RpcException(JsonRpcCodes.BAD_VALUE, "title must be a string");
                }
                String title = p.getAsString().strip();
                if (title.length() > 200) {
                    title = title.substring(0, 200);
                }
                try {
                    store.setTitle(s.storedId, title);
                } catch (SQLException e) {
                    throw storeFailure(e);
                }
                s.title = title;
                JsonObject payload = new JsonObject();
                payload.addProperty("session_id", s.storedId);
                payload.addProperty("title", title);
                emit(s, "session.title", payload);
                publish(s);
            }
            JsonObject r = new JsonObject();
            r.addProperty("title", s.title);
            r.addProperty("session_key", s.storedId);
            return r;
        }
    }

    public JsonObject interrupt(JsonObject params) throws RpcException {
        LiveSession s = live(params);
        synchronized (s) {
            if (s.running && s.turn != null) {
                s.turn.interrupt();
            }
            cancelAsks(s);
        }
        JsonObject r = new JsonObject();
        r.addProperty("status", "interrupted");
        return r;
    }

    public JsonObject close(JsonObject params) throws RpcException {
        LiveSession s = live(params);
        end(s);
        JsonObject r = new JsonObject();
        r.addProperty("closed", true);
        return r;
    }

    private void end(LiveSession s) {
        synchronized (lock) {
            byRuntime.remove(s.runtimeId);
            byStored.remove(s.storedId);
        }
        synchronized (s) {
            s.closed = true;
            if (s.running && s.turn != null) {
                s.turn.interrupt();
            }
            cancelAsks(s);
        }
        for (PresenceListener l : presence) {
            l.ended(s.runtimeId);
        }
    }

    /**
     * Runs a prompt now, or queues it behind the running turn. A prompt whose {@code submission_id} was
     * seen before is acknowledged and not run again.
     */
    public JsonObject submit(Client client, JsonObject params) throws RpcException {
        LiveSession s = live(params);
        if (!(params.get("text") instanceof com.google.gson.JsonPrimitive p) || !p.isString() || p.getAsString().isBlank()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "text required");
        }
        String text = p.getAsString();
        // sanitised; a non-string never names anyone, and without a name the prompt is this gateway's own
        String sender = DeviceNames.sanitize(Json.text(params, "sender_device"));
        if (sender.isEmpty()) {
            sender = deviceName;
        }
        String submissionId = Json.text(params, "submission_id");
        JsonObject r = new JsonObject();
        synchronized (s) {
            if (s.closed) {
                throw new RpcException(JsonRpcCodes.SESSION_NOT_FOUND, "session not found");
            }
            if (!submissionId.isEmpty() && isKnownSubmission(s, submissionId)) {
                r.addProperty("status", "accepted");
                r.addProperty("duplicate", true);
                return r;
            }
            if (params.has("sender_device")) {
                client.setDevice(sender);
            }
            attachViewer(s, client, client.device());
            LiveSession.Queued prompt = new LiveSession.Queued(submissionId.isEmpty() ? "" : submissionId, text, sender);
            if (s.running) {
                try {
                    store.addPending(s.storedId, new PendingPrompt(prompt.submissionId(), text, sender));
                } catch (SQLException e) {
                    throw storeFailure(e);
                }
                s.queue.add(prompt);
                r.addProperty("status", "queued");
                r.addProperty("position", s.queue.size());
            } else {
                startTurn(s, prompt);
                r.addProperty("status", "streaming");
            }
        }
        return r;
    }

    // with the session's lock
    private boolean isKnownSubmission(LiveSession s, String submissionId) throws RpcException {
        for (LiveSession.Queued q : s.queue) {
            if (q.submissionId().equals(submissionId)) {
                return true;
            }
        }
        try {
            return store.hasSubmission(s.storedId, submissionId);
        } catch (SQLException e) {
            throw storeFailure(e);
        }
    }

    // with the session's lock
    private void startTurn(LiveSession s, LiveSession.Queued prompt) throws RpcException {
        TranscriptRow user = TranscriptRow.user(prompt.text(), prompt.senderDevice());
        List<TranscriptRow> history = List.copyOf(s.rows);
        try {
            store.append(s.storedId, user, prompt.submissionId(), now());
            if (!prompt.submissionId().isEmpty()) {
                store.removePending(s.storedId, prompt.submissionId());
            }
            store.setTurnOpen(s.storedId, true, s.seq);
        } catch (SQLException e) {
            throw storeFailure(e);
        }
        s.rows.add(user);
        s.running = true;
        s.inflight.setLength(0);
        s.inflightReasoning.setLength(0);
        s.inflightUser = prompt.text();
        s.lastActive = now();
        JsonObject start = new JsonObject();
        start.addProperty("input", prompt.text());
        start.addProperty("sender_device", prompt.senderDevice());
        if (!prompt.submissionId().isEmpty()) {
            start.addProperty("submission_id", prompt.submissionId());
        }
        emit(s, "message.start", start);
        emitInfo(s);
        publish(s);
        TurnSink sink = new TurnSink(s);
        s.turn = agent.start(new Agent.Request(s.runtimeId, history, prompt.text(), prompt.senderDevice()), sink);
    }

    /** Where one turn's agent reports; everything it says is applied under the session's lock, in order. */
    private final class TurnSink implements Agent.Sink {
        private final LiveSession s;
        private boolean done;

        TurnSink(LiveSession s) {
            this.s = s;
        }

        @Override
        public void delta(String text) {
            synchronized (s) {
                if (done || text.isEmpty()) {
                    return;
                }
                s.inflight.append(text);
                JsonObject payload = new JsonObject();
                payload.addProperty("text", text);
                emit(s, "message.delta", payload);
            }
        }

        @Override
        public void reasoning(String text) {
            synchronized (s) {
                if (done || text.isEmpty()) {
                    return;
                }
                s.inflightReasoning.append(text);
                JsonObject payload = new JsonObject();
                payload.addProperty("text", text);
                emit(s, "reasoning.delta", payload);
            }
        }

        @Override
        public void tool(String name, String context) {
            synchronized (s) {
                if (done) {
                    return;
                }
                TranscriptRow row = TranscriptRow.tool(name, context);
                try {
                    store.append(s.storedId, row, null, now());
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "storing a tool row failed", e);
                }
                s.rows.add(row);
                JsonObject payload = new JsonObject();
                payload.addProperty("tool_id", "t" + requestIds.incrementAndGet());
                payload.addProperty("name", name);
                payload.addProperty("context", context);
                emit(s, "tool.start", payload);
            }
        }

        @Override
        public CompletableFuture<String> ask(InputRequest.Kind kind, String prompt, List<String> choices) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            synchronized (s) {
                if (done || s.closed) {
                    answer.cancel(false);
                    return answer;
                }
                String requestId = "q" + requestIds.incrementAndGet();
                InputRequest request = new InputRequest(kind, s.runtimeId, requestId, prompt, choices, false, null);
                s.asks.put(requestId, new LiveSession.PendingAsk(request, answer));
                emit(s, kind.wireName() + ".request", askPayload(request));
                publish(s);
            }
            return answer;
        }

        @Override
        public void complete(Agent.Result result) {
            synchronized (s) {
                if (done) {
                    return;
                }
                done = true;
                String text = s.inflight.toString();
                if (text.isEmpty() && "error".equals(result.status())) {
                    text = result.error();
                }
                TranscriptRow row = TranscriptRow.assistant(text, s.inflightReasoning.toString(), result.status());
                s.rows.add(row);
                s.running = false;
                s.turn = null;
                cancelAsks(s);
                try {
                    store.append(s.storedId, row, null, now());
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.ERROR, "storing the end of a turn failed", e);
                }
                JsonObject payload = new JsonObject();
                payload.addProperty("text", s.inflight.toString());
                payload.addProperty("status", result.status());
                if (!s.inflightReasoning.isEmpty()) {
                    payload.addProperty("reasoning", s.inflightReasoning.toString());
                }
                if (!result.error().isEmpty()) {
                    payload.addProperty("error", result.error());
                }
                payload.add("usage", result.usage());
                emit(s, "message.complete", payload);
                emitInfo(s);
                try {
                    store.setTurnOpen(s.storedId, false, s.seq);
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.ERROR, "storing the end of a turn failed", e);
                }
                s.inflight.setLength(0);
                s.inflightReasoning.setLength(0);
                s.inflightUser = "";
                s.lastActive = now();
                publish(s);
                LiveSession.Queued next = s.closed ? null : s.queue.poll();
                if (next != null) {
                    try {
                        startTurn(s, next);
                    } catch (RpcException e) {
                        LOG.log(System.Logger.Level.ERROR, "starting a queued prompt failed: " + e.getMessage());
                    }
                }
            }
        }
    }

    private static JsonObject askPayload(InputRequest request) {
        JsonObject p = new JsonObject();
        p.addProperty("request_id", request.requestId());
        JsonArray choices = new JsonArray();
        request.choices().forEach(choices::add);
        switch (request.kind()) {
            case APPROVAL -> {
                p.addProperty("command", request.prompt());
                p.addProperty("description", "run a command");
                p.addProperty("allow_permanent", false);
                if (!choices.isEmpty()) {
                    p.add("choices", choices);
                }
            }
            case CLARIFY -> {
                p.addProperty("question", request.prompt());
                p.add("choices", choices);
            }
            default -> p.addProperty("prompt", request.prompt());
        }
        return p;
    }

    // with the session's lock
    private void cancelAsks(LiveSession s) {
        if (s.asks.isEmpty()) {
            return;
        }
        for (LiveSession.PendingAsk ask : s.asks.values()) {
            ask.answer().cancel(false);
            JsonObject payload = new JsonObject();
            payload.addProperty("request_id", ask.request().requestId());
            emit(s, "request.cancel", payload);
        }
        s.asks.clear();
    }

    /** {@code approval.respond {session_id, choice}}: answers the session's pending approval. */
    public JsonObject approvalRespond(JsonObject params) throws RpcException {
        LiveSession s = live(params);
        String choice = Json.text(params, "choice");
        if (choice.isEmpty()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "choice required");
        }
        return resolve(s, Json.text(params, "request_id"), InputRequest.Kind.APPROVAL, choice);
    }

    /** {@code clarify.respond {request_id, answer}}, also accepted with {@code session_id}. */
    public JsonObject clarifyRespond(JsonObject params) throws RpcException {
        String requestId = Json.text(params, "request_id");
        if (requestId.isEmpty()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "request_id required");
        }
        String answer = Json.text(params, "answer");
        List<LiveSession> all;
        synchronized (lock) {
            all = new ArrayList<>(byRuntime.values());
        }
        for (LiveSession s : all) {
            synchronized (s) {
                if (s.asks.containsKey(requestId)) {
                    return resolve(s, requestId, InputRequest.Kind.CLARIFY, answer);
                }
            }
        }
        throw new RpcException(JsonRpcCodes.SESSION_BUSY, "no pending clarify request");
    }

    private JsonObject resolve(LiveSession s, String requestId, InputRequest.Kind kind, String answer) throws RpcException {
        synchronized (s) {
            LiveSession.PendingAsk ask = null;
            for (var it = s.asks.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (e.getValue().request().kind() == kind && (requestId.isEmpty() || e.getKey().equals(requestId))) {
                    ask = e.getValue();
                    it.remove();
                    break;
                }
            }
            if (ask == null) {
                throw new RpcException(JsonRpcCodes.SESSION_BUSY, "no pending " + kind.wireName() + " request");
            }
            JsonObject payload = new JsonObject();
            payload.addProperty("request_id", ask.request().requestId());
            emit(s, "request.cancel", payload); // other viewers stop offering it
            ask.answer().complete(answer);
            publish(s);
        }
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        r.addProperty("resolved", true);
        return r;
    }

    /** Detaches a client that went away from every session it viewed. */
    public void clientGone(Client client) {
        List<LiveSession> all;
        synchronized (lock) {
            all = new ArrayList<>(byRuntime.values());
        }
        for (LiveSession s : all) {
            synchronized (s) {
                if (s.viewers.containsKey(client)) {
                    List<Participant> before = s.participants();
                    s.viewers.remove(client);
                    if (!before.equals(s.participants())) {
                        emitParticipants(s);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ events

    // with the session's lock: numbering, logging and sending in one step keeps every client in one order
    private void emit(LiveSession s, String type, JsonObject payload) {
        Frame.Event event = FrameCodec.event(type, s.runtimeId, payload, ++s.seq);
        s.log.addLast(event);
        while (s.log.size() > LiveSession.REPLAY_LOG_SIZE) {
            s.log.removeFirst();
        }
        String text = codec.encode(event);
        for (Client c : s.viewers.keySet()) {
            c.send(text);
        }
    }

    private void emitInfo(LiveSession s) {
        JsonObject info = new JsonObject();
        info.addProperty("model", agent.model());
        info.addProperty("running", s.running);
        emit(s, "session.info", info);
    }

    private void emitParticipants(LiveSession s) {
        emit(s, "session.participants", participantsPayload(s));
    }

    private static JsonObject participantsPayload(LiveSession s) {
        JsonArray list = new JsonArray();
        for (Participant p : s.participants()) {
            JsonObject o = new JsonObject();
            o.addProperty("device", p.device());
            o.addProperty("count", p.count());
            list.add(o);
        }
        JsonObject r = new JsonObject();
        r.add("participants", list);
        return r;
    }

    // with the session's lock
    private void publish(LiveSession s) {
        if (s.closed) {
            return;
        }
        LiveSessionInfo info = info(s);
        for (PresenceListener l : presence) {
            l.changed(info);
        }
    }

    private static RpcException storeFailure(SQLException e) {
        LOG.log(System.Logger.Level.ERROR, "the session store failed", e);
        return new RpcException(5006, "the session store failed: " + e.getClass().getSimpleName());
    }

    /** Interrupts every running turn (their ends are stored as interrupted) and ends every session. */
    @Override
    public void close() {
        List<LiveSession> all;
        synchronized (lock) {
            all = new ArrayList<>(byRuntime.values());
        }
        for (LiveSession s : all) {
            end(s);
        }
        // give interrupted turns a moment to store their ends
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (LiveSession s : all) {
            while (System.nanoTime() < deadline) {
                synchronized (s) {
                    if (!s.running) {
                        break;
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The agent's label, as sessions report it for their model. */
    public String model() {
        return agent.model();
    }
}
