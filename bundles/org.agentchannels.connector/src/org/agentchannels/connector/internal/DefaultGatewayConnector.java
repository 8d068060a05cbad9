package org.agentchannels.connector.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link GatewayConnector} service: a Jetty WebSocket client, the pool of connections, this device's
 * identity, and the routing of every event to the session model it belongs to. DS creates it with the
 * {@link TokenStore} service (Secure Storage in the workbench); tests and the command line use the
 * constructor that takes their own. Its device name arrives by {@link #setConfiguredDeviceName}, from
 * whoever configures it (the workbench's preferences, the command line's options), never from System
 * properties.
 */
@Component(service = GatewayConnector.class)
public final class DefaultGatewayConnector implements StandaloneGatewayConnector {

    private static final System.Logger LOG = System.getLogger(DefaultGatewayConnector.class.getName());

    private final PairedGateways paired;
    private final Backoff backoff;
    private final Duration heartbeat;
    private final FrameCodec codec = new FrameCodec();
    private final ScheduledExecutorService scheduler;
    private final WebSocketClient client;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final GatewayConnection.Listener connectionListener = new ConnectionEvents(this);

    private final Object lock = new Object();
    private GatewayConnection local;
    private final Map<String, GatewayConnection> remotes = new LinkedHashMap<>();
    private GatewayConnection active;
    private final SessionRoutes sessions = new SessionRoutes();
    /**
     * The gateways that refused this device (token or origin) when last dialled, by endpoint (paired ones only),
     * with a hash of the token refused: pairing again with another token makes the refusal old news.
     */
    private final Map<String, Refusal> refusals = new java.util.concurrent.ConcurrentHashMap<>();

    private record Refusal(GatewayException why, String tokenHash) {
    }
    private final DeviceIdentity identity;

    /** For Declarative Services: the token store service; no device name until one is configured. */
    @Activate
    public DefaultGatewayConnector(@Reference(name = "tokens") TokenStore tokens) {
        this(tokens, "", Backoff.standard());
    }

    public DefaultGatewayConnector(TokenStore tokens, String configuredDeviceName, Backoff backoff) {
        this(tokens, configuredDeviceName, backoff, GatewayConnection.HEARTBEAT);
    }

    /** @param heartbeat how often to send {@code gateway.ping} to gateways that ask for it */
    public DefaultGatewayConnector(TokenStore tokens, String configuredDeviceName, Backoff backoff, Duration heartbeat) {
        this.heartbeat = heartbeat;
        this.paired = new PairedGateways(tokens);
        this.identity = new DeviceIdentity(configuredDeviceName);
        this.backoff = backoff;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agentchannels-connector"));
        this.client = new WebSocketClient();
        // wss:// is trusted by the pin of the gateway dialled, and by nothing else
        client.getHttpClient().setSslContextFactory(PinnedCertificates.clientFactory(this::pinsFor));
        client.setMaxTextMessageSize(codec.maxFrameChars());
        client.setStopAtShutdown(false);
        try {
            client.start();
        } catch (Exception e) {
            scheduler.shutdownNow();
            throw new IllegalStateException("the WebSocket client did not start", e);
        }
    }

    @Deactivate
    @Override
    public void close() {
        List<GatewayConnection> all = connections();
        synchronized (lock) {
            local = null;
            active = null;
            remotes.clear();
        }
        for (GatewayConnection c : all) {
            c.close();
        }
        scheduler.shutdownNow();
        try {
            client.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "stopping the WebSocket client failed", e);
        }
    }

    /**
     * The fingerprints pinned for the {@code wss://} gateways of the pool at {@code host} and {@code port}: what
     * the TLS handshake of a dial there accepts (every dial goes through a connection of the pool).
     */
    private List<String> pinsFor(String host, int port) {
        String wanted = unbracketed(host);
        List<String> pins = new java.util.ArrayList<>();
        for (GatewayConnection c : connections()) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(c.endpoint());
            } catch (IllegalArgumentException e) {
                continue;
            }
            int p = uri.getPort() < 0 ? 443 : uri.getPort();
            if ("wss".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && unbracketed(uri.getHost()).equalsIgnoreCase(wanted) && p == (port < 0 ? 443 : port)) {
                paired.fingerprintFor(c.endpoint()).filter(pin -> !pins.contains(pin)).ifPresent(pins::add);
            }
        }
        return pins;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    // ------------------------------------------------------------------ the pool

    private GatewayConnection newConnection(String endpoint) {
        GatewayConnection c = new JettyGatewayConnection(endpoint, () -> paired.tokenFor(endpoint), () -> paired.isHermes(endpoint),
                () -> !isUnpaired(endpoint), client, scheduler, codec, backoff, heartbeat);
        c.addListener(connectionListener);
        return c;
    }

    @Override
    public CompletableFuture<GatewayConnection> connectLocal(String endpoint) {
        String trimmed;
        try {
            trimmed = GatewayEndpoints.parse(endpoint).toString();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new GatewayException(GatewayException.Kind.BAD_ENDPOINT, e.getMessage()));
        }
        GatewayConnection previous;
        GatewayConnection c;
        synchronized (lock) {
            previous = local;
            if (previous != null && previous.endpoint().equals(trimmed)) {
                c = previous;
                previous = null;
            } else {
                c = newConnection(trimmed);
                local = c;
            }
            if (active == null || active == previous) {
                active = c;
            }
        }
        if (previous != null) {
            previous.close();
        }
        fireConnectionsChanged();
        return c.connect().thenApply(ready -> c);
    }

    @Override
    public Optional<GatewayConnection> localGateway() {
        synchronized (lock) {
            return Optional.ofNullable(local);
        }
    }

    @Override
    public CompletableFuture<GatewayConnection> ensureGatewayForEndpoint(String endpoint) {
        return dial(endpoint, true);
    }

    @Override
    public CompletableFuture<GatewayConnection> gatewayForEndpoint(String endpoint) {
        return dial(endpoint, false);
    }

    /**
     * Whether {@code endpoint} is known not to be paired (any more): the store answered, and said no. A store
     * that cannot be read says nothing either way here.
     */
    private boolean isUnpaired(String endpoint) {
        synchronized (lock) {
            if (local != null && local.endpoint().equals(endpoint)) {
                return false;
            }
        }
        return paired.knownUnpaired(endpoint);
    }

    @Override
    public Optional<String> pinnedFingerprint(String endpoint) {
        if (!GatewayEndpoints.isDialable(endpoint)) {
            return Optional.empty();
        }
        return paired.fingerprintFor(GatewayEndpoints.parse(endpoint).toString());
    }

    @Override
    public boolean isPaired(String endpoint) {
        if (!GatewayEndpoints.isDialable(endpoint)) {
            return false;
        }
        String key = GatewayEndpoints.parse(endpoint).toString();
        synchronized (lock) {
            if (local != null && local.endpoint().equals(key)) {
                return true; // this device's own gateway: the person configured it, or it was started here
            }
        }
        return paired.inTokenStore(key);
    }

    /**
     * The one door to every remote gateway: attach, create, re-attach and the Live view all come through here.
     * An endpoint this device has not paired is never dialled, so a planted presence record that names some
     * other server gets nothing from this device, neither a connection nor a prompt.
     */
    private CompletableFuture<GatewayConnection> dial(String endpoint, boolean makeActive) {
        String key;
        try {
            key = GatewayEndpoints.parse(endpoint).toString();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new GatewayException(GatewayException.Kind.BAD_ENDPOINT, e.getMessage()));
        }
        if (!isPaired(key)) {
            return CompletableFuture.failedFuture(PairedGateways.notPaired(key));
        }
        if (paired.lacksPin(key)) {
            return CompletableFuture.failedFuture(PairedGateways.notPinned(key));
        }
        GatewayConnection c;
        boolean created = false;
        synchronized (lock) {
            if (local != null && local.endpoint().equals(key)) {
                c = local;
            } else {
                c = remotes.get(key);
                if (c == null) {
                    c = newConnection(key);
                    remotes.put(key, c);
                    created = true;
                }
            }
            if (makeActive) {
                active = c;
            }
        }
        if (created) {
            fireConnectionsChanged();
        }
        if (makeActive) {
            scheduler.execute(this::pruneIdleRemotes);
        }
        GatewayConnection dialed = c;
        return c.connect().thenApply(ready -> dialed);
    }

    @Override
    public void activateLocal() {
        synchronized (lock) {
            if (local != null) {
                active = local;
            }
        }
        scheduler.execute(this::pruneIdleRemotes);
    }

    @Override
    public Optional<GatewayConnection> activeGateway() {
        synchronized (lock) {
            return Optional.ofNullable(active);
        }
    }

    @Override
    public boolean activeBackendIsRemote() {
        synchronized (lock) {
            return active != null && active != local;
        }
    }

    @Override
    public boolean isRemote(GatewayConnection connection) {
        synchronized (lock) {
            return connection != null && connection != local;
        }
    }

    @Override
    public List<GatewayConnection> connections() {
        synchronized (lock) {
            List<GatewayConnection> all = new ArrayList<>();
            if (local != null) {
                all.add(local);
            }
            all.addAll(remotes.values());
            return all;
        }
    }

    @Override
    public void pruneIdleRemotes() {
        List<GatewayConnection> toClose = new ArrayList<>();
        synchronized (lock) {
            for (var it = remotes.values().iterator(); it.hasNext();) {
                GatewayConnection c = it.next();
                if (c == active || keepsConnection(c)) {
                    continue;
                }
                it.remove();
                toClose.add(c);
            }
        }
        for (GatewayConnection c : toClose) {
            sessions.dropRoutes(c);
            c.close();
        }
        if (!toClose.isEmpty()) {
            fireConnectionsChanged();
        }
    }

    private boolean keepsConnection(GatewayConnection c) {
        return sessions.on(c).stream().anyMatch(s -> ConnectionEvents.keepsConnected(s.model()));
    }

    // ------------------------------------------------------------------ identity

    @Override
    public void setConfiguredDeviceName(String name) {
        if (identity.configure(name)) {
            for (Listener l : listeners) {
                l.localDeviceNameChanged(localDeviceName());
            }
        }
    }

    @Override
    public String localDeviceName() {
        return identity.name();
    }

    // ------------------------------------------------------------------ sessions

    @Override
    public Optional<GatewayException> refusal(String endpoint) {
        String key;
        try {
            key = GatewayEndpoints.parse(endpoint).toString();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Refusal r = refusals.get(key);
        if (r == null) {
            return Optional.empty();
        }
        if (!r.tokenHash().equals(tokenHash(key))) {
            refusals.remove(key, r); // paired again since
            return Optional.empty();
        }
        return Optional.of(r.why());
    }

    @Override
    public CompletableFuture<AttachedSession> attach(String endpoint, String sessionId, String sessionKey, String knownTitle) {
        return connectionFor(endpoint).thenCompose(c -> {
            SessionAttachment existing = sessions.find(c, sessionId, sessionKey);
            if (existing != null) {
                existing.model().adoptTitleIfUntitled(knownTitle);
                return CompletableFuture.<AttachedSession>completedFuture(existing);
            }
            SessionAttachment s = new SessionAttachment(this, c, sessionId == null ? "" : sessionId, sessionKey,
                    knownTitle == null ? "" : knownTitle);
            sessions.add(s);
            return s.attach(-1).<AttachedSession>thenApply(attachedOne -> attachedOne).whenComplete((ok, error) -> {
                if (error != null) {
                    sessions.remove(s);
                }
            });
        });
    }

    @Override
    public CompletableFuture<AttachedSession> createSession(String endpoint, String title, String cwd, String agent) {
        return connectionFor(endpoint).thenCompose(c -> c.createSession(title, List.of(), cwd, agent)
                .thenCompose(created -> {
                    if (created.sessionId().isEmpty()) {
                        throw new CompletionException(new GatewayException(GatewayException.Kind.RPC_ERROR,
                                JsonRpcCodes.INTERNAL_ERROR, "the gateway created no session"));
                    }
                    // a Hermes gateway's result names no title: the one asked for is it
                    return attach(c.endpoint(), created.sessionId(), created.sessionKey(),
                            created.title().isEmpty() ? title : created.title());
                }));
    }

    private CompletableFuture<GatewayConnection> connectionFor(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            GatewayConnection c = localGateway().orElse(null);
            if (c == null) {
                return CompletableFuture.failedFuture(new GatewayException(GatewayException.Kind.UNREACHABLE,
                        "this device's gateway is not configured"));
            }
            activateLocal();
            return c.connect().thenApply(r -> c);
        }
        return ensureGatewayForEndpoint(endpoint);
    }

    /** Re-dials and re-attaches a session whose connection was pruned or failed, before a call on it. */
    CompletableFuture<SessionAttachment> ensureAttached(SessionAttachment s) {
        GatewayConnection c = s.connection();
        if (!s.isDetached() && !(c.state() instanceof ConnectionState.Failed)
                && !(c.state() instanceof ConnectionState.Disconnected)) {
            return CompletableFuture.completedFuture(s);
        }
        if (!s.isDetached()) {
            return c.connect().thenApply(r -> s);
        }
        return gatewayForEndpoint(s.endpoint()).thenCompose(fresh -> {
            GatewayConnection old = s.connection();
            s.rebind(fresh);
            sessions.moved(s, old, s.sessionId());
            return s.attach(-1);
        });
    }

    @Override
    public List<AttachedSession> attachedSessions() {
        return List.copyOf(sessions.all());
    }

    @Override
    public void detach(AttachedSession session) {
        if (!(session instanceof SessionAttachment s)) {
            return; // not one of this connector's
        }
        sessions.remove(s);
        s.markDetached();
        scheduler.execute(this::pruneIdleRemotes);
    }

    void rerouted(SessionAttachment s, String oldId) {
        sessions.moved(s, s.connection(), oldId);
    }

    // ------------------------------------------------------------------ listeners

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void fireConnectionsChanged() {
        for (Listener l : listeners) {
            l.connectionsChanged();
        }
    }

    // ------------------------------------------------------------------ what ConnectionEvents needs

    boolean isLocal(GatewayConnection c) {
        synchronized (lock) {
            return c == local;
        }
    }

    /** The local gateway named this device: adopted, and told, when it is the first name it gave. */
    void namedByLocalGateway(String deviceName) {
        if (identity.namedByLocalGateway(deviceName)) {
            for (Listener l : listeners) {
                l.localDeviceNameChanged(deviceName);
            }
        }
    }

    /**
     * A remote gateway said {@code gateway.ready}: noted in the token store (a file write, for Secure Storage) on the
     * connector's thread, neither on the reader's nor ever failing the connection.
     */
    void connectedToPaired(String endpoint, String gatewayDevice) {
        try {
            scheduler.execute(() -> paired.noteConnected(endpoint, gatewayDevice));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing to note any more
        }
    }

    SessionRoutes sessions() {
        return sessions;
    }

    void fireStateChanged(GatewayConnection c, ConnectionState state) {
        if (state instanceof ConnectionState.Failed f && (f.kind() == GatewayException.Kind.UNAUTHORIZED
                || f.kind() == GatewayException.Kind.FORBIDDEN)) {
            refusals.put(c.endpoint(), new Refusal(new GatewayException(f.kind(), f.reason()), tokenHash(c.endpoint())));
        } else if (state.isConnected()) {
            refusals.remove(c.endpoint());
        }
        for (Listener l : listeners) {
            l.connectionStateChanged(c, state);
        }
    }

    /** A digest of the token paired for {@code endpoint} (never the token itself); empty without one. */
    private String tokenHash(String endpoint) {
        Optional<String> token = paired.tokenFor(endpoint);
        if (token.isEmpty()) {
            return "";
        }
        return org.agentchannels.core.SecretDigests.of(token.get());
    }

    /** Runs {@code task} on the connector's thread after {@code delay}. */
    java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return scheduler.schedule(task, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void pruneSoon() {
        scheduler.execute(this::pruneIdleRemotes);
    }
}
