package org.agentchannels.connector.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.EventTypes;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.Methods;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The Jetty WebSocket {@link org.agentchannels.connector.GatewayConnection}: one socket at a time, each with its
 * generation number.
 */
public final class JettyGatewayConnection extends TypedGatewayCalls {

    private final String endpoint;
    private final Supplier<Optional<String>> token;
    private final BooleanSupplier tokenInQuery;
    private final WebSocketClient client;
    private final ScheduledExecutorService scheduler;
    private final FrameCodec codec;
    private final Backoff backoff;
    private final long heartbeatMillis;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final PendingCalls pending;
    private final WaitingCalls whenConnected;
    private ConnectionState state = new ConnectionState.Disconnected();
    private long generation;
    private Session session;
    private boolean everConnected;
    private boolean closed;
    private int attempt;
    private CompletableFuture<GatewayEvent.GatewayReady> readyFuture;
    private GatewayEvent.GatewayReady ready;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> redial;
    private final BooleanSupplier paired;

    /** A connection that sends its token in the {@code Authorization} header only. */
    public JettyGatewayConnection(String endpoint, Supplier<Optional<String>> token, WebSocketClient client,
            ScheduledExecutorService scheduler, FrameCodec codec, Backoff backoff, Duration heartbeat) {
        this(endpoint, token, () -> false, client, scheduler, codec, backoff, heartbeat);
    }

    /**
     * @param endpoint the gateway's {@code ws://} URL, without token
     * @param token asked at every dial, so a token paired later is used on the next redial
     * @param tokenInQuery asked at every dial: whether the endpoint was paired as a Hermes gateway, which takes
     *        the token only as {@code ?token=}; any other gateway gets it in the header only, so that the token
     *        never lands in a URL (and in the logs of whatever answers at that address)
     */
    public JettyGatewayConnection(String endpoint, Supplier<Optional<String>> token, BooleanSupplier tokenInQuery,
            WebSocketClient client, ScheduledExecutorService scheduler, FrameCodec codec, Backoff backoff,
            Duration heartbeat) {
        this(endpoint, token, tokenInQuery, () -> true, client, scheduler, codec, backoff, heartbeat);
    }

    /**
     * @param paired asked before every dial after the first (a redial, a {@link #connect} again): a gateway
     *        whose pairing was removed meanwhile is not dialled again, and the connection fails as {@link
     *        GatewayException.Kind#NOT_PAIRED}; true while the pairing cannot be read, so that a store failing
     *        for a moment does not end a live connection
     */
    public JettyGatewayConnection(String endpoint, Supplier<Optional<String>> token, BooleanSupplier tokenInQuery,
            BooleanSupplier paired, WebSocketClient client, ScheduledExecutorService scheduler, FrameCodec codec,
            Backoff backoff, Duration heartbeat) {
        super(codec);
        this.paired = paired;
        GatewayEndpoints.parse(endpoint);
        this.heartbeatMillis = heartbeat.toMillis();
        this.endpoint = endpoint.trim();
        this.token = token;
        this.tokenInQuery = tokenInQuery;
        this.client = client;
        this.scheduler = scheduler;
        this.codec = codec;
        this.backoff = backoff;
        this.pending = new PendingCalls(scheduler);
        this.whenConnected = new WaitingCalls(scheduler);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The last {@code gateway.ready} of this connection, empty before the first. */
    @Override
    public Optional<GatewayEvent.GatewayReady> ready() {
        synchronized (lock) {
            return Optional.ofNullable(ready);
        }
    }

    /**
     * Dials when not connected (again after a failure or a close) and completes with the gateway's ready
     * frame. While connected, or while a dial or redial is under way, it returns the same pending result.
     */
    @Override
    public CompletableFuture<GatewayEvent.GatewayReady> connect() {
        boolean stillPaired = paired.getAsBoolean(); // outside the lock: it may read Secure Storage
        synchronized (lock) {
            if (!stillPaired) {
                // unpaired since this connection was made: a chat still open on it dials nothing
                GatewayException refused = PairedGateways.notPaired(endpoint);
                fail(refused);
                return CompletableFuture.failedFuture(refused);
            }
            closed = false;
            if (readyFuture != null && !readyFuture.isCompletedExceptionally()
                    && !(state instanceof ConnectionState.Disconnected) && !(state instanceof ConnectionState.Failed)) {
                return readyFuture;
            }
            readyFuture = new CompletableFuture<>();
            everConnected = false;
            attempt = 0;
            setState(new ConnectionState.Connecting());
            dial();
            return readyFuture;
        }
    }

    // called with lock held
    private void dial() {
        long gen = ++generation;
        Optional<String> t = token.get();
        boolean inQuery = t.isPresent() && tokenInQuery.getAsBoolean();
        URI uri = URI.create(inQuery ? GatewayEndpoints.withToken(endpoint, t.get()) : endpoint);
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest(uri);
        if (!inQuery) {
            t.ifPresent(value -> upgrade.setHeader("Authorization", "Bearer " + value));
        }
        Socket socket = new Socket(gen);
        try {
            client.connect(socket, upgrade).whenComplete((s, error) -> {
                if (error != null) {
                    dialFailed(gen, error, t.isPresent());
                }
            });
        } catch (Exception e) {
            scheduler.execute(() -> dialFailed(gen, e, t.isPresent()));
        }
    }

    private void dialFailed(long gen, Throwable error, boolean tokenPresented) {
        synchronized (lock) {
            if (gen != generation || closed) {
                return;
            }
            // a failed upgrade is reported twice, here and as the socket's error: the first one acts
            generation++;
            GatewayException failure = ConnectionFailures.dial(error, GatewayEndpoints.redact(endpoint), tokenPresented);
            if (everConnected && failure.kind() == GatewayException.Kind.UNREACHABLE) {
                scheduleRedial(failure.getMessage());
            } else {
                fail(failure);
            }
        }
    }

    // called with lock held
    private void fail(GatewayException failure) {
        cancelTimers();
        setState(new ConnectionState.Failed(failure.kind(), failure.getMessage()));
        if (readyFuture != null && !readyFuture.isDone()) {
            readyFuture.completeExceptionally(failure);
        }
        whenConnected.failAll(failure);
    }

    // called with lock held
    private void scheduleRedial(String reason) {
        if (redial != null) {
            redial.cancel(false); // one redial at a time: two would dial twice and race
        }
        attempt++;
        long delay = backoff.delayMillis(attempt);
        setState(new ConnectionState.Reconnecting(attempt, delay, reason));
        redial = scheduler.schedule(() -> {
            boolean stillPaired = paired.getAsBoolean(); // outside the lock: it may read Secure Storage
            synchronized (lock) {
                if (closed || !(state instanceof ConnectionState.Reconnecting)) {
                    return;
                }
                if (!stillPaired) {
                    fail(PairedGateways.notPaired(endpoint)); // unpaired while away: not dialled again
                    return;
                }
                dial();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Closes on purpose: no redial; pending and queued calls fail with {@link GatewayException.Kind#CLOSED}. */
    @Override
    public void close() {
        Session toClose;
        GatewayException failure = new GatewayException(GatewayException.Kind.CLOSED,
                "the connection to " + GatewayEndpoints.redact(endpoint) + " was closed");
        synchronized (lock) {
            closed = true;
            generation++;
            cancelTimers();
            toClose = session;
            session = null;
            setState(new ConnectionState.Disconnected());
            if (readyFuture != null && !readyFuture.isDone()) {
                readyFuture.completeExceptionally(failure);
            }
            whenConnected.failAll(failure);
        }
        pending.failAll(PendingCalls.ALL_GENERATIONS, failure);
        if (toClose != null) {
            toClose.close(1000, "client closed", Callback.NOOP);
        }
    }

    private void cancelTimers() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        if (redial != null) {
            redial.cancel(false);
            redial = null;
        }
    }

    /** Waits, when the connection is being (re)established, in {@link WaitingCalls}; else sent at once. */
    @Override
    public CompletableFuture<JsonObject> request(String method, JsonObject params, Duration timeout) {
        CompletableFuture<JsonObject> future = new CompletableFuture<>();
        synchronized (lock) {
            if (state instanceof ConnectionState.Connected) {
                send(method, params, timeout, future);
            } else if (state instanceof ConnectionState.Connecting || state instanceof ConnectionState.Reconnecting) {
                whenConnected.add(new WaitingCalls.Call(method, params, timeout, future),
                        () -> new GatewayException(GatewayException.Kind.TIMEOUT, "no connection to "
                                + GatewayEndpoints.redact(endpoint) + " within " + timeout.toSeconds() + " s"));
            } else {
                String why = state instanceof ConnectionState.Failed f ? f.reason()
                        : "not connected to " + GatewayEndpoints.redact(endpoint);
                GatewayException.Kind kind = state instanceof ConnectionState.Failed f ? f.kind() : GatewayException.Kind.CLOSED;
                future.completeExceptionally(new GatewayException(kind, why));
            }
        }
        return future;
    }

    // called with lock held, while connected
    private void send(String method, JsonObject params, Duration timeout, CompletableFuture<JsonObject> future) {
        if (future.isDone()) {
            return; // timed out while waiting for the connection
        }
        if (session == null) {
            future.completeExceptionally(new GatewayException(GatewayException.Kind.CONNECTION_LOST,
                    "the connection to " + GatewayEndpoints.redact(endpoint) + " dropped"));
            return;
        }
        long id = ids.incrementAndGet();
        String key = new Frame.Request(new JsonPrimitive(id), method, params).idKey();
        pending.track(key, future, generation, timeout, () -> new GatewayException(GatewayException.Kind.TIMEOUT,
                method + " got no answer from " + GatewayEndpoints.redact(endpoint) + " within " + timeout.toSeconds()
                        + " s"));
        long gen = generation;
        session.sendText(codec.request(id, method, params), new Callback() {
            @Override
            public void fail(Throwable cause) {
                pending.failUnsent(key, gen, new GatewayException(GatewayException.Kind.CONNECTION_LOST,
                        method + " could not be sent to " + GatewayEndpoints.redact(endpoint)));
            }
        });
    }

    @Override
    void sendAnswer(Frame frame) {
        synchronized (lock) {
            if (session != null && state.isConnected()) {
                session.sendText(codec.encode(frame), Callback.NOOP);
            }
        }
    }

    private void setState(ConnectionState next) {
        state = next;
        for (Listener l : listeners) {
            l.stateChanged(this, next);
        }
    }

    // ------------------------------------------------------------------ the socket

    /**
     * The Jetty endpoint of one dial; it knows its generation and goes quiet when superseded. Public only
     * because Jetty calls its methods through a public lookup; nothing else can create one.
     */
    public final class Socket implements Session.Listener.AutoDemanding {

        private final long gen;
        private final TextMessages texts = new TextMessages(codec.maxFrameChars());
        /** The session Jetty opened for this dial, for the frames this socket sends itself (pongs, a refusal's close). */
        private volatile Session opened;

        private Socket(long gen) {
            this.gen = gen;
        }

        /**
         * Every frame, as it came: text messages are put together and decoded here ({@link TextMessages}), pings
         * answered, the close handshake left to Jetty (which completes it once the frame is taken), binary messages
         * (which no gateway sends) passed over.
         */
        @Override
        public void onWebSocketFrame(org.eclipse.jetty.websocket.api.Frame frame, Callback callback) {
            switch (frame.getType()) {
                case PING -> {
                    Session s = opened;
                    if (s != null) {
                        ByteBuffer payload = frame.getPayload();
                        ByteBuffer copy = ByteBuffer.allocate(payload == null ? 0 : payload.remaining());
                        if (payload != null) {
                            copy.put(payload.duplicate()).flip();
                        }
                        s.sendPong(copy, Callback.NOOP);
                    }
                    callback.succeed();
                }
                case TEXT, CONTINUATION -> {
                    if (frame.getEffectiveOpCode() != org.eclipse.jetty.websocket.api.Frame.Type.TEXT.getOpCode()) {
                        callback.succeed();
                        return;
                    }
                    String text;
                    try {
                        text = texts.accept(frame.getPayload(), frame.isFin());
                    } catch (TextMessages.Refused refused) {
                        callback.succeed();
                        Session s = opened;
                        if (s != null) {
                            s.close(refused.closeCode, refused.getMessage(), Callback.NOOP);
                        }
                        return;
                    }
                    callback.succeed();
                    if (text != null) {
                        onText(text);
                    }
                }
                default -> callback.succeed();
            }
        }

        private boolean current() {
            synchronized (lock) {
                return gen == generation && !closed;
            }
        }

        @Override
        public void onWebSocketOpen(Session s) {
            opened = s;
            synchronized (lock) {
                if (gen != generation || closed) {
                    s.close(1000, "superseded", Callback.NOOP);
                    return;
                }
                session = s;
            }
        }

        private void onText(String text) {
            if (!current()) {
                return;
            }
            Frame frame = codec.decode(text);
            switch (frame) {
                case Frame.Response r -> pending.answer(r.idKey(), r.resultObject(), null);
                case Frame.Failure f -> {
                    if (f.id().isJsonNull()) {
                        listeners.forEach(l -> l.malformed(JettyGatewayConnection.this, "error " + f.code() + ": " + f.message()));
                    } else {
                        pending.answer(f.idKey(), null, new GatewayException(GatewayException.Kind.RPC_ERROR, f.code(),
                                f.message().isEmpty() ? "error " + f.code() : f.message()));
                    }
                }
                case Frame.Event e when EventTypes.GATEWAY_READY.equals(e.type()) -> onReady(
                        (GatewayEvent.GatewayReady) GatewayEvents.parse(e));
                case Frame.Event e -> listeners.forEach(l -> l.event(JettyGatewayConnection.this, e));
                case Frame.Request r -> serverRequest(r, listeners);
                case Frame.Notification n -> {
                    // no notification other than "event" is used by a chat client
                }
                case Frame.Malformed m -> listeners.forEach(l -> l.malformed(JettyGatewayConnection.this, m.error().message()));
            }
        }

        private void onReady(GatewayEvent.GatewayReady r) {
            boolean reconnected;
            List<WaitingCalls.Call> queued;
            CompletableFuture<GatewayEvent.GatewayReady> toComplete;
            synchronized (lock) {
                if (gen != generation || closed) {
                    return;
                }
                reconnected = everConnected;
                everConnected = true;
                attempt = 0;
                ready = r;
                setState(new ConnectionState.Connected());
                if (r.heartbeat() && heartbeat == null) {
                    heartbeat = scheduler.scheduleAtFixedRate(JettyGatewayConnection.this::sendHeartbeat, heartbeatMillis,
                            heartbeatMillis, TimeUnit.MILLISECONDS);
                }
                toComplete = readyFuture;
                queued = whenConnected.takeAll();
            }
            // the listeners re-attach first, so calls queued while disconnected reach an attached session
            listeners.forEach(l -> l.ready(JettyGatewayConnection.this, r, reconnected));
            synchronized (lock) {
                for (WaitingCalls.Call q : queued) {
                    send(q.method(), q.params(), q.timeout(), q.future());
                }
            }
            if (toComplete != null) {
                toComplete.complete(r);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            lost(statusCode, reason == null ? "" : reason);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            lost(-1, cause.getClass().getSimpleName());
        }

        private void lost(int statusCode, String reason) {
            String where = GatewayEndpoints.redact(endpoint);
            synchronized (lock) {
                if (gen != generation || closed) {
                    return;
                }
                generation++; // whatever this socket still delivers is stale from now on
                session = null;
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                    heartbeat = null;
                }
                // the next state first, so calls retried by the failures below wait for the redial
                GatewayException refused = ConnectionFailures.closed(statusCode, where, everConnected);
                if (refused != null) {
                    fail(refused);
                } else {
                    scheduleRedial("connection lost" + (statusCode > 0 ? " (" + statusCode + ")" : ""));
                }
            }
            pending.failAll(gen, new GatewayException(GatewayException.Kind.CONNECTION_LOST,
                    "the connection to " + where + " dropped before the answer came"));
        }
    }

    private void sendHeartbeat() {
        request(Methods.GATEWAY_PING, new JsonObject(), Duration.ofSeconds(20)).exceptionally(e -> null);
    }

    @Override
    public String toString() {
        return "GatewayConnection[" + GatewayEndpoints.redact(endpoint) + ", " + state() + "]";
    }
}
