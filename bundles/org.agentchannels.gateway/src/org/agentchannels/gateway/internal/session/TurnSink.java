package org.agentchannels.gateway.internal.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;

/**
 * Where one turn's agent reports. Everything it says is applied under the session's lock, in order, and sent to
 * every viewer; rows for the transcript go to the store's queue, never to the disk from here.
 */
final class TurnSink implements Agent.Sink {

    /** The most tool rows one turn adds: an agent calling tools in an endless loop fills no memory or store. */
    static final int MAX_TOOL_ROWS = 1000;

    private static final System.Logger LOG = System.getLogger(TurnSink.class.getName());

    private final SessionHost host;
    private final Turns turns;
    private final LiveSession s;
    private boolean done;
    private int toolRows;
    /** Until the agent's {@code start} returned: an end meanwhile leaves the queue to {@link Turns}. */
    private boolean starting = true;

    TurnSink(SessionHost host, Turns turns, LiveSession s) {
        this.host = host;
        this.turns = turns;
        this.s = s;
    }

    @Override
    public void delta(String text) {
        synchronized (s) {
            if (done || text.isEmpty()) {
                return;
            }
            s.inflight.append(text);
            s.emit(new GatewayEvent.MessageDelta(text));
        }
    }

    @Override
    public void reasoning(String text) {
        synchronized (s) {
            if (done || text.isEmpty()) {
                return;
            }
            s.inflightReasoning.append(text);
            s.emit(new GatewayEvent.ReasoningDelta(text));
        }
    }

    @Override
    public void tool(String name, String context) {
        synchronized (s) {
            if (done || toolRows == MAX_TOOL_ROWS) {
                return;
            }
            if (++toolRows == MAX_TOOL_ROWS) {
                LOG.log(System.Logger.Level.WARNING, "a turn of session " + s.runtimeId + " reached " + MAX_TOOL_ROWS
                        + " tool calls; its further ones are not shown or stored");
            }
            TranscriptRow row = TranscriptRow.tool(name, context);
            store(row);
            s.rows.add(row);
            s.emit(new GatewayEvent.ToolStart("t" + host.nextId(), name, context));
        }
    }

    @Override
    public CompletableFuture<String> ask(InputRequest.Kind kind, String prompt, List<String> choices) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        synchronized (s) {
            if (done || s.closed) {
                answer.cancel(false);
                return answer;
            }
            String requestId = "q" + host.nextId();
            InputRequest request = new InputRequest(kind, s.runtimeId, requestId, prompt, choices, false, null);
            s.asks.put(requestId, new LiveSession.PendingAsk(request, answer));
            s.emit(new GatewayEvent.InputRequested(request));
            host.publish(s);
        }
        return answer;
    }

    @Override
    public void complete(Agent.Result result) {
        synchronized (s) {
            if (done) {
                return;
            }
            done = true;
            String text = s.inflight.toString();
            String reasoning = s.inflightReasoning.toString();
            TranscriptRow row = TranscriptRow.assistant(text.isEmpty() && "error".equals(result.status()) ? result.error()
                    : text, reasoning, result.status());
            s.rows.add(row);
            s.running = false;
            s.turn = null;
            turns.cancelAsks(s);
            s.emit(new GatewayEvent.MessageComplete(text, result.status(), reasoning, result.error(), result.usage()));
            host.emitInfo(s);
            String storedId = s.storedId;
            long seq = s.log.lastSeq();
            double now = host.now();
            host.store.write("storing the end of a turn", store -> {
                store.append(storedId, row, null, now);
                store.setTurnOpen(storedId, false, seq);
            });
            s.inflight.setLength(0);
            s.inflightReasoning.setLength(0);
            s.inflightUser = "";
            s.lastActive = host.now();
            host.publish(s);
            turns.turnEnded(s, starting);
        }
    }

    // with the session's lock
    void started() {
        starting = false;
    }

    // with the session's lock
    private void store(TranscriptRow row) {
        String storedId = s.storedId;
        double now = host.now();
        host.store.write("storing a tool row", store -> store.append(storedId, row, null, now));
    }
}
