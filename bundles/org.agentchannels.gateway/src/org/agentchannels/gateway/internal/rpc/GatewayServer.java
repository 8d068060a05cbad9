package org.agentchannels.gateway.internal.rpc;

import java.io.IOException;
import java.net.URLDecoder;
import java.security.KeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.gateway.internal.GatewayToken;
import org.agentchannels.gateway.internal.RepeatedWarning;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.Sessions;
import org.agentchannels.gateway.internal.trust.DevicesWatch;
import org.agentchannels.gateway.internal.trust.PairedDevices;
import org.agentchannels.gateway.internal.trust.PairingAttempts;
import org.agentchannels.gateway.internal.trust.PairingCodes;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import com.google.gson.JsonElement;

/**
 * The gateway's Jetty WebSocket server at {@code /api/ws}: checks each connection's token and Host/Origin,
 * sends {@code gateway.ready}, and hands requests to the {@link RpcDispatcher}. Frames above 8 MiB are
 * refused by Jetty with close code 1009.
 */
public final class GatewayServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

    private final RpcDispatcher dispatcher;
    private final Sessions sessions;
    private final String token;
    private final HostCheck hostCheck;
    private final String readyFrame;
    private final FrameCodec codec = new FrameCodec();
    private final Set<GatewaySocket> sockets = ConcurrentHashMap.newKeySet();
    private final Server server;
    private final ServerConnector connector;
    private final RepeatedWarning unauthorized;
    private final RepeatedWarning forbidden;
    private final long clientBacklogLimit;
    private final boolean tls;
    private final DeviceTrust trust;
    private final PairingHandler pairing;
    private DevicesWatch devicesWatch;

    /**
     * @param hostCheck which Host and Origin headers are let in
     * @param clock when refusals happened, for counting their repeats
     */
    public GatewayServer(RpcDispatcher dispatcher, Sessions sessions, String token, String bind, HostCheck hostCheck,
            int port, String deviceName, String replayEpoch, Clock clock) {
        this(dispatcher, sessions, token, bind, hostCheck, port, deviceName, replayEpoch, clock, SendBacklog.DEFAULT_LIMIT);
    }

    /** @param listening plain, TLS with the gateway's identity, or plain off loopback (see {@link Listening}) */
    public GatewayServer(RpcDispatcher dispatcher, Sessions sessions, String token, String bind, HostCheck hostCheck,
            int port, String deviceName, String replayEpoch, Clock clock, Listening listening) {
        this(dispatcher, sessions, token, bind, hostCheck, port, deviceName, replayEpoch, clock, SendBacklog.DEFAULT_LIMIT,
                listening);
    }

    /** @param trust the paired devices and pairing codes (see the full constructor) */
    public GatewayServer(RpcDispatcher dispatcher, Sessions sessions, String token, String bind, HostCheck hostCheck,
            int port, String deviceName, String replayEpoch, Clock clock, Listening listening, DeviceTrust trust) {
        this(dispatcher, sessions, token, bind, hostCheck, port, deviceName, replayEpoch, clock, SendBacklog.DEFAULT_LIMIT,
                listening, trust);
    }

    /** @param clientBacklogLimit the bytes one client may have waiting to be sent before it is closed (16 MiB) */
    public GatewayServer(RpcDispatcher dispatcher, Sessions sessions, String token, String bind, HostCheck hostCheck,
            int port, String deviceName, String replayEpoch, Clock clock, long clientBacklogLimit) {
        this(dispatcher, sessions, token, bind, hostCheck, port, deviceName, replayEpoch, clock, clientBacklogLimit,
                Listening.PLAIN);
    }

    /**
     * How the gateway listens: plain {@code ws://} (on loopback), TLS only ({@code wss://}, with the gateway's
     * identity), or plain off loopback because the owner said {@code --insecure-plaintext} (which the ready frame
     * tells every client).
     *
     * @param tls the key store holding the identity's key and certificate, and its password; {@code null} for plain
     */
    public record Listening(KeyStore tls, String password, boolean insecurePlaintext) {

        public static final Listening PLAIN = new Listening(null, "", false);

        public static Listening tls(KeyStore keyStore, String password) {
            return new Listening(keyStore, password, false);
        }

        public static final Listening INSECURE_PLAINTEXT = new Listening(null, "", true);

        @Override
        public String toString() {
            return tls != null ? "wss" : insecurePlaintext ? "ws (insecure plaintext)" : "ws"; // never the password
        }
    }

    public GatewayServer(RpcDispatcher dispatcher, Sessions sessions, String token, String bind, HostCheck hostCheck,
            int port, String deviceName, String replayEpoch, Clock clock, long clientBacklogLimit, Listening listening) {
        this(dispatcher, sessions, token, bind, hostCheck, port, deviceName, replayEpoch, clock, clientBacklogLimit, listening,
                null);
    }

    /**
     * The devices paired by code and what pairs them: their tokens open connections as the owner's does, each
     * attributed to its device; codes are redeemed at {@code POST /api/pair}.
     */
    public record DeviceTrust(PairedDevices devices, PairingCodes codes, PairingAttempts attempts) {
    }

    /**
     * @param trust the paired devices and the pairing codes; {@code null} for the owner's token alone and no pairing
     *        endpoint. Codes are redeemed over TLS only: on loopback no other device reaches the gateway, and over
     *        plain {@code ws://} off loopback ({@code --insecure-plaintext}) the code and the device token would
     *        cross the network in clear.
     */
    public GatewayServer(RpcDispatcher dispatcher, Sessions sessions, String token, String bind, HostCheck hostCheck,
            int port, String deviceName, String replayEpoch, Clock clock, long clientBacklogLimit, Listening listening,
            DeviceTrust trust) {
        this.trust = trust;
        this.tls = listening.tls() != null;
        this.clientBacklogLimit = clientBacklogLimit;
        this.dispatcher = dispatcher;
        this.sessions = sessions;
        this.token = token;
        this.hostCheck = hostCheck;
        this.unauthorized = new RepeatedWarning(LOG, "refused a connection without a valid token", clock,
                RepeatedWarning.INTERVAL);
        this.forbidden = new RepeatedWarning(LOG, "refused a connection with a valid token from a Host or Origin"
                + " that is not this gateway's", clock, RepeatedWarning.INTERVAL);
        this.readyFrame = codec.encode(GatewayEvents.frame("",
                new GatewayEvent.GatewayReady(deviceName, true, true, true, true, replayEpoch, sessions.offeredAgents(),
                        sessions.workspaceRoots(), listening.insecurePlaintext()), -1));
        this.server = new Server();
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(listening.tls());
            ssl.setKeyStorePassword(listening.password());
            ssl.setKeyManagerPassword(listening.password());
            HttpConfiguration http = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // clients reach the gateway by whatever name or address; they pin its key, not a name in its certificate
            secure.setSniHostCheck(false);
            secure.setSniRequired(false);
            http.addCustomizer(secure);
            this.connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
        } else {
            this.connector = new ServerConnector(server);
        }
        connector.setHost(bind);
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(FrameCodec.DEFAULT_MAX_FRAME_CHARS);
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping(GatewayEndpoints.WS_PATH, (request, response, callback) -> socketFor(request));
        });
        if (trust != null && tls) {
            this.pairing = new PairingHandler(trust.codes(), trust.attempts(), trust.devices(), hostCheck, deviceName, clock);
            ws.setHandler(pairing); // what is not a WebSocket upgrade goes on to it
        } else {
            this.pairing = null;
        }
        context.setHandler(ws);
        server.setHandler(context);
        server.setStopTimeout(2000);
    }

    public void start() throws Exception {
        server.start();
        if (trust != null) {
            devicesWatch = new DevicesWatch(trust.devices(), this::closeRevoked);
        }
    }

    /** Closes, with 4401, the connections of devices no longer paired (revoked by {@code gateway revoke}). */
    void closeRevoked() {
        closeRevoked(sockets);
    }

    /** Closes those of {@code candidates} whose device is no longer paired; the devices file is read once. */
    private void closeRevoked(Iterable<GatewaySocket> candidates) {
        java.util.Set<String> paired;
        try {
            paired = trust.devices().list().stream().map(PairedDevices.Device::id).collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot read the paired devices; closing the connections of device tokens: "
                    + e.getMessage());
            paired = java.util.Set.of();
        }
        for (GatewaySocket socket : candidates) {
            PairedDevices.Device device = socket.device();
            if (device != null && !paired.contains(device.id())) {
                LOG.log(System.Logger.Level.INFO, "closing a connection of '" + device.name() + "': the device was revoked");
                socket.revoke();
            }
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Whether it speaks TLS ({@code wss://}) only. */
    public boolean tls() {
        return tls;
    }

    private GatewaySocket socketFor(ServerUpgradeRequest request) {
        String presented = bearer(request.getHeaders().get("Authorization"));
        if (presented.isEmpty()) {
            presented = queryToken(request.getHttpURI().getQuery());
        }
        PairedDevices.Device device = null;
        if (!GatewayToken.matches(token, presented)) {
            device = pairedDevice(presented);
            if (device == null) {
                unauthorized.occurred("from " + Request.getRemoteAddr(request));
                return new GatewaySocket(this, codec, JsonRpcCodes.CLOSE_UNAUTHORIZED, "unauthorized", null);
            }
        }
        if (!hostCheck.allows(request.getHeaders().get("Host"), request.getHeaders().get("Origin"))) {
            // the headers themselves are the sender's text: not written into the log
            forbidden.occurred("from " + Request.getRemoteAddr(request));
            return new GatewaySocket(this, codec, JsonRpcCodes.CLOSE_FORBIDDEN, "forbidden", null);
        }
        if (device != null) {
            try {
                trust.devices().seen(device, Request.getRemoteAddr(request));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot note when '" + device.name() + "' was last seen: " + e.getMessage());
            }
        }
        return new GatewaySocket(this, codec, 0, "", device);
    }

    /** The paired device whose token {@code presented} is, or {@code null}. */
    private PairedDevices.Device pairedDevice(String presented) {
        if (trust == null || presented.isEmpty()) {
            return null;
        }
        try {
            return trust.devices().byToken(presented).orElse(null);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot read the paired devices; device tokens open nothing: " + e.getMessage());
            return null;
        }
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
                return URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    String readyFrame() {
        return readyFrame;
    }

    void opened(GatewaySocket socket) {
        sockets.add(socket);
        if (socket.device() != null) {
            closeRevoked(java.util.List.of(socket)); // revoked between its token's check and now
        }
    }

    void closed(GatewaySocket socket) {
        sockets.remove(socket);
        sessions.clientGone(socket.client());
    }

    public int connections() {
        return sockets.size();
    }

    long clientBacklogLimit() {
        return clientBacklogLimit;
    }

    /** What every open connection has waiting to be sent, in bytes (each bounded by the client backlog limit). */
    public long unsentBytes() {
        return sockets.stream().mapToLong(GatewaySocket::unsentBytes).sum();
    }

    JsonElement dispatch(Client client, Frame.Request r) throws RpcException {
        return dispatcher.dispatch(client, r);
    }

    @Override
    public void close() throws Exception {
        if (devicesWatch != null) {
            devicesWatch.close();
        }
        if (pairing != null) {
            pairing.flush();
        }
        unauthorized.flush();
        forbidden.flush();
        server.stop();
    }
}
