package org.agentchannels.gateway.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.presence.PresenceRecord;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The gateway's Jetty WebSocket server at {@code /api/ws}: checks each connection's token and Host/Origin,
 * sends {@code gateway.ready}, and dispatches requests to the {@link SessionHost}. Frames above 8 MiB are
 * refused by Jetty with close code 1009.
 */
public final class GatewayServer implements AutoCloseable {

    private final SessionHost host;
    private volatile PresenceWriter presence;
    private final String token;
    private final String bind;
    private final String advertisedHost;
    private final String deviceName;
    private final String replayEpoch;
    private final FrameCodec codec = new FrameCodec();
    private final Set<GatewaySocket> sockets = ConcurrentHashMap.newKeySet();
    private final Server server;
    private final ServerConnector connector;

    /**
     * @param advertisedHost the host of an explicit {@code --advertise} URL (clients dial that name, so their
     *        Host header carries it), or empty
     */
    public GatewayServer(SessionHost host, PresenceWriter presence, String token, String bind, String advertisedHost,
            int port, String deviceName, String replayEpoch) {
        this.host = host;
        this.advertisedHost = advertisedHost == null ? "" : advertisedHost;
        this.presence = presence;
        this.token = token;
        this.bind = bind;
        this.deviceName = deviceName;
        this.replayEpoch = replayEpoch;
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost(bind);
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(FrameCodec.DEFAULT_MAX_FRAME_CHARS);
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping(GatewayEndpoints.WS_PATH, (request, response, callback) -> socketFor(request));
        });
        context.setHandler(ws);
        server.setHandler(context);
        server.setStopTimeout(2000);
    }

    /** The presence folder, known once the bound port is (it goes into the advertised endpoint). */
    public void setPresence(PresenceWriter presence) {
        this.presence = presence;
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    private GatewaySocket socketFor(ServerUpgradeRequest request) {
        String presented = bearer(request.getHeaders().get("Authorization"));
        if (presented.isEmpty()) {
            presented = queryToken(request.getHttpURI().getQuery());
        }
        if (!GatewayToken.matches(token, presented)) {
            return new GatewaySocket(this, codec, JsonRpcCodes.CLOSE_UNAUTHORIZED, "unauthorized");
        }
        if (!hostAndOriginAllowed(request.getHeaders().get("Host"), request.getHeaders().get("Origin"))) {
            return new GatewaySocket(this, codec, JsonRpcCodes.CLOSE_FORBIDDEN, "forbidden");
        }
        return new GatewaySocket(this, codec, 0, "");
    }

    private static String bearer(String header) {
        if (header == null) {
            return "";
        }
        String h = header.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : "";
    }

    private static String queryToken(String query) {
        if (query == null) {
            return "";
        }
        for (String part : query.split("&")) {
            if (part.startsWith("token=")) {
                return java.net.URLDecoder.decode(part.substring(6), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /**
     * The Hermes rule against DNS rebinding and cross-site pages: the Host header must name the bound address
     * (any host on a wildcard bind; any loopback name on a loopback bind; or the host of {@code --advertise},
     * for a gateway behind a proxy or a tunnel), and an http(s) Origin must name the
     * same host. Non-web origins (file://, app://, null) are not checked.
     */
    boolean hostAndOriginAllowed(String hostHeader, String origin) {
        String hostName = hostOnly(hostHeader);
        if (hostName.isEmpty()) {
            return false;
        }
        boolean wildcard = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
        if (!wildcard) {
            boolean advertisedName = !advertisedHost.isEmpty() && hostName.equalsIgnoreCase(advertisedHost);
            if (isLoopback(bind)) {
                if (!isLoopback(hostName) && !advertisedName) {
                    return false;
                }
            } else if (!hostName.equalsIgnoreCase(hostOnly(bind)) && !advertisedName) {
                return false;
            }
        }
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return true;
        }
        try {
            URI o = URI.create(origin.strip());
            String scheme = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return true;
            }
            String originHost = o.getHost() == null ? "" : hostOnly(o.getHost());
            return originHost.equalsIgnoreCase(hostName) || (isLoopback(originHost) && isLoopback(hostName));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String hostOnly(String hostAndPort) {
        if (hostAndPort == null) {
            return "";
        }
        String h = hostAndPort.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : "";
        }
        int colon = h.indexOf(':');
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost is never resolved here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    String readyFrame() {
        JsonObject payload = new JsonObject();
        payload.add("skin", new JsonObject());
        payload.addProperty("device_name", deviceName);
        payload.addProperty("heartbeat", true);
        payload.addProperty("replay_epoch", replayEpoch);
        payload.addProperty(GatewayEvents.READY_EVENT_SEQ, true);
        payload.addProperty(GatewayEvents.READY_SUBMISSION_IDS, true);
        payload.addProperty(GatewayEvents.READY_QUEUES_PROMPTS, true);
        payload.addProperty("gateway", "agentchannels");
        return codec.encode(FrameCodec.event("gateway.ready", "", payload, -1));
    }

    void opened(GatewaySocket socket) {
        sockets.add(socket);
    }

    void closed(GatewaySocket socket) {
        sockets.remove(socket);
        host.clientGone(socket.client());
    }

    public int connections() {
        return sockets.size();
    }

    JsonElement dispatch(Client client, Frame.Request r) throws RpcException {
        JsonObject p = r.params();
        return switch (r.method()) {
            case Methods.GATEWAY_PING -> ok("ok", true);
            case Methods.SESSION_CREATE -> host.create(client, p);
            case Methods.SESSION_ACTIVATE -> host.activate(client, p);
            case Methods.SESSION_RESUME -> host.resume(client, p);
            case Methods.SESSION_LIST -> host.list(p);
            case Methods.SESSION_ACTIVE_LIST -> host.activeList(p);
            case Methods.SESSION_PRESENCE_LIST -> presenceList(p);
            case Methods.SESSION_PARTICIPANTS -> host.participants(p);
            case Methods.SESSION_HISTORY -> host.history(p);
            case Methods.SESSION_TITLE -> host.title(p);
            case Methods.SESSION_INTERRUPT -> host.interrupt(p);
            case Methods.SESSION_CLOSE -> host.close(p);
            case Methods.PROMPT_SUBMIT -> host.submit(client, p);
            case "approval.respond" -> host.approvalRespond(p);
            case "clarify.respond" -> host.clarifyRespond(p);
            default -> throw new RpcException(JsonRpcCodes.METHOD_NOT_FOUND, "unknown method: " + r.method());
        };
    }

    private JsonObject presenceList(JsonObject p) {
        JsonArray sessions = new JsonArray();
        PresenceWriter folder = presence;
        for (PresenceRecord record : folder == null ? java.util.List.<PresenceRecord>of()
                : folder.readAll(Json.flag(p, "include_expired"))) {
            sessions.add(record.toJson());
        }
        JsonObject r = new JsonObject();
        r.add("sessions", sessions);
        return r;
    }

    private static JsonObject ok(String key, boolean value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return o;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
