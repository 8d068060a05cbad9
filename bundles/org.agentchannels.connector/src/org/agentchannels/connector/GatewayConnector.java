package org.agentchannels.connector;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The gateways this device talks to: its own (local, dialed at boot) and any number of remote ones keyed by
 * endpoint URL, one of them active (seed, Phase 2b). It names this device, attaches to sessions and hydrates
 * their models, attributes prompts, keeps connections up, and closes idle remote connections.
 *
 * <p>Every method returns at once; work happens on the connector's own threads.
 */
public interface GatewayConnector {

    /** Told when connections come and go or change state, and when this device learns its name. */
    interface Listener {
        default void connectionsChanged() {
        }

        default void connectionStateChanged(GatewayConnection connection, ConnectionState state) {
        }

        default void localDeviceNameChanged(String name) {
        }
    }

    /**
     * Dials this device's own gateway (replacing an earlier local endpoint) and makes it active. It counts as
     * paired: it is the one started here or the one the person configured as this device's.
     */
    CompletableFuture<GatewayConnection> connectLocal(String endpoint);

    Optional<GatewayConnection> localGateway();

    /**
     * Reuses or dials the gateway at {@code endpoint}, with the token paired for it, and makes it the active
     * one. The endpoint of the local gateway gives the local connection. An endpoint that is not
     * {@linkplain #isPaired paired} fails with {@link GatewayException.Kind#NOT_PAIRED} and is not dialled; one
     * that is no dialable URL (or a link-local or unspecified address) fails with
     * {@link GatewayException.Kind#BAD_ENDPOINT}.
     */
    CompletableFuture<GatewayConnection> ensureGatewayForEndpoint(String endpoint);

    /**
     * Whether this device may dial {@code endpoint}: it is this device's own gateway ({@link #connectLocal}: one
     * started here, or the one the person configured), or the {@link TokenStore} pairs it (a token, or the
     * person's explicit trust in a gateway that asks for none). Reads the token store: call it off the UI thread.
     */
    boolean isPaired(String endpoint);

    /**
     * @return the certificate fingerprint this device pinned for {@code endpoint} when it paired it, if any (not a
     *         secret): presence records that advertise another one are not offered (see {@code RemoteSessions})
     */
    default Optional<String> pinnedFingerprint(String endpoint) {
        return Optional.empty();
    }

    /**
     * Why the gateway at {@code endpoint} last refused this device ({@link GatewayException.Kind#UNAUTHORIZED}:
     * its token, or its origin; {@link GatewayException.Kind#FORBIDDEN}), until it lets it in again; empty when
     * it did not.
     */
    default Optional<GatewayException> refusal(String endpoint) {
        return Optional.empty();
    }

    /** Like {@link #ensureGatewayForEndpoint} without changing the active gateway. */
    CompletableFuture<GatewayConnection> gatewayForEndpoint(String endpoint);

    /** Makes the local gateway active again. */
    void activateLocal();

    Optional<GatewayConnection> activeGateway();

    /** Whether the active gateway is not this device's own (the seed's {@code activeBackendIsRemote}). */
    boolean activeBackendIsRemote();

    boolean isRemote(GatewayConnection connection);

    /**
     * This device's name: the {@code device_name} of the local gateway's first {@code gateway.ready} (first
     * wins; a remote ready frame never counts), else the configured name, else the host name.
     */
    String localDeviceName();

    /**
     * The name to use when the local gateway does not name this device (a preference, the command line's
     * {@code --device-name}); empty for the host name.
     */
    void setConfiguredDeviceName(String name);

    /**
     * Attaches to a session live on the gateway at {@code endpoint} ({@code null}: the local gateway), making
     * that gateway active: {@code session.activate} with the runtime id, falling back to {@code session.resume}
     * with the stored key. The result's model is hydrated and follows the session's events. Fails as
     * {@link #ensureGatewayForEndpoint} does for an endpoint that is not paired.
     */
    default CompletableFuture<AttachedSession> attach(String endpoint, String sessionId, String sessionKey) {
        return attach(endpoint, sessionId, sessionKey, "");
    }

    /**
     * Attaches as {@link #attach(String, String, String)} does; {@code knownTitle} is the title this client knows
     * from elsewhere (a presence record, a list row), taken when the gateway's answer has none, as a Hermes
     * gateway's never has. Without either, the title is looked up in the gateway's session lists.
     */
    CompletableFuture<AttachedSession> attach(String endpoint, String sessionId, String sessionKey, String knownTitle);

    /** Creates a session on the gateway at {@code endpoint} ({@code null}: local) and attaches to it. */
    default CompletableFuture<AttachedSession> createSession(String endpoint, String title) {
        return createSession(endpoint, title, "");
    }

    /**
     * Creates a session working in {@code cwd} on the gateway's machine (absolute, inside one of its workspaces;
     * empty for its first) and attaches to it.
     */
    default CompletableFuture<AttachedSession> createSession(String endpoint, String title, String cwd) {
        return createSession(endpoint, title, cwd, "");
    }

    /**
     * Creates a session running {@code agent} (the id of one the gateway offers, {@link GatewayConnection#offeredAgents()};
     * empty for its default), working in {@code cwd} as {@link #createSession(String, String, String)}, and
     * attaches to it.
     */
    CompletableFuture<AttachedSession> createSession(String endpoint, String title, String cwd, String agent);

    /** The attached sessions, in the order they were attached. */
    List<AttachedSession> attachedSessions();

    /** Stops following a session; a remote connection left without sessions may then be pruned. */
    void detach(AttachedSession session);

    /**
     * The seed's keep rule: remote connections other than the active one are closed unless one of their
     * sessions is working or needs input.
     */
    void pruneIdleRemotes();

    List<GatewayConnection> connections();

    void addListener(Listener listener);

    void removeListener(Listener listener);
}
