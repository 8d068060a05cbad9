package org.agentchannels.gateway.internal.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.StreamedTextFrames;

/**
 * One session's events: numbered, the recent ones kept for replays (bounded by count and by size; a re-attach
 * from before the oldest kept gets a snapshot), and sent to every viewer. Its caller holds
 * the session's lock, so numbering, keeping and sending are one step and every viewer sees one order.
 */
final class EventLog {

    /** How many recent events are kept for replays; older ones need a snapshot. */
    static final int REPLAY_LOG_SIZE = 100_000;
    /**
     * How large (encoded, in chars) the kept events may be together: a few large turns would otherwise keep
     * hundreds of MB per session, and a replay must fit in one frame (8 MiB) of the attach's answer.
     */
    static final long REPLAY_LOG_CHARS = 4L * 1024 * 1024;

    /**
     * A kept event. A piece of streamed text (its text a string, which nothing changes) has its frame made only when
     * a replay asks for it; any other event keeps the frame it was sent as, so that a replay shows what was sent even
     * if something the event holds (a list, a JSON object) changes afterwards.
     */
    private record Kept(String sessionId, GatewayEvent event, long seq, int chars, Frame.Event sent) {
        Frame.Event frame() {
            return sent != null ? sent : GatewayEvents.frame(sessionId, event, seq);
        }
    }

    private final FrameCodec codec;
    private final ArrayDeque<Kept> recent = new ArrayDeque<>();
    private long keptChars;
    private long seq;

    /** @param seq the last number a previous run of this session gave out */
    EventLog(FrameCodec codec, long seq) {
        this.codec = codec;
        this.seq = seq;
    }

    long lastSeq() {
        return seq;
    }

    void emit(String sessionId, GatewayEvent event, Client[] viewers) {
        long number = ++seq;
        // streamed text, most of a turn's events, written without the frame's tree; anything else through it
        String text = switch (event) {
            case GatewayEvent.MessageDelta d -> StreamedTextFrames.write(event.type(), sessionId, number, d.text());
            case GatewayEvent.ReasoningDelta d -> StreamedTextFrames.write(event.type(), sessionId, number, d.text());
            default -> null;
        };
        Frame.Event sent = null;
        if (text == null) {
            sent = GatewayEvents.frame(sessionId, event, number);
            text = codec.encode(sent);
        }
        recent.addLast(new Kept(sessionId, event, number, text.length(), sent));
        keptChars += text.length();
        // the newest within both limits; an event larger than the whole budget is not kept (a snapshot serves it)
        while (!recent.isEmpty() && (recent.size() > REPLAY_LOG_SIZE || keptChars > REPLAY_LOG_CHARS)) {
            keptChars -= recent.removeFirst().chars();
        }
        SharedText shared = new SharedText(text); // encoded once for every viewer
        for (Client c : viewers) { // a snapshot: a send may close its client, and a close may detach it
            c.send(shared);
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
        for (Kept k : recent) {
            if (k.seq() > since) {
                out.add(k.frame());
            }
        }
        return out;
    }
}
