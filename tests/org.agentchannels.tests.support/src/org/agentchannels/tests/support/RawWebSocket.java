package org.agentchannels.tests.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * A bare WebSocket client for tests that must send what no well-behaved client sends: garbage frames, huge
 * frames, wrong headers, calls with parameters the connector's typed calls never write; or that must not read
 * at all ({@link #connectWithoutReading}), as a stuck client. It records every text frame received and the
 * close code.
 */
public final class RawWebSocket implements Session.Listener, AutoCloseable {

    private final WebSocketClient client = new WebSocketClient();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile Session session;
    /** While set, nothing is read: frames wait in the network buffers and then at the sender. */
    private volatile boolean paused;
    private final FrameCodec codec = new FrameCodec();
    private final Map<String, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private RawWebSocket(boolean paused) {
        this.paused = paused;
    }

    /** Connects with the given extra headers (for example {@code Origin} or {@code Authorization}). */
    public static RawWebSocket connect(String uri, Map<String, String> headers) throws Exception {
        return connect(uri, headers, false);
    }

    /**
     * Connects but reads nothing, not even the gateway's first frame, until {@link #startReading()}: a client
     * that stopped reading (a hung process, a stalled link). It can still send.
     */
    public static RawWebSocket connectWithoutReading(String uri, Map<String, String> headers) throws Exception {
        return connect(uri, headers, true);
    }

    private static RawWebSocket connect(String uri, Map<String, String> headers, boolean paused) throws Exception {
        RawWebSocket socket = new RawWebSocket(paused);
        socket.client.setMaxTextMessageSize(64L * 1024 * 1024);
        socket.client.start();
        ClientUpgradeRequest request = new ClientUpgradeRequest(URI.create(uri));
        headers.forEach(request::setHeader);
        socket.client.connect(socket, request).get(20, TimeUnit.SECONDS);
        return socket;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        if (!paused) {
            s.demand();
        }
    }

    @Override
    public void onWebSocketText(String text) {
        received.add(text);
        switch (codec.decode(text)) {
            case Frame.Response r -> answer(r.idKey(), r.resultObject(), null);
            case Frame.Failure f -> answer(f.idKey(), null,
                    new GatewayException(GatewayException.Kind.RPC_ERROR, f.code(), f.message()));
            default -> {
                // events and anything else are only recorded
            }
        }
        session.demand();
    }

    /** Starts reading what waited (one demand, then one after each frame: Jetty delivers only what is asked for). */
    public void startReading() {
        if (paused) {
            paused = false;
            session.demand();
        }
    }

    private void answer(String idKey, JsonObject result, GatewayException error) {
        CompletableFuture<JsonObject> call = calls.remove(idKey);
        if (call != null && error != null) {
            call.completeExceptionally(error);
        } else if (call != null) {
            call.complete(result);
        }
    }

    /**
     * Calls {@code method} with {@code params} exactly as given. The result completes with the answer's result;
     * an error answer fails it with a {@link GatewayException} of kind {@code RPC_ERROR} and the gateway's code.
     * Its ids are strings ({@code "raw-1"}, ...), so they never meet the numeric ids of frames sent by hand.
     */
    public CompletableFuture<JsonObject> call(String method, JsonObject params) throws Exception {
        JsonPrimitive id = new JsonPrimitive("raw-" + ids.incrementAndGet());
        Frame.Request request = new Frame.Request(id, method, params);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        calls.put(request.idKey(), answer);
        send(codec.encode(request));
        return answer;
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeCode.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closeCode.complete(-1);
    }

    /** Sends one text frame and waits until it is written. */
    public void send(String text) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        sent.get(20, TimeUnit.SECONDS);
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    /** Waits for the connection to close and gives its close code. */
    public int awaitClose(Duration timeout) throws Exception {
        return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen() && !closeCode.isDone();
    }

    @Override
    public void close() throws Exception {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1000, "done", Callback.NOOP);
        }
        client.stop();
    }
}
