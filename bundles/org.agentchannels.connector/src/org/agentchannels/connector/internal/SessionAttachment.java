package org.agentchannels.connector.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;

/** The {@link AttachedSession} the connector keeps: it routes the session's events into its model and re-attaches on every new socket. */
public final class SessionAttachment implements AttachedSession {

    /** How long a prompt may wait for a connection before the person is told it was not sent. */
    static final Duration PROMPT_TIMEOUT = Duration.ofMinutes(2);

    private final DefaultGatewayConnector connector;
    private final SessionModel model;
    private final String endpoint;
    private final Object lock = new Object();
    private GatewayConnection connection;
    private String runtimeId;
    private String sessionKey;
    private boolean hydrating;
    private boolean detached;
    private String replayEpoch = "";
    private final List<Frame.Event> buffered = new ArrayList<>();

    SessionAttachment(DefaultGatewayConnector connector, GatewayConnection connection, String runtimeId, String sessionKey) {
        this.connector = connector;
        this.connection = connection;
        this.endpoint = connection.endpoint();
        this.runtimeId = runtimeId;
        this.sessionKey = sessionKey == null ? "" : sessionKey;
        this.model = new SessionModel(runtimeId);
    }

    @Override
    public SessionModel model() {
        return model;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public GatewayConnection connection() {
        synchronized (lock) {
            return connection;
        }
    }

    @Override
    public String sessionId() {
        synchronized (lock) {
            return runtimeId;
        }
    }

    @Override
    public String sessionKey() {
        synchronized (lock) {
            return sessionKey;
        }
    }

    @Override
    public boolean isRemote() {
        return connector.isRemote(connection());
    }

    @Override
    public boolean isDetached() {
        synchronized (lock) {
            return detached;
        }
    }

    // ------------------------------------------------------------------ attach and events (connector side)

    /** Attaches on the current connection and hydrates; events that arrive meanwhile wait and follow. */
    CompletableFuture<SessionAttachment> attach(long sinceSeq) {
        GatewayConnection c;
        String id;
        String key;
        synchronized (lock) {
            hydrating = true;
            c = connection;
            id = runtimeId;
            key = sessionKey;
        }
        String viewer = connector.localDeviceName();
        CompletableFuture<SessionSnapshot> result;
        if (id.isEmpty()) {
            result = c.resume(key, viewer, sinceSeq);
        } else {
            result = c.activate(id, viewer, sinceSeq)
                    .handle((ok, error) -> {
                        if (error == null) {
                            return CompletableFuture.completedFuture(ok);
                        }
                        GatewayException g = GatewayException.of(error);
                        if (g.kind() == GatewayException.Kind.RPC_ERROR && !key.isEmpty()) {
                            // not live under that runtime id (any more): rebuild it from its stored id
                            return c.resume(key, viewer, -1);
                        }
                        return CompletableFuture.<SessionSnapshot>failedFuture(g);
                    }).thenCompose(f -> f);
        }
        return result.handle((snapshot, error) -> {
            if (error != null) {
                synchronized (lock) {
                    hydrating = false;
                    buffered.clear();
                }
                throw new java.util.concurrent.CompletionException(GatewayException.of(error));
            }
            hydrate(snapshot);
            synchronized (lock) {
                replayEpoch = c.ready().map(r -> r.replayEpoch()).orElse("");
            }
            return this;
        });
    }

    private void hydrate(SessionSnapshot snapshot) {
        String oldId;
        List<Frame.Event> pending;
        synchronized (lock) {
            oldId = runtimeId;
            if (!snapshot.sessionId().isEmpty()) {
                runtimeId = snapshot.sessionId();
            }
            if (!snapshot.sessionKey().isEmpty()) {
                sessionKey = snapshot.sessionKey();
            }
        }
        if (!oldId.equals(sessionId())) {
            connector.rerouted(this, oldId);
        }
        model.hydrate(snapshot);
        synchronized (lock) {
            pending = new ArrayList<>(buffered);
            buffered.clear();
            hydrating = false;
        }
        for (Frame.Event e : pending) {
            model.apply(e);
        }
    }

    /** Called by the connector on the reader thread, in frame order. */
    void onEvent(Frame.Event event) {
        synchronized (lock) {
            if (hydrating) {
                buffered.add(event);
                return;
            }
        }
        model.apply(event);
    }

    /**
     * The event number to resume from after a reconnect: the last one seen, when the gateway numbers events
     * and still counts in the same series (its {@code replay_epoch} is the one this session was hydrated in;
     * a restarted gateway starts a new one); else -1, asking for a whole snapshot.
     */
    long resumeSeq(org.agentchannels.core.protocol.GatewayEvent.GatewayReady ready) {
        synchronized (lock) {
            return ready.eventSeq() && ready.replayEpoch().equals(replayEpoch) ? model.lastSeq() : -1;
        }
    }

    void rebind(GatewayConnection fresh) {
        synchronized (lock) {
            connection = fresh;
            detached = false;
        }
    }

    void markDetached() {
        synchronized (lock) {
            detached = true;
        }
    }

    // ------------------------------------------------------------------ calls a chat makes

    @Override
    public CompletableFuture<String> submit(String text) {
        String submissionId = UUID.randomUUID().toString();
        model.addOutgoing(submissionId, text, connector.localDeviceName());
        CompletableFuture<String> outcome = new CompletableFuture<>();
        connector.ensureAttached(this).whenComplete((ok, error) -> {
            if (error != null) {
                failPrompt(submissionId, outcome, GatewayException.of(error));
            } else {
                send(submissionId, text, outcome, 1);
            }
        });
        return outcome;
    }

    private void send(String submissionId, String text, CompletableFuture<String> outcome, int attempt) {
        GatewayConnection c = connection();
        boolean idempotent = c.ready().map(r -> r.submissionIds()).orElse(false);
        String sender = isRemote() ? connector.localDeviceName() : "";
        String key = idempotent ? submissionId : "";
        c.submitPrompt(sessionId(), text, sender, key, PROMPT_TIMEOUT).whenComplete((result, error) -> {
            if (error == null) {
                model.markOutgoing(submissionId, OutgoingPrompt.State.ACCEPTED, "");
                String status = result.status();
                outcome.complete(status.isEmpty() ? PromptResult.STREAMING : status);
                return;
            }
            GatewayException g = GatewayException.of(error);
            boolean unknownFate = g.kind() == GatewayException.Kind.CONNECTION_LOST;
            if (unknownFate && idempotent && attempt < 5 && !isDetached()) {
                // the gateway de-duplicates by submission_id: sending again cannot run it twice
                send(submissionId, text, outcome, attempt + 1);
            } else if (unknownFate && !isInOutbox(submissionId)) {
                // its turn had already started (message.start took it out of the outbox): it was delivered
                outcome.complete(PromptResult.STREAMING);
            } else if (unknownFate) {
                failPrompt(submissionId, outcome, new GatewayException(GatewayException.Kind.CONNECTION_LOST,
                        "the connection dropped before the gateway confirmed the prompt; "
                                + "check the transcript before sending it again"));
            } else {
                failPrompt(submissionId, outcome, g);
            }
        });
    }

    private boolean isInOutbox(String submissionId) {
        return model.outgoing().stream().anyMatch(p -> p.submissionId().equals(submissionId));
    }

    private void failPrompt(String submissionId, CompletableFuture<String> outcome, GatewayException why) {
        model.markOutgoing(submissionId, OutgoingPrompt.State.FAILED, why.getMessage());
        outcome.completeExceptionally(why);
    }

    @Override
    public CompletableFuture<Acknowledgement> interrupt() {
        return connection().interrupt(sessionId());
    }

    @Override
    public CompletableFuture<Void> answer(InputRequest request, String answer) {
        return connection().answer(request, answer).thenRun(() -> model.resolveInputRequest(request));
    }

    @Override
    public String toString() {
        return "AttachedSession[" + sessionId() + " on " + org.agentchannels.core.GatewayEndpoints.redact(endpoint) + "]";
    }
}
