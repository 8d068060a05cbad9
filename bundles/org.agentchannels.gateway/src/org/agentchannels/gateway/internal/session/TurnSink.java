package org.agentchannels.gateway.internal.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.DisplayText;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.internal.ToolCalls;

/**
 * Where one turn's agent reports. Everything it says is applied under the session's lock, in order, and sent to
 * every viewer; rows for the transcript go to the store's queue, never to the disk from here. A tool row with a
 * call id, and the turn's plan row, are replaced in place as the agent reports their changes: in the session's
 * rows, to every viewer ({@code tool.start} the first time, {@code tool.update} after, and Hermes'
 * {@code tool.complete} once when the call ends) and in the store.
 *
 * <p>What a turn's rows hold and send is bounded: at most {@link #MAX_TOOL_ROWS} rows, {@link #MAX_ROW_DETAIL}
 * of detail in one row, {@link #MAX_TURN_DETAIL} in all of them; and their updates send and store at most
 * {@link #MAX_TURN_UPDATES}, past which a row's change waits for the end of the turn (its end goes at once).
 */
final class TurnSink implements Agent.Sink {

    /**
     * The most rows one turn adds (tool rows, its plan, notes): an agent calling tools in an endless loop fills
     * no memory or store.
     */
    static final int MAX_TOOL_ROWS = 1000;
    /** The most detail (content, diffs, places) one row keeps: its event fits a frame whatever JSON makes of it. */
    static final long MAX_ROW_DETAIL = 1024 * 1024;
    /** The most detail the rows of one turn keep together: as much as a client keeps of one turn. */
    static final long MAX_TURN_DETAIL = 4L * 1024 * 1024;
    /** The most one turn's row updates send and store (each counts whole, and at least {@link #UPDATE_COST}). */
    static final long MAX_TURN_UPDATES = 64L * 1024 * 1024;
    private static final int UPDATE_COST = 1024;

    private static final System.Logger LOG = System.getLogger(TurnSink.class.getName());

    /** A tool row of this turn with a call id: where it is, and what of it went out. */
    private static final class ToolRow {
        final int index;
        final double startedAt;
        boolean ended;
        boolean withheld;

        ToolRow(int index, double startedAt) {
            this.index = index;
            this.startedAt = startedAt;
        }
    }

    private final SessionHost host;
    private final Turns turns;
    private final LiveSession s;
    private boolean done;
    private int rowsAdded;
    private final Map<String, ToolRow> tools = new LinkedHashMap<>();
    private int planRow = -1;
    private boolean planWithheld;
    /** The detail the turn's rows hold now, and what their events have carried so far. */
    private long detail;
    private long sent;
    /** Until the agent's {@code start} returned: an end meanwhile leaves the queue to {@link Turns}. */
    private boolean starting = true;

    TurnSink(SessionHost host, Turns turns, LiveSession s) {
        this.host = host;
        this.turns = turns;
        this.s = s;
    }

    @Override
    public void delta(String text) {
        // written to the viewers when the fan-out lock is released, not while it is held
        try (Bursts.Burst fanOut = Bursts.open()) {
            synchronized (s) {
                if (done || text.isEmpty()) {
                    return;
                }
                s.inflight.append(text);
                s.emit(new GatewayEvent.MessageDelta(text));
            }
        }
    }

    @Override
    public AutoCloseable burst() {
        return Bursts.open();
    }

    @Override
    public void reasoning(String text) {
        // written to the viewers when the fan-out lock is released, not while it is held
        try (Bursts.Burst fanOut = Bursts.open()) {
            synchronized (s) {
                if (done || text.isEmpty()) {
                    return;
                }
                s.inflightReasoning.append(text);
                s.emit(new GatewayEvent.ReasoningDelta(text));
            }
        }
    }

    @Override
    public void tool(String title, String context, String status, ToolCall call) {
        // written to the viewers when the fan-out lock is released, not while it is held
        try (Bursts.Burst fanOut = Bursts.open()) {
            synchronized (s) {
                if (done) {
                    return;
                }
                if (call == null) { // a row of its own, never updated: its id is the gateway's
                    if (admitRow()) {
                        TranscriptRow row = TranscriptRow.tool(title, context);
                        store(row);
                        s.rows.add(row);
                        s.emit(new GatewayEvent.ToolStart("t" + host.nextId(), title, context));
                    }
                    return;
                }
                ToolRow known = tools.get(call.id());
                TranscriptRow old = known == null ? null : s.rows.get(known.index);
                long others = detail - (old == null ? 0 : old.tool().chars());
                ToolCall kept = ToolCalls.within(call.bounded(), Math.min(MAX_ROW_DETAIL, Math.max(0, MAX_TURN_DETAIL - others)));
                TranscriptRow row = TranscriptRow.tool(title, context, status, kept);
                if (known == null) {
                    if (!admitRow()) {
                        return;
                    }
                    detail = others + kept.chars();
                    known = new ToolRow(s.rows.size(), host.now());
                    tools.put(call.id(), known);
                    s.rows.add(row);
                    sent += cost(row);
                    store(row);
                    s.emit(new GatewayEvent.ToolStart(call.id(), title, context, status, kept));
                    ended(known, row);
                    return;
                }
                if (row.equals(old)) {
                    return;
                }
                detail = others + kept.chars();
                s.rows.set(known.index, row);
                boolean ends = ToolCall.isFinished(status) && !known.ended;
                if (!ends && sent + cost(row) > MAX_TURN_UPDATES) {
                    known.withheld = true; // sent with the end of the turn
                    return;
                }
                sendUpdate(known, row);
            }
        }
    }

    // with the session's lock
    private void sendUpdate(ToolRow r, TranscriptRow row) {
        r.withheld = false;
        sent += cost(row);
        String storedId = s.storedId;
        host.store.write("storing a tool row's change", store -> store.updateTool(storedId, row));
        s.emit(new GatewayEvent.ToolUpdate(row.toolId(), row.toolName(), row.text(), row.status(), row.tool()));
        ended(r, row);
    }

    /** Hermes' {@code tool.complete}, once, when the call has ended: for clients of the Hermes line. */
    private void ended(ToolRow r, TranscriptRow row) {
        if (r.ended || !ToolCall.isFinished(row.status())) {
            return;
        }
        r.ended = true;
        String firstLine = row.tool().content().strip().lines().findFirst().orElse("");
        String summary = firstLine.isEmpty() ? row.status() : DisplayText.oneLine(firstLine, 200);
        s.emit(new GatewayEvent.ToolComplete(row.toolId(), row.toolName(), summary,
                Math.max(0, host.now() - r.startedAt)));
    }

    @Override
    public void plan(List<PlanEntry> entries) {
        // written to the viewers when the fan-out lock is released, not while it is held
        try (Bursts.Burst fanOut = Bursts.open()) {
            synchronized (s) {
                if (done) {
                    return;
                }
                TranscriptRow old = planRow < 0 ? null : s.rows.get(planRow);
                long others = detail - (old == null ? 0 : PlanEntry.chars(old.plan()));
                List<PlanEntry> kept = new ArrayList<>(entries);
                while (!kept.isEmpty() && PlanEntry.chars(kept) > MAX_TURN_DETAIL - others) {
                    kept.remove(kept.size() - 1); // the steps that fit the turn's room
                }
                TranscriptRow row = TranscriptRow.plan(kept);
                if (old == null) {
                    if (!admitRow()) {
                        return;
                    }
                    detail = others + PlanEntry.chars(kept);
                    planRow = s.rows.size();
                    s.rows.add(row);
                    sent += cost(row);
                    store(row);
                    s.emit(new GatewayEvent.PlanUpdate(kept));
                    return;
                }
                if (row.equals(old)) {
                    return;
                }
                detail = others + PlanEntry.chars(kept);
                s.rows.set(planRow, row);
                planWithheld = sent + cost(row) > MAX_TURN_UPDATES;
                if (!planWithheld) {
                    sendPlan(row);
                }
            }
        }
    }

    // with the session's lock
    private void sendPlan(TranscriptRow row) {
        planWithheld = false;
        sent += cost(row);
        String storedId = s.storedId;
        host.store.write("storing a plan's change", store -> store.updatePlan(storedId, row));
        s.emit(new GatewayEvent.PlanUpdate(row.plan()));
    }

    @Override
    public void note(String text) {
        // written to the viewers when the fan-out lock is released, not while it is held
        try (Bursts.Burst fanOut = Bursts.open()) {
            synchronized (s) {
                if (done || !admitRow()) {
                    return;
                }
                String shown = DisplayText.oneLine(text, 500);
                TranscriptRow row = TranscriptRow.system(shown, GatewayEvent.SystemNote.AGENT_UPDATE);
                store(row);
                s.rows.add(row);
                s.emit(new GatewayEvent.SystemNote(shown, GatewayEvent.SystemNote.AGENT_UPDATE));
            }
        }
    }

    // with the session's lock: whether the turn may add one more row
    private boolean admitRow() {
        if (rowsAdded == MAX_TOOL_ROWS) {
            return false;
        }
        if (++rowsAdded == MAX_TOOL_ROWS) {
            LOG.log(System.Logger.Level.WARNING, "a turn of session " + s.runtimeId + " reached " + MAX_TOOL_ROWS
                    + " tool calls; its further ones are not shown or stored");
        }
        return true;
    }

    private static long cost(TranscriptRow row) {
        long chars = row.toolName().length() + row.text().length() + (row.tool() == null ? 0 : row.tool().chars())
                + PlanEntry.chars(row.plan());
        return Math.max(UPDATE_COST, chars);
    }

    /**
     * A turn stopped or failed: a call of it still pending or running will never end, and every device would
     * show it running for good, so it ends as failed (in the store too).
     */
    // with the session's lock
    private void failUnfinishedTools() {
        for (ToolRow r : tools.values()) {
            TranscriptRow row = s.rows.get(r.index);
            if (!r.ended && !ToolCall.isFinished(row.status())) {
                TranscriptRow failed = TranscriptRow.tool(row.toolName(), row.text(), ToolCall.FAILED, row.tool());
                s.rows.set(r.index, failed);
                sendUpdate(r, failed);
            }
        }
    }

    // with the session's lock: what waited past the turn's update budget goes now, before its end
    private void sendWithheld() {
        for (ToolRow r : tools.values()) {
            if (r.withheld) {
                sendUpdate(r, s.rows.get(r.index));
            }
        }
        if (planWithheld) {
            sendPlan(s.rows.get(planRow));
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
            if (!"complete".equals(result.status())) {
                failUnfinishedTools();
            }
            sendWithheld();
            done = true;
            String text = s.inflight.toString();
            String reasoning = s.inflightReasoning.toString();
            TranscriptRow row = TranscriptRow.assistant(text.isEmpty() && "error".equals(result.status()) ? result.error()
                    : text, reasoning, result.status());
            s.rows.add(row);
            s.running = false;
            s.turn = null;
            turns.cancelAsks(s);
            // queued for the store before any viewer hears of the end: whatever a viewer does once it has (a read,
            // a kill of the gateway) comes after the end in the store's queue. Its events are the two just below.
            String storedId = s.storedId;
            long seq = s.log.lastSeq() + 2;
            double now = host.now();
            host.store.write("storing the end of a turn", store -> {
                store.append(storedId, row, null, now);
                store.setTurnOpen(storedId, false, seq);
            });
            s.emit(new GatewayEvent.MessageComplete(text, result.status(), reasoning, result.error(), result.usage()));
            host.emitInfo(s);
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
