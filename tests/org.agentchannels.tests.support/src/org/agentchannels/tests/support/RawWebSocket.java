package org.agentchannels.tests.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A bare WebSocket client for tests that must send what no well-behaved client sends: garbage frames, huge
 * frames, wrong headers. It records every text frame received and the close code.
 */
public final class RawWebSocket implements Session.Listener.AutoDemanding, AutoCloseable {

    private final WebSocketClient client = new WebSocketClient();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile Session session;

    private RawWebSocket() {
    }

    /** Connects with the given extra headers (for example {@code Origin} or {@code Authorization}). */
    public static RawWebSocket connect(String uri, Map<String, String> headers) throws Exception {
        RawWebSocket socket = new RawWebSocket();
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
    }

    @Override
    public void onWebSocketText(String text) {
        received.add(text);
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
