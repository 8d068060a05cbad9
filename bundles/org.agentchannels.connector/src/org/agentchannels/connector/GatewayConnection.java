package org.agentchannels.connector;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.LocalSession;
import org.agentchannels.core.protocol.OfferedAgent;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.RequestId;
import org.agentchannels.core.protocol.SessionHistory;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TitleResult;
import org.agentchannels.core.protocol.TranscriptRow;

/**
 * One connection to one gateway, kept up: requests correlated by id with timeouts, events handed to listeners,
 * {@code gateway.ping} every 15 s when the gateway asks for it, and, once it has been connected, redials with
 * jittered exponential backoff until {@link #close()}. Frames of an older socket are ignored, so a stale socket
 * can neither deliver nor send.
 *
 * <p>Every call is typed: it takes values and completes with core's protocol records. While the connection is
 * being (re)established a call waits and is sent once the gateway is ready; on a closed or failed connection it
 * fails at once. An error answer fails it with {@link GatewayException.Kind#RPC_ERROR} and the gateway's code
 * ({@code JsonRpcCodes}); a call in flight when the connection drops fails with
 * {@link GatewayException.Kind#CONNECTION_LOST}: it may or may not have reached the gateway. A call waits
 * {@link #DEFAULT_TIMEOUT} unless it takes a timeout of its own. Results complete on the reader thread.
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

        /**
         * The gateway asked a blocking prompt by a request of its own (newer Hermes line), with its
         * {@link InputRequest#rpcId()} set: answer it with {@link GatewayConnection#answer} or
         * {@link GatewayConnection#refuse}. Requests of other methods the connection refuses itself.
         */
        default void inputRequested(GatewayConnection connection, InputRequest request) {
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

    // ------------------------------------------------------------------ the calls

    /** {@code gateway.ping}. */
    CompletableFuture<Acknowledgement> ping();

    /** {@code session.list}: the gateway's stored sessions, newest first. */
    CompletableFuture<List<SessionSummary>> storedSessions(int limit);

    /** {@code session.active_list}: the sessions live on the gateway now. */
    CompletableFuture<List<SessionSummary>> liveSessions();

    /** The gateway's sessions, stored and live, each stored one with its live runtime if it has one. */
    default CompletableFuture<List<LocalSession>> sessions() {
        return storedSessions(200).thenCombine(liveSessions(), LocalSession::merge);
    }

    /** {@code session.presence_list}: the unexpired presence records the gateway reads (every device's). */
    default CompletableFuture<List<PresenceRecord>> presence() {
        return presence(false);
    }

    /** {@code session.presence_list}; {@code includeExpired} asks for the records past their lifetime too. */
    CompletableFuture<List<PresenceRecord>> presence(boolean includeExpired);

    /**
     * {@code session.create}: a new live session, not yet attached (see {@link GatewayConnector#attach}).
     *
     * @param title empty for none
     * @param seed the transcript it starts with; empty for none
     */
    default CompletableFuture<SessionSnapshot> createSession(String title, List<TranscriptRow> seed) {
        return createSession(title, seed, "");
    }

    /**
     * {@code session.create} in a working directory of the gateway's machine.
     *
     * @param cwd absolute, inside one of the gateway's workspaces; empty for the gateway's first workspace
     */
    default CompletableFuture<SessionSnapshot> createSession(String title, List<TranscriptRow> seed, String cwd) {
        return createSession(title, seed, cwd, "");
    }

    /**
     * {@code session.create} running one of the agents the gateway offers ({@link #offeredAgents()}).
     *
     * @param cwd absolute, inside one of the gateway's workspaces ({@link #workspaces()}); empty for the first
     * @param agent the id of an offered agent; empty for the gateway's default. One it does not offer fails
     *        with {@link GatewayException.Kind#RPC_ERROR} ({@code JsonRpcCodes.BAD_VALUE}) and creates nothing
     */
    CompletableFuture<SessionSnapshot> createSession(String title, List<TranscriptRow> seed, String cwd, String agent);

    /**
     * The agents the gateway offers for new sessions, the default first, as its last {@code gateway.ready} said;
     * empty before it, and for a gateway that offers no choice (a Hermes gateway).
     */
    default List<OfferedAgent> offeredAgents() {
        return ready().map(GatewayEvent.GatewayReady::agents).orElse(List.of());
    }

    /**
     * The directories on the gateway's machine a new session may work in (or inside), the default first, as its
     * last {@code gateway.ready} said; empty before it, and for a gateway that offers none.
     */
    default List<String> workspaces() {
        return ready().map(GatewayEvent.GatewayReady::workspaces).orElse(List.of());
    }

    /**
     * {@code session.activate}: attaches this connection to a live session by runtime id and returns its
     * snapshot; with {@code sinceSeq >= 0}, a gateway that numbers events may answer with only the events
     * missed since then ({@link SessionSnapshot#isReplay()}).
     *
     * @param viewerDevice this device's name; empty to leave it out
     */
    CompletableFuture<SessionSnapshot> activate(String sessionId, String viewerDevice, long sinceSeq);

    /**
     * {@code session.resume}: like {@link #activate}, by stored id or exact title, rebuilding the session when it
     * is not live.
     */
    CompletableFuture<SessionSnapshot> resume(String sessionKey, String viewerDevice, long sinceSeq);

    /** {@code session.history}: the stored transcript. */
    CompletableFuture<SessionHistory> history(String sessionId);

    /** {@code session.participants}: the devices attached to a session. */
    CompletableFuture<List<Participant>> participants(String sessionId);

    /** {@code session.title} without a title: reads it. */
    CompletableFuture<TitleResult> title(String sessionId);

    /** {@code session.title}: sets it. */
    CompletableFuture<TitleResult> setTitle(String sessionId, String title);

    /**
     * {@code prompt.submit}.
     *
     * @param senderDevice this device's name when the gateway is another device's (the seed's rule); else empty
     * @param submissionId our gateway's idempotency key; empty for gateways that do not announce it
     * @param timeout how long the call may wait, for the connection and for the answer
     */
    CompletableFuture<PromptResult> submitPrompt(String sessionId, String text, String senderDevice,
            String submissionId, Duration timeout);

    /** {@code session.interrupt}: stops the running turn. */
    CompletableFuture<Acknowledgement> interrupt(String sessionId);

    /** {@code session.close}: ends a live session on the gateway for every device. */
    CompletableFuture<Acknowledgement> closeSession(String sessionId);

    /**
     * Answers a blocking prompt in the style it came in: a June-line request with its {@code *.respond} call,
     * a request of the gateway ({@link InputRequest#rpcId()} set) with the answer to that request: that one
     * completes at once, as no reply follows it, and is dropped when the socket it came on is gone.
     */
    CompletableFuture<Void> answer(InputRequest request, String answer);

    /**
     * Refuses a request of the gateway with a JSON-RPC error ({@code code} from {@code JsonRpcCodes}). Dropped
     * when the socket it came on is gone.
     */
    void refuse(RequestId request, int code, String message);
}
