package org.agentchannels.core.session;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.TranscriptRow;

/**
 * The answer and reasoning of the running turn as they stream in. Not thread-safe: the {@link SessionModel}
 * that owns it guards it with its own lock.
 */
final class StreamedTurn {

    final StringBuilder text = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();

    void clear() {
        text.setLength(0);
        reasoning.setLength(0);
    }

    /**
     * The transcript row of the finished turn, and the stream cleared. The end's text is authoritative when it
     * has one (deltas may have been coalesced or dropped); a failed turn without text shows its error.
     */
    TranscriptRow finish(GatewayEvent.MessageComplete complete) {
        String answer = complete.text().isEmpty() ? text.toString() : complete.text();
        String thought = complete.reasoning().isEmpty() ? reasoning.toString() : complete.reasoning();
        if (!"complete".equals(complete.status()) && !complete.error().isEmpty() && answer.isEmpty()) {
            answer = complete.error();
        }
        clear();
        return TranscriptRow.assistant(answer, thought, complete.status());
    }
}
