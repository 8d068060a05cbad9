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
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;

/** The {@link AttachedSession} the connector keeps: it routes the session's events into its model and re-attaches on every new socket. */
public final class SessionAttachment implements AttachedSession {

    /** How long a prompt may wait for a connection before the person is told it was not sent. */
    static final Duration PROMPT_TIMEOUT = Duration.ofMinutes(2);
    /**
     * How often a held prompt is tried again while the session shows no turn running: the end of the turn that
     * made the gateway busy may have come before this client saw it start.
     */
    static final Duration HELD_RETRY = Duration.ofSeconds(5);

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
    /** The title this client knew from elsewhere, for a gateway whose answers carry none. */
    private final String knownTitle;
    private final HeldPrompts held = new HeldPrompts();
    /** Prompts sent at once whose answer has not come: to a gateway that does not queue, the next waits for them. */
    private final java.util.concurrent.atomic.AtomicInteger sentUnanswered = new java.util.concurrent.atomic.AtomicInteger();
    private java.util.concurrent.ScheduledFuture<?> heldRetry;

    SessionAttachment(DefaultGatewayConnector connector, GatewayConnection connection, String runtimeId, String sessionKey,
            String knownTitle) {
        this.connector = connector;
        this.connection = connection;
        this.endpoint = connection.endpoint();
        this.runtimeId = runtimeId;
        this.sessionKey = sessionKey == null ? "" : sessionKey;
        this.knownTitle = knownTitle;
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
            if (model.title().isEmpty()) {
                model.adoptTitleIfUntitled(knownTitle);
            }
            if (model.title().isEmpty()) {
                lookUpTitle(c);
            }
            releaseHeld();
            return this;
        });
    }

    /**
     * Neither the gateway's answer nor the caller named the title (a Hermes gateway's attach results carry
     * none): it is in the gateway's lists, the live one by runtime id, else the stored one by stored id.
     */
    private void lookUpTitle(GatewayConnection c) {
        String id = sessionId();
        String key = sessionKey();
        c.liveSessions().thenCompose(live -> {
            for (org.agentchannels.core.protocol.SessionSummary s : live) {
                if (!s.title().isEmpty() && (s.id().equals(id) || !key.isEmpty() && s.sessionKey().equals(key))) {
                    return CompletableFuture.completedFuture(s.title());
                }
            }
            return key.isEmpty() ? CompletableFuture.completedFuture("")
                    : c.storedSessions(200).thenApply(stored -> stored.stream()
                            .filter(s -> s.id().equals(key)).map(s -> s.title()).findFirst().orElse(""));
        }).whenComplete((title, error) -> {
            if (error == null) {
                model.adoptTitleIfUntitled(title);
            }
            // a gateway without the lists leaves the session untitled: the chat shows its own label
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
        if (!held.isEmpty() && !model.isTurnRunning()) {
            releaseHeld(); // the turn that made the gateway busy ended
        }
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
            if (heldRetry != null) {
                heldRetry.cancel(false);
                heldRetry = null;
            }
        }
        for (HeldPrompts.Held h : held.drain()) {
            failPrompt(h.submissionId(), h.outcome(), new GatewayException(GatewayException.Kind.CLOSED,
                    "the session was left while another turn ran, before the prompt could be sent"));
        }
    }

    // ------------------------------------------------------------------ calls a chat makes

    @Override
    public CompletableFuture<String> submit(String text) {
        String submissionId = UUID.randomUUID().toString();
        model.addOutgoing(submissionId, text, connector.localDeviceName());
        CompletableFuture<String> outcome = new CompletableFuture<>();
        outcome.whenComplete((status, error) -> {
            if (outcome.isCancelled() && held.withdraw(submissionId)) {
                model.removeOutgoing(submissionId); // its sender gave up waiting: it is not sent
            }
        });
        boolean queues = connection().ready().map(r -> r.queuesPrompts()).orElse(false);
        if (held.isBusy() || !queues && sentUnanswered.get() > 0) {
            // after the ones typed before it: a gateway that does not queue could otherwise run it first
            hold(new HeldPrompts.Held(submissionId, text, outcome), false);
            return outcome;
        }
        sentUnanswered.incrementAndGet();
        connector.ensureAttached(this).whenComplete((ok, error) -> {
            if (error != null) {
                sentUnanswered.decrementAndGet();
                failPrompt(submissionId, outcome, GatewayException.of(error));
            } else {
                send(submissionId, text, outcome, 1, false);
            }
        });
        return outcome;
    }

    /**
     * Keeps a prompt the gateway could not take while another turn runs, to send it when that turn ends.
     *
     * @param first whether it goes before those held already (it was typed before them)
     */
    private void hold(HeldPrompts.Held prompt, boolean first) {
        if (!(first ? held.holdFirst(prompt) : held.hold(prompt))) {
            failPrompt(prompt.submissionId(), prompt.outcome(), new GatewayException(GatewayException.Kind.RPC_ERROR,
                    JsonRpcCodes.SESSION_BUSY, "the session is busy and " + HeldPrompts.MAX_HELD
                            + " prompts already wait for it; this one was not sent"));
            return;
        }
        model.markOutgoing(prompt.submissionId(), OutgoingPrompt.State.HELD, "");
        scheduleHeldRetry();
        failHeldIfDetached();
    }

    /** Left meanwhile (its held prompts drained): a prompt held after that is failed too, never kept for good. */
    private void failHeldIfDetached() {
        if (isDetached()) {
            for (HeldPrompts.Held h : held.drain()) {
                failPrompt(h.submissionId(), h.outcome(), new GatewayException(GatewayException.Kind.CLOSED,
                        "the session was left while another turn ran, before the prompt could be sent"));
            }
        }
    }

    private void scheduleHeldRetry() {
        synchronized (lock) {
            if (detached || heldRetry != null && !heldRetry.isDone()) {
                return;
            }
            heldRetry = connector.schedule(() -> {
                synchronized (lock) {
                    heldRetry = null;
                }
                if (!model.isTurnRunning()) {
                    releaseHeld();
                }
                if (!held.isEmpty()) {
                    scheduleHeldRetry();
                }
            }, HELD_RETRY);
        }
    }

    /** Sends the oldest held prompt, if one waits, none is on its way, and the session shows no turn running. */
    private void releaseHeld() {
        if (isDetached() || model.isTurnRunning()) {
            return;
        }
        HeldPrompts.Held next = held.takeNext();
        if (next == null) {
            return;
        }
        if (next.outcome().isDone()) { // given up on meanwhile
            held.answered();
            releaseHeld();
            return;
        }
        model.markOutgoing(next.submissionId(), OutgoingPrompt.State.SENDING, "");
        connector.ensureAttached(this).whenComplete((ok, error) -> {
            if (error != null) {
                held.answered();
                failPrompt(next.submissionId(), next.outcome(), GatewayException.of(error));
            } else {
                send(next.submissionId(), next.text(), next.outcome(), 1, true);
            }
        });
    }

    /** @param fromHeld whether it is the held prompt {@link #releaseHeld} sends (else one just typed) */
    private void send(String submissionId, String text, CompletableFuture<String> outcome, int attempt, boolean fromHeld) {
        GatewayConnection c = connection();
        boolean idempotent = c.ready().map(r -> r.submissionIds()).orElse(false);
        String sender = isRemote() ? connector.localDeviceName() : "";
        String key = idempotent ? submissionId : "";
        c.submitPrompt(sessionId(), text, sender, key, PROMPT_TIMEOUT).whenComplete((result, error) -> {
            GatewayException busy = error == null ? null : GatewayException.of(error);
            if (busy != null && busy.kind() == GatewayException.Kind.RPC_ERROR && busy.code() == JsonRpcCodes.SESSION_BUSY
                    && !isDetached() && !outcome.isDone()) {
                // not run (the gateway refused it): kept, and sent once when the running turn ends
                HeldPrompts.Held kept = new HeldPrompts.Held(submissionId, text, outcome);
                if (fromHeld) {
                    held.holdAgain(kept); // still first in line
                    model.markOutgoing(submissionId, OutgoingPrompt.State.HELD, "");
                    scheduleHeldRetry();
                    failHeldIfDetached();
                } else {
                    hold(kept, true);
                    sentUnanswered.decrementAndGet();
                }
                return;
            }
            GatewayException g = error == null ? null : GatewayException.of(error);
            boolean unknownFate = g != null && g.kind() == GatewayException.Kind.CONNECTION_LOST;
            // the gateway de-duplicates by submission_id: sending again cannot run it twice
            boolean again = unknownFate && idempotent && attempt < 5 && !isDetached();
            if (fromHeld) {
                held.answered();
            } else if (!again) {
                sentUnanswered.decrementAndGet(); // its fate is known: the next typed may go
            }
            if (error == null) {
                model.markOutgoing(submissionId, OutgoingPrompt.State.ACCEPTED, "");
                String status = result.status();
                outcome.complete(status.isEmpty() ? PromptResult.STREAMING : status);
                return;
            }
            if (again) {
                // after a pause that grows: sent at once, it would meet the same dying socket before the drop is seen
                connector.schedule(() -> send(submissionId, text, outcome, attempt + 1, fromHeld),
                        java.time.Duration.ofMillis(200L * (attempt + 1)));
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
