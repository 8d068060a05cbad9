package org.agentchannels.gateway.internal.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.gateway.internal.ToolCalls;

/**
 * A session loaded in the gateway: its transcript, the turn in flight and the prompts queued behind it, the
 * clients attached, and its {@link EventLog}. Every field is guarded by the session's own monitor
 * ({@code synchronized (session)}), which also orders its events for all clients; nothing done under it
 * touches the disk.
 */
final class LiveSession {

    record Queued(String submissionId, String text, String senderDevice) {
    }

    record PendingAsk(InputRequest request, CompletableFuture<String> answer) {
    }

    final String runtimeId;
    final String storedId;
    /** The agent this session runs, chosen when it was created (and kept in the store for a resume). */
    final HostedAgent agent;
    final double startedAt;
    String title;
    final List<TranscriptRow> rows;
    /** Its viewers and their devices; changed only through {@link #addViewer} and {@link #removeViewer}. */
    private final Map<Client, String> viewers = new LinkedHashMap<>();
    /** The viewers as of the last change, for every event's sends; made again after a change. */
    private Client[] viewerSnapshot = new Client[0];
    private boolean viewersChanged;
    final EventLog log;
    /** Every submission id this session ran or queued: a resend is acknowledged, not run again. */
    final Set<String> submissions;
    boolean running;
    Agent.Turn turn;
    /** Completes when the running turn has ended (and its end is queued for the store). */
    CompletableFuture<Void> turnEnded = CompletableFuture.completedFuture(null);
    final StringBuilder inflight = new StringBuilder();
    final StringBuilder inflightReasoning = new StringBuilder();
    String inflightUser = "";
    final ArrayDeque<Queued> queue = new ArrayDeque<>();
    final Map<String, PendingAsk> asks = new LinkedHashMap<>();
    double lastActive;
    boolean closed;
    /** The agent is being started for this session ({@link Agent.SessionState}). */
    boolean agentStarting;
    /** What the agent needs to be signed in, while it does; else {@code null}. */
    SignIn signIn;
    /** The commands the session's agent offers, as it last said (kept in the store). */
    List<SlashCommand> commands = List.of();

    LiveSession(String runtimeId, String storedId, HostedAgent agent, String title, double startedAt,
            List<TranscriptRow> rows, long lastSeq, Set<String> submissions, FrameCodec codec) {
        this.runtimeId = runtimeId;
        this.storedId = storedId;
        this.agent = agent;
        this.title = title;
        this.startedAt = startedAt;
        this.rows = new ArrayList<>(rows);
        this.log = new EventLog(codec, lastSeq);
        this.submissions = new HashSet<>(submissions);
        this.lastActive = startedAt;
    }

    void emit(GatewayEvent event) {
        if (viewersChanged) {
            viewerSnapshot = viewers.keySet().toArray(new Client[0]);
            viewersChanged = false;
        }
        log.emit(runtimeId, event, viewerSnapshot);
    }

    void addViewer(Client client, String device) {
        viewers.put(client, device);
        viewersChanged = true;
    }

    void removeViewer(Client client) {
        if (viewers.remove(client) != null) {
            viewersChanged = true;
        }
    }

    boolean isViewedBy(Client client) {
        return viewers.containsKey(client);
    }

    /** As a viewer's model derives it: needs input, then needs sign-in, starting (a turn may wait on it), working. */
    SessionActivity activity() {
        if (!asks.isEmpty()) {
            return SessionActivity.NEEDS_INPUT;
        }
        if (signIn != null) {
            return SessionActivity.NEEDS_SIGN_IN;
        }
        if (agentStarting) {
            return SessionActivity.STARTING;
        }
        return running ? SessionActivity.WORKING : SessionActivity.IDLE;
    }

    /** The roster: one entry per named device with how many of its clients are attached, sorted by name. */
    List<Participant> participants() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String device : viewers.values()) {
            if (!device.isEmpty()) {
                counts.merge(device, 1, Integer::sum);
            }
        }
        List<Participant> out = new ArrayList<>();
        counts.forEach((device, count) -> out.add(new Participant(device, count)));
        return out;
    }

    String preview() {
        for (TranscriptRow row : rows) {
            if (TranscriptRow.USER.equals(row.role())) {
                return row.text().length() > 120 ? row.text().substring(0, 120) : row.text();
            }
        }
        return "";
    }

    SessionPresence.LiveSessionInfo info() {
        return new SessionPresence.LiveSessionInfo(runtimeId, storedId, title, activity().wireWord(), rows.size(),
                agent.label(), signIn);
    }

    /**
     * The most tool detail (content, diffs, places) a snapshot or a history carries, newest rows first: it goes
     * in one frame, and a client reads none over 8 MiB. One turn's rows hold no more than this; older rows past it
     * keep their title, status and places, their detail cut and marked so (the store keeps it whole).
     */
    static final long MAX_FRAME_DETAIL = TurnSink.MAX_TURN_DETAIL;

    /** The transcript as one frame carries it ({@link #MAX_FRAME_DETAIL}). */
    List<TranscriptRow> rowsInOneFrame() {
        long left = MAX_FRAME_DETAIL;
        List<TranscriptRow> out = rows;
        for (int i = rows.size() - 1; i >= 0; i--) {
            TranscriptRow row = rows.get(i);
            if (row.tool() == null) {
                continue;
            }
            if (row.tool().chars() > left) {
                if (out == rows) {
                    out = new ArrayList<>(rows);
                }
                row = TranscriptRow.tool(row.toolName(), row.text(), row.status(), ToolCalls.within(row.tool(), left));
                out.set(i, row);
            }
            left = Math.max(0, left - row.tool().chars());
        }
        return out;
    }

    /**
     * What an attach returns: the events after {@code since} when the log still has them all, else the whole
     * transcript with the turn in flight and the prompts waiting for an answer.
     */
    SessionSnapshot snapshot(long since) {
        boolean replay = log.canReplay(since);
        List<InputRequest> pending = new ArrayList<>();
        asks.values().forEach(a -> pending.add(a.request()));
        return new SessionSnapshot(runtimeId, storedId, title, agent.label(), startedAt, replay ? List.of() : rowsInOneFrame(),
                rows.size(),
                running, activity().wireWord(), running ? inflight.toString() : "", running ? inflightUser : "",
                log.lastSeq(), replay ? log.after(since) : null, participants(), replay ? List.of() : pending, commands,
                signIn);
    }
}
