package org.agentchannels.gateway.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;

/**
 * A session loaded in the gateway: its transcript, the turn in flight and the prompts queued behind it, the
 * clients attached, and the numbered log of its recent events for replays. Every field is guarded by the
 * session's own monitor ({@code synchronized (session)}), which also orders its events for all clients.
 */
final class LiveSession {

    /** How many recent events are kept for replays; older ones need a snapshot. */
    static final int REPLAY_LOG_SIZE = 100_000;

    record Queued(String submissionId, String text, String senderDevice) {
    }

    record PendingAsk(InputRequest request, CompletableFuture<String> answer) {
    }

    final String runtimeId;
    final String storedId;
    final double startedAt;
    String title;
    final List<TranscriptRow> rows;
    final Map<Client, String> viewers = new LinkedHashMap<>();
    final ArrayDeque<Frame.Event> log = new ArrayDeque<>();
    long seq;
    boolean running;
    Agent.Turn turn;
    final StringBuilder inflight = new StringBuilder();
    final StringBuilder inflightReasoning = new StringBuilder();
    String inflightUser = "";
    final ArrayDeque<Queued> queue = new ArrayDeque<>();
    final Map<String, PendingAsk> asks = new LinkedHashMap<>();
    double lastActive;
    boolean closed;

    LiveSession(String runtimeId, String storedId, String title, double startedAt, List<TranscriptRow> rows, long seq) {
        this.runtimeId = runtimeId;
        this.storedId = storedId;
        this.title = title;
        this.startedAt = startedAt;
        this.rows = new ArrayList<>(rows);
        this.seq = seq;
        this.lastActive = startedAt;
    }

    /** {@code waiting} (a person must answer), {@code working} or {@code idle}, as Hermes words it. */
    String status() {
        if (!asks.isEmpty()) {
            return "waiting";
        }
        return running ? "working" : "idle";
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
}
