package org.agentchannels.connector;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.LocalSession;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.SessionSummary;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One connection to one gateway, kept up: requests correlated by id with timeouts, events handed to listeners,
 * {@code gateway.ping} every 15 s when the gateway asks for it, and, once it has been connected, redials with
 * jittered exponential backoff until {@link #close()}. Frames of an older socket are ignored, so a stale socket
 * can neither deliver nor send. The typed calls are what clients use; {@link #request} is the raw call beneath.
 *
 * <p>Listener calls come on the connection's reader thread, in frame order; they must not block.
 */
public interface GatewayConnection {

    /** What the connection reports. Every method has a default, so a listener implements what it needs. */
    public interface Listener {
        /** The gateway said {@code gateway.ready}; {@code reconnected} is true after a redial. */
        default void ready(GatewayConnection connection, GatewayEvent.GatewayReady ready, boolean reconnected) {
        }

        default void event(GatewayConnection connection, Frame.Event event) {
        }

        /** A request from the gateway (newer Hermes line: blocking prompts); answer with {@link #respond}. */
        default void serverRequest(GatewayConnection connection, Frame.Request request) {
        }

        default void stateChanged(GatewayConnection connection, ConnectionState state) {
        }

        /** A frame that could not be read; the connection goes on. */
        default void malformed(GatewayConnection connection, String problem) {
        }
    }

    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The Hermes clients' application ping interval. */
    Duration HEARTBEAT = Duration.ofSeconds(15);

    void addListener(Listener listener);

    void removeListener(Listener listener);

    /** The gateway's {@code ws://} URL, without token. */
    String endpoint();

    ConnectionState state();

    /** The last {@code gateway.ready} of this connection, empty before the first. */
    Optional<GatewayEvent.GatewayReady> ready();

    /**
     * Dials when not connected (again after a failure or a close) and completes with the gateway's ready
     * frame. While connected, or while a dial or redial is under way, it returns the same pending result.
     */
    CompletableFuture<GatewayEvent.GatewayReady> connect();

    /** Closes on purpose: no redial; pending and queued calls fail with {@link GatewayException.Kind#CLOSED}. */
    void close();

    /** {@code session.list}: the gateway's stored sessions, newest first. */
    default CompletableFuture<List<SessionSummary>> storedSessions(int limit) {
        return request(Methods.SESSION_LIST, Methods.sessionList(limit)).thenApply(SessionSummary::listFrom);
    }

    /** {@code session.active_list}: the sessions live on the gateway now. */
    default CompletableFuture<List<SessionSummary>> liveSessions() {
        return request(Methods.SESSION_ACTIVE_LIST, new JsonObject()).thenApply(SessionSummary::listFrom);
    }

    /** The gateway's sessions, stored and live, each stored one with its live runtime if it has one. */
    default CompletableFuture<List<LocalSession>> sessions() {
        return storedSessions(200).thenCombine(liveSessions(), LocalSession::merge);
    }

    /** {@code session.presence_list}: the unexpired presence records the gateway reads (every device's). */
    default CompletableFuture<List<PresenceRecord>> presence() {
        return request(Methods.SESSION_PRESENCE_LIST, Methods.presenceList(false)).thenApply(PresenceRecord::listFrom);
    }

    /** Calls {@code method} with the default timeout. */
    CompletableFuture<JsonObject> request(String method, JsonObject params);

    /**
     * Calls {@code method}. While the connection is being (re)established the call waits and is sent once the
     * gateway is ready; on a closed or failed connection it fails at once. The result completes on the reader
     * thread; an error answer fails it with {@link GatewayException.Kind#RPC_ERROR} and the gateway's code. A
     * call in flight when the connection drops fails with {@link GatewayException.Kind#CONNECTION_LOST}: it may
     * or may not have reached the gateway.
     */
    CompletableFuture<JsonObject> request(String method, JsonObject params, Duration timeout);

    /** Answers a request of the gateway. Dropped when the socket it came on is gone. */
    void respond(JsonElement id, JsonElement result);

    void respondError(JsonElement id, int code, String message);
}
