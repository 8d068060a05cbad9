package org.agentchannels.gateway.internal.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.internal.LoggedFailure;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.store.TranscriptStore.PendingPrompt;

/**
 * Prompts and the turns they start: one turn at a time per session, later prompts queued in order and
 * idempotent by {@code submission_id}; the blocking asks of a turn and their answers; interrupts.
 */
public final class Turns {

    private static final System.Logger LOG = System.getLogger(Turns.class.getName());

    private final SessionHost host;

    Turns(SessionHost host) {
        this.host = host;
    }

    /**
     * Runs a prompt now, or queues it behind the running turn. A prompt whose {@code submission_id} was seen
     * before is acknowledged and not run again. Returns once what it acknowledges is stored.
     *
     * @param senderDevice the device the client says the prompt was typed on, or {@code null} when it says none
     */
    public PromptResult submit(Client client, String runtimeId, String text, String senderDevice, String submissionId)
            throws RpcException {
        LiveSession s = host.registry.live(runtimeId);
        // sanitised; without a name the prompt is this gateway's own
        String sender = senderDevice == null ? "" : DeviceNames.sanitize(senderDevice);
        if (client.isBound()) {
            // a device token names its device: a paired device cannot pass its prompts off as another's
            if (!sender.isEmpty() && !sender.equals(client.device())) {
                LOG.log(System.Logger.Level.WARNING, "a prompt over the device token of '" + client.device()
                        + "' named another sender_device; attributed to '" + client.device() + "'");
            }
            sender = client.device();
        }
        if (sender.isEmpty()) {
            sender = host.deviceName;
        }
        CompletableFuture<Void> stored;
        PromptResult result;
        synchronized (s) {
            if (s.closed) {
                throw new RpcException(JsonRpcCodes.SESSION_NOT_FOUND, "session not found");
            }
            if (!submissionId.isEmpty() && !s.submissions.add(submissionId)) {
                return PromptResult.duplicateOfEarlier();
            }
            if (senderDevice != null) {
                client.setDevice(sender);
            }
            host.sessions().attachViewer(s, client, client.device());
            LiveSession.Queued prompt = new LiveSession.Queued(submissionId, text, sender);
            if (s.running) {
                String storedId = s.storedId;
                PendingPrompt pending = new PendingPrompt(submissionId, text, prompt.senderDevice());
                stored = host.store.write("queueing a prompt", store -> store.addPending(storedId, pending));
                s.queue.add(prompt);
                result = PromptResult.queued(s.queue.size());
            } else {
                stored = startTurn(s, prompt);
                result = PromptResult.streaming();
            }
        }
        SessionHost.committed(stored);
        return result;
    }

    // with the session's lock; returns the store write of the prompt's row
    private CompletableFuture<Void> startTurn(LiveSession s, LiveSession.Queued prompt) {
        CompletableFuture<Void> stored = beginTurn(s, prompt);
        // a turn that ended while its agent started it left the queue to this loop, not to a deeper call
        LiveSession.Queued next;
        while (!s.running && !s.closed && (next = s.queue.poll()) != null) {
            beginTurn(s, next);
        }
        return stored;
    }

    // with the session's lock
    private CompletableFuture<Void> beginTurn(LiveSession s, LiveSession.Queued prompt) {
        TranscriptRow user = TranscriptRow.user(prompt.text(), prompt.senderDevice());
        List<TranscriptRow> history = List.copyOf(s.rows);
        s.rows.add(user);
        s.running = true;
        s.turnEnded = new CompletableFuture<>();
        s.inflight.setLength(0);
        s.inflightReasoning.setLength(0);
        s.inflightUser = prompt.text();
        s.lastActive = host.now();
        String storedId = s.storedId;
        long seq = s.log.lastSeq();
        double now = host.now();
        CompletableFuture<Void> stored = host.store.write("storing a prompt", store -> {
            store.append(storedId, user, prompt.submissionId(), now);
            if (!prompt.submissionId().isEmpty()) {
                store.removePending(storedId, prompt.submissionId());
            }
            store.setTurnOpen(storedId, true, seq);
        });
        s.emit(new GatewayEvent.MessageStart(prompt.text(), prompt.senderDevice(), prompt.submissionId()));
        host.emitInfo(s);
        host.publish(s);
        TurnSink sink = new TurnSink(host, this, s);
        Agent.Turn turn = null;
        try {
            turn = s.agent.agent().start(new Agent.Request(s.runtimeId, history, prompt.text(), prompt.senderDevice()), sink);
        } catch (RuntimeException | Error e) { // whatever the agent throws ends this turn, never the session
            LOG.log(System.Logger.Level.WARNING, "the agent could not start a turn of session " + s.runtimeId,
                    LoggedFailure.of(e));
            sink.complete(Agent.Result.error("the agent could not start the turn (" + e.getClass().getSimpleName() + ")"));
        }
        sink.started();
        if (s.running) {
            s.turn = turn; // not when it ended already: then there is nothing to interrupt
        }
        return stored;
    }

    /**
     * With the session's lock: the turn ended; the next queued prompt, if any, starts, unless the turn ended while
     * its agent was starting it ({@code whileStarting}), where {@link #startTurn} goes on with the queue.
     */
    void turnEnded(LiveSession s, boolean whileStarting) {
        s.turnEnded.complete(null);
        LiveSession.Queued next = s.closed || whileStarting ? null : s.queue.poll();
        if (next != null) {
            startTurn(s, next);
        }
    }

    // with the session's lock
    void cancelAsks(LiveSession s) {
        for (LiveSession.PendingAsk ask : s.asks.values()) {
            ask.answer().cancel(false);
            s.emit(new GatewayEvent.InputResolved(ask.request().requestId()));
        }
        s.asks.clear();
    }

    /**
     * {@code approval.respond {session_id, choice}}: answers the session's pending approval.
     *
     * @param device the answering client's device, which every viewer is told (empty when it named none)
     */
    public Acknowledgement approvalRespond(String runtimeId, String requestId, String choice, String device)
            throws RpcException {
        LiveSession s = host.registry.live(runtimeId);
        if (choice.isEmpty()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "choice required");
        }
        return resolve(s, requestId, InputRequest.Kind.APPROVAL, choice, device);
    }

    /** {@code clarify.respond {request_id, answer}}, whichever session asked. */
    public Acknowledgement clarifyRespond(String requestId, String answer, String device) throws RpcException {
        if (requestId.isEmpty()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "request_id required");
        }
        for (LiveSession s : host.registry.all()) {
            synchronized (s) {
                if (s.asks.containsKey(requestId)) {
                    return resolve(s, requestId, InputRequest.Kind.CLARIFY, answer, device);
                }
            }
        }
        throw new RpcException(JsonRpcCodes.SESSION_BUSY, "no pending clarify request");
    }

    private Acknowledgement resolve(LiveSession s, String requestId, InputRequest.Kind kind, String answer,
            String device) throws RpcException {
        synchronized (s) {
            LiveSession.PendingAsk ask = null;
            for (var it = s.asks.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (e.getValue().request().kind() == kind && (requestId.isEmpty() || e.getKey().equals(requestId))) {
                    ask = e.getValue();
                    refuseUnofferedChoice(ask.request(), answer); // before it is taken: a typo leaves it waiting
                    it.remove();
                    break;
                }
            }
            if (ask == null) {
                throw new RpcException(JsonRpcCodes.SESSION_BUSY, "no pending " + kind.wireName() + " request");
            }
            // other viewers stop offering it, and say who answered (a question's answer is not repeated to all)
            s.emit(new GatewayEvent.InputResolved(ask.request().requestId(), device,
                    kind == InputRequest.Kind.APPROVAL ? answer : ""));
            ask.answer().complete(answer);
            host.publish(s);
        }
        return Acknowledgement.answered();
    }

    /**
     * An approval is answered with one of the choices it offered, or with one of the approval words every
     * client knows (an agent with choices of its own gives them their kinds); anything else is refused.
     */
    private static void refuseUnofferedChoice(InputRequest request, String answer) throws RpcException {
        if (request.kind() == InputRequest.Kind.APPROVAL && !request.choices().isEmpty()
                && !request.choices().contains(answer) && !APPROVAL_WORDS.contains(answer)) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "choice must be one of " + String.join(", ", request.choices()));
        }
    }

    private static final java.util.Set<String> APPROVAL_WORDS = java.util.Set.of("once", "session", "always", "deny");

    public Acknowledgement interrupt(String runtimeId) throws RpcException {
        LiveSession s = host.registry.live(runtimeId);
        synchronized (s) {
            if (s.running && s.turn != null) {
                s.turn.interrupt();
            }
            cancelAsks(s);
        }
        return Acknowledgement.interrupted();
    }
}
