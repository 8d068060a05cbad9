package org.agentchannels.core.session;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.TranscriptRow;

/**
 * The answer and reasoning of the running turn as they stream in, within a budget: a gateway that streams without
 * end would otherwise fill this process's memory. Past {@code budget} chars of one turn (answer, reasoning and
 * its tool rows together) further text is dropped and the turn's row says it was cut. Not thread-safe: the
 * {@link SessionModel} that owns it guards it with its own lock.
 */
final class StreamedTurn {

    final StringBuilder text = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    private final int budget;
    private long rowChars;
    private boolean truncated;

    StreamedTurn(int budget) {
        this.budget = budget;
    }

    void clear() {
        text.setLength(0);
        reasoning.setLength(0);
        rowChars = 0;
        truncated = false;
    }

    /** Whether something of this turn was dropped. */
    boolean truncated() {
        return truncated;
    }

    /** Appends what fits of an answer delta; @return whether anything was kept */
    boolean appendText(String delta) {
        return append(text, delta);
    }

    boolean appendReasoning(String delta) {
        return append(reasoning, delta);
    }

    /** Counts a row of the turn (a tool row) against the budget; @return false when it is dropped */
    boolean admitRow(long chars) {
        if (chars > room()) {
            truncated = true;
            return false;
        }
        rowChars += chars;
        return true;
    }

    private long room() {
        return budget - text.length() - reasoning.length() - rowChars;
    }

    private boolean append(StringBuilder to, String delta) {
        long room = room();
        if (delta.length() <= room) {
            to.append(delta);
            return !delta.isEmpty();
        }
        truncated = true;
        String kept = prefix(delta, room);
        to.append(kept);
        return !kept.isEmpty();
    }

    /** The first {@code max} chars of {@code s}, never ending inside a surrogate pair. */
    private static String prefix(String s, long max) {
        if (max <= 0) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        int end = (int) max;
        return s.substring(0, Character.isHighSurrogate(s.charAt(end - 1)) ? end - 1 : end);
    }

    /**
     * The transcript row of the finished turn, and the stream cleared. The end's text is authoritative when it
     * has one (deltas may have been coalesced or dropped), within the same budget; a failed turn without text
     * shows its error.
     */
    TranscriptRow finish(GatewayEvent.MessageComplete complete) {
        String answer = complete.text().isEmpty() ? text.toString() : complete.text();
        String thought = complete.reasoning().isEmpty() ? reasoning.toString() : complete.reasoning();
        if (!"complete".equals(complete.status()) && !complete.error().isEmpty() && answer.isEmpty()) {
            answer = complete.error();
        }
        boolean cut = truncated || answer.length() + thought.length() > budget - rowChars;
        String keptAnswer = prefix(answer, budget - rowChars);
        String keptThought = prefix(thought, budget - rowChars - keptAnswer.length());
        clear();
        TranscriptRow row = TranscriptRow.assistant(keptAnswer, keptThought, complete.status());
        return cut ? row.truncatedTo(keptAnswer, keptThought) : row;
    }
}
