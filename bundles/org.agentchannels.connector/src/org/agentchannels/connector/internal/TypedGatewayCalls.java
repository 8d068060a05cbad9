package org.agentchannels.connector.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.RequestId;
import org.agentchannels.core.protocol.SessionHistory;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TitleResult;
import org.agentchannels.core.protocol.TranscriptRow;

import com.google.gson.JsonObject;

/**
 * The typed calls of a {@link GatewayConnection} over its raw call: parameters written by core's
 * {@link Methods}, results read back by core's records, and the requests of the gateway read into
 * {@link InputRequest}s or refused. What carries the frames is the subclass's business.
 */
abstract class TypedGatewayCalls implements GatewayConnection, RawGatewayCalls {

    /** The presence list as this connection last read it. */
    private final HeldPresence heldPresence = new HeldPresence();

    private final FrameCodec codec;

    TypedGatewayCalls(FrameCodec codec) {
        this.codec = codec;
    }

    /** Sends an answer to a request of the gateway; dropped when the socket it came on is gone. */
    abstract void sendAnswer(Frame answer);

    /** A request of the gateway: a blocking prompt goes to {@code listeners}, any other method is refused. */
    final void serverRequest(Frame.Request request, Iterable<Listener> listeners) {
        InputRequest input = GatewayEvents.serverRequest(request);
        if (input == null) {
            refuse(RequestId.of(request), JsonRpcCodes.METHOD_NOT_FOUND, "unknown method: " + request.method());
            return;
        }
        for (Listener l : listeners) {
            l.inputRequested(this, input);
        }
    }

    @Override
    public CompletableFuture<Acknowledgement> ping() {
        return request(Methods.GATEWAY_PING, new JsonObject()).thenApply(Acknowledgement::fromJson);
    }

    @Override
    public CompletableFuture<List<SessionSummary>> storedSessions(int limit) {
        return request(Methods.SESSION_LIST, Methods.sessionList(limit)).thenApply(SessionSummary::listFrom);
    }

    @Override
    public CompletableFuture<List<SessionSummary>> liveSessions() {
        return request(Methods.SESSION_ACTIVE_LIST, new JsonObject()).thenApply(SessionSummary::listFrom);
    }

    /**
     * Asks for what changed since the list held, and applies it; when two asks crossed, asks once more for the
     * whole list (which always applies).
     */
    @Override
    public CompletableFuture<List<PresenceRecord>> presence(boolean includeExpired) {
        return request(Methods.SESSION_PRESENCE_LIST, heldPresence.params(includeExpired))
                .thenCompose(result -> heldPresence.take(result, includeExpired)
                        .map(CompletableFuture::completedFuture)
                        .orElseGet(() -> request(Methods.SESSION_PRESENCE_LIST, Methods.presenceList(includeExpired))
                                .thenApply(whole -> heldPresence.take(whole, includeExpired).orElseThrow())));
    }

    @Override
    public CompletableFuture<SessionSnapshot> createSession(String title, List<TranscriptRow> seed, String cwd,
            String agent) {
        return snapshot(request(Methods.SESSION_CREATE, Methods.sessionCreate(title, seed, cwd, agent)));
    }

    @Override
    public CompletableFuture<SessionSnapshot> activate(String sessionId, String viewerDevice, long sinceSeq) {
        return snapshot(request(Methods.SESSION_ACTIVATE, Methods.sessionActivate(sessionId, viewerDevice, sinceSeq)));
    }

    @Override
    public CompletableFuture<SessionSnapshot> resume(String sessionKey, String viewerDevice, long sinceSeq) {
        return snapshot(request(Methods.SESSION_RESUME, Methods.sessionResume(sessionKey, viewerDevice, sinceSeq)));
    }

    private CompletableFuture<SessionSnapshot> snapshot(CompletableFuture<JsonObject> result) {
        return result.thenApply(r -> SessionSnapshot.fromResult(r, codec));
    }

    @Override
    public CompletableFuture<SessionHistory> history(String sessionId) {
        return request(Methods.SESSION_HISTORY, Methods.sessionOnly(sessionId)).thenApply(SessionHistory::fromJson);
    }

    @Override
    public CompletableFuture<List<Participant>> participants(String sessionId) {
        return request(Methods.SESSION_PARTICIPANTS, Methods.sessionOnly(sessionId)).thenApply(Participant::listFrom);
    }

    @Override
    public CompletableFuture<TitleResult> title(String sessionId) {
        return request(Methods.SESSION_TITLE, Methods.sessionOnly(sessionId)).thenApply(TitleResult::fromJson);
    }

    @Override
    public CompletableFuture<TitleResult> setTitle(String sessionId, String title) {
        return request(Methods.SESSION_TITLE, Methods.sessionTitle(sessionId, title)).thenApply(TitleResult::fromJson);
    }

    @Override
    public CompletableFuture<PromptResult> submitPrompt(String sessionId, String text, String senderDevice,
            String submissionId, Duration timeout) {
        return request(Methods.PROMPT_SUBMIT, Methods.promptSubmit(sessionId, text, senderDevice, submissionId), timeout)
                .thenApply(PromptResult::fromJson);
    }

    @Override
    public CompletableFuture<Acknowledgement> interrupt(String sessionId) {
        return request(Methods.SESSION_INTERRUPT, Methods.sessionOnly(sessionId)).thenApply(Acknowledgement::fromJson);
    }

    @Override
    public CompletableFuture<Acknowledgement> closeSession(String sessionId) {
        return request(Methods.SESSION_CLOSE, Methods.sessionOnly(sessionId)).thenApply(Acknowledgement::fromJson);
    }

    @Override
    public CompletableFuture<Void> answer(InputRequest request, String answer) {
        if (request.rpcId() != null) {
            sendAnswer(new Frame.Response(request.rpcId().toJson(), Methods.requestAnswer(answer)));
            return CompletableFuture.completedFuture(null);
        }
        return request(Methods.respondMethod(request.kind()), Methods.respondParams(request, answer)).thenApply(r -> null);
    }

    @Override
    public void refuse(RequestId request, int code, String message) {
        sendAnswer(new Frame.Failure(request.toJson(), code, message, null));
    }
}
