package org.agentchannels.gateway.internal.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;

/**
 * One session's events: numbered, the recent ones kept for replays, and sent to every viewer. Its caller holds
 * the session's lock, so numbering, keeping and sending are one step and every viewer sees one order.
 */
final class EventLog {

    /** How many recent events are kept for replays; older ones need a snapshot. */
    static final int REPLAY_LOG_SIZE = 100_000;

    private final FrameCodec codec;
    private final ArrayDeque<Frame.Event> recent = new ArrayDeque<>();
    private long seq;

    /** @param seq the last number a previous run of this session gave out */
    EventLog(FrameCodec codec, long seq) {
        this.codec = codec;
        this.seq = seq;
    }

    long lastSeq() {
        return seq;
    }

    void emit(String sessionId, GatewayEvent event, Collection<Client> viewers) {
        Frame.Event frame = GatewayEvents.frame(sessionId, event, ++seq);
        recent.addLast(frame);
        while (recent.size() > REPLAY_LOG_SIZE) {
            recent.removeFirst();
        }
        String text = codec.encode(frame);
        for (Client c : viewers) {
            c.send(text);
        }
    }

    /** A replay is possible when every event after {@code since} is still kept. */
    boolean canReplay(long since) {
        if (since < 0 || since > seq) {
            return false;
        }
        return since == seq || (!recent.isEmpty() && recent.peekFirst().seq() <= since + 1);
    }

    /** The events numbered after {@code since}, oldest first. */
    List<Frame.Event> after(long since) {
        List<Frame.Event> out = new ArrayList<>();
        for (Frame.Event e : recent) {
            if (e.seq() > since) {
                out.add(e);
            }
        }
        return out;
    }
}
