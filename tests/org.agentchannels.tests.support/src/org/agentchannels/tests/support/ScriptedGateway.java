package org.agentchannels.tests.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.Methods;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * A protocol peer for tests: a real Jetty WebSocket server on loopback at {@code /api/ws} that sends a
 * {@code gateway.ready} of the test's choosing, answers requests through handlers the test registers, and
 * lets the test push events, cut connections and read what the client sent. Handlers run on Jetty's threads.
 */
public final class ScriptedGateway implements AutoCloseable {

    /** Answers one request: return the result, throw {@link RpcError}, or return {@code null} to answer later. */
    @FunctionalInterface
    public interface Handler {
        JsonElement handle(Peer peer, Frame.Request request) throws RpcError;
    }

    /** A JSON-RPC error answer. */
    public static final class RpcError extends Exception {
        private static final long serialVersionUID = 1L;
        public final int code;

        public RpcError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final FrameCodec codec = new FrameCodec();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final List<Frame.Request> requests = new CopyOnWriteArrayList<>();
    private final List<Frame> answers = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile GatewayEvent.GatewayReady ready = new GatewayEvent.GatewayReady("", false, false, false, false, "");
    private volatile String token;
    /** 0: a wrong token gets close code 4401 after the upgrade (our gateway); else this HTTP status instead of it. */
    private volatile int tokenRefusalStatus;
    private Server server;
    private int port;

    public ScriptedGateway() {
        handle(Methods.GATEWAY_PING, (peer, request) -> Acknowledgement.pong().toJson());
    }

    /** The {@code gateway.ready} every connection gets first; a June-line one (no additions) until set. */
    public ScriptedGateway ready(GatewayEvent.GatewayReady frame) {
        this.ready = frame;
        return this;
    }

    /** The device name of {@code gateway.ready}, as the fork's line sends it. */
    public ScriptedGateway deviceName(String name) {
        GatewayEvent.GatewayReady r = ready;
        return ready(new GatewayEvent.GatewayReady(name, r.heartbeat(), r.eventSeq(), r.submissionIds(), r.queuesPrompts(),
                r.replayEpoch()));
    }

    /**
     * Requires this token (header or query) on every connection; a wrong one gets close code 4401, or the HTTP
     * status of {@link #refuseTokenWithHttp}.
     */
    public ScriptedGateway token(String required) {
        this.token = required;
        return this;
    }

    /**
     * Refuses a wrong token with this HTTP status in answer to the upgrade, as a Hermes gateway does (it checks
     * token and Origin before it accepts the WebSocket), instead of close code 4401.
     */
    public ScriptedGateway refuseTokenWithHttp(int status) {
        this.tokenRefusalStatus = status;
        return this;
    }

    public ScriptedGateway handle(String method, Handler handler) {
        handlers.put(method, handler);
        return this;
    }

    /** The handler registered for {@code method}, to wrap it; {@code null} when there is none. */
    public Handler handler(String method) {
        return handlers.get(method);
    }

    public ScriptedGateway start() throws Exception {
        return start(0);
    }

    /** Starts on {@code wantedPort} (0: any free one), for a restart on the same address. */
    public ScriptedGateway start(int wantedPort) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(wantedPort);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(FrameCodec.DEFAULT_MAX_FRAME_CHARS);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/api/ws", (request, response, callback) -> {
                Peer peer = new Peer(request);
                int refusal = tokenRefusalStatus;
                if (refusal > 0 && !peer.presents(token)) {
                    Response.writeError(request, response, callback, refusal);
                    return null;
                }
                return peer;
            });
        });
        context.setHandler(ws);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        return this;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "ws://127.0.0.1:" + port + "/api/ws";
    }

    /** Every request received, from every peer, in arrival order. */
    public List<Frame.Request> requests() {
        return List.copyOf(requests);
    }

    public List<Frame.Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    /** Every answer ({@link Frame.Response} or {@link Frame.Failure}) a client sent to a request of the gateway. */
    public List<Frame> answers() {
        return List.copyOf(answers);
    }

    /** The {@code Authorization} header of every upgrade request, {@code ""} when absent. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The peers connected now (closed ones are removed). */
    public List<Peer> peers() {
        return peers.stream().filter(Peer::isOpen).toList();
    }

    /** Sends an event to every connected peer. */
    public void broadcast(String sessionId, GatewayEvent event, long seq) {
        String text = codec.encode(GatewayEvents.frame(sessionId, event, seq));
        for (Peer p : peers()) {
            p.send(text);
        }
    }

    /** Drops every connection without a close handshake, as a network failure would. */
    public void dropAll() {
        for (Peer p : peers) {
            p.drop();
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** One client connection. */
    public final class Peer implements Session.Listener.AutoDemanding {

        private final String authorization;
        private final String queryToken;
        private volatile Session session;
        private final java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
        private final List<String> pongs = new java.util.concurrent.CopyOnWriteArrayList<>();

        Peer(ServerUpgradeRequest upgrade) {
            String header = upgrade.getHeaders().get("Authorization");
            this.authorization = header == null ? "" : header;
            String query = upgrade.getHttpURI().getQuery();
            String fromQuery = "";
            if (query != null) {
                for (String part : query.split("&")) {
                    if (part.startsWith("token=")) {
                        fromQuery = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
                    }
                }
            }
            this.queryToken = fromQuery;
            authorizations.add(authorization);
        }

        public String queryToken() {
            return queryToken;
        }

        public String authorization() {
            return authorization;
        }

        /** Whether this connection presented {@code required} (header or query); any does when none is required. */
        boolean presents(String required) {
            return required == null || ("Bearer " + required).equals(authorization) || required.equals(queryToken);
        }

        public boolean isOpen() {
            Session s = session;
            return s != null && s.isOpen();
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            if (!presents(token)) {
                s.close(4401, "unauthorized", Callback.NOOP);
                return;
            }
            peers.add(this);
            send(codec.encode(GatewayEvents.frame("", ready, -1)));
        }

        @Override
        public void onWebSocketText(String text) {
            Frame frame = codec.decode(text);
            if (frame instanceof Frame.Response || frame instanceof Frame.Failure) {
                answers.add(frame);
                return;
            }
            if (!(frame instanceof Frame.Request request)) {
                return;
            }
            requests.add(request);
            Handler handler = handlers.get(request.method());
            if (handler == null) {
                respondError(request.id(), -32601, "unknown method: " + request.method());
                return;
            }
            try {
                JsonElement result = handler.handle(this, request);
                if (result != null) {
                    respond(request.id(), result);
                }
            } catch (RpcError e) {
                respondError(request.id(), e.code, e.getMessage());
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closeCode.complete(statusCode);
            peers.remove(this);
        }

        @Override
        public void onWebSocketPong(java.nio.ByteBuffer payload) {
            pongs.add(java.nio.charset.StandardCharsets.UTF_8.decode(payload.duplicate()).toString());
        }

        /** The code the connection closed with, once it has. */
        public java.util.concurrent.CompletableFuture<Integer> closeCode() {
            return closeCode;
        }

        /** The payloads of the pongs that answered this side's pings, as text. */
        public List<String> pongs() {
            return pongs;
        }

        /** Sends a ping whose payload is {@code text}. */
        public synchronized void ping(String text) {
            Session s = session;
            if (s != null && s.isOpen()) {
                s.sendPing(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
            }
        }

        /** Sends {@code text} as one message in {@code pieces} frames, split between the bytes of a character too. */
        public synchronized void sendFragmented(String text, int pieces) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            var core = ((org.eclipse.jetty.websocket.common.WebSocketSession) session).getCoreSession();
            int step = Math.max(1, bytes.length / pieces);
            for (int at = 0, k = 0; at < bytes.length || k == 0; at += step, k++) {
                int end = k == pieces - 1 ? bytes.length : Math.min(bytes.length, at + step);
                boolean last = end >= bytes.length;
                awaitSent(core, new org.eclipse.jetty.websocket.core.Frame(k == 0 ? org.eclipse.jetty.websocket.core.OpCode.TEXT
                        : org.eclipse.jetty.websocket.core.OpCode.CONTINUATION, last,
                        java.nio.ByteBuffer.wrap(java.util.Arrays.copyOfRange(bytes, at, end))));
                if (last) {
                    break;
                }
            }
        }

        /** Sends one text frame of exactly these bytes, UTF-8 or not. */
        public synchronized void sendTextBytes(byte[] bytes) {
            var core = ((org.eclipse.jetty.websocket.common.WebSocketSession) session).getCoreSession();
            awaitSent(core, new org.eclipse.jetty.websocket.core.Frame(org.eclipse.jetty.websocket.core.OpCode.TEXT, true,
                    java.nio.ByteBuffer.wrap(bytes)));
        }

        private void awaitSent(org.eclipse.jetty.websocket.core.CoreSession core, org.eclipse.jetty.websocket.core.Frame frame) {
            java.util.concurrent.CompletableFuture<Void> sent = new java.util.concurrent.CompletableFuture<>();
            core.sendFrame(frame, org.eclipse.jetty.util.Callback.from(() -> sent.complete(null), sent::completeExceptionally),
                    false);
            try {
                sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // the connection went away; the test sees it through the client
            }
        }

        public void respond(JsonElement id, JsonElement result) {
            send(codec.encode(new Frame.Response(id, result)));
        }

        public void respondError(JsonElement id, int code, String message) {
            send(codec.encode(new Frame.Failure(id, code, message, null)));
        }

        public void event(String sessionId, GatewayEvent event, long seq) {
            send(codec.encode(GatewayEvents.frame(sessionId, event, seq)));
        }

        /** Sends a request of the gateway to the client (newer Hermes line). */
        public void request(String id, String method, JsonObject params) {
            send(codec.encode(new Frame.Request(new JsonPrimitive(id), method, params)));
        }

        public synchronized void send(String text) {
            Session s = session;
            if (s != null && s.isOpen()) {
                // one frame at a time: Jetty refuses a second send while one is pending, and tests send in bursts
                java.util.concurrent.CompletableFuture<Void> sent = new java.util.concurrent.CompletableFuture<>();
                s.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
                try {
                    sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the connection went away; the test sees it through the client
                }
            }
        }

        public void close(int code, String reason) {
            Session s = session;
            if (s != null) {
                s.close(code, reason, Callback.NOOP);
            }
        }

        void drop() {
            Session s = session;
            if (s != null) {
                s.disconnect();
            }
        }
    }

    /** Small helpers for building payloads in tests. */
    public static JsonObject object(Object... keyValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            String key = (String) keyValues[i];
            Object value = keyValues[i + 1];
            if (value instanceof JsonElement e) {
                o.add(key, e);
            } else if (value instanceof Number n) {
                o.addProperty(key, n);
            } else if (value instanceof Boolean b) {
                o.addProperty(key, b);
            } else if (value != null) {
                o.addProperty(key, value.toString());
            }
        }
        return o;
    }

    public static List<String> texts(List<Frame.Request> requests, String param) {
        List<String> out = new ArrayList<>();
        for (Frame.Request r : requests) {
            JsonElement e = r.params().get(param);
            out.add(e == null || e.isJsonNull() ? null : e.getAsString());
        }
        return out;
    }
}
