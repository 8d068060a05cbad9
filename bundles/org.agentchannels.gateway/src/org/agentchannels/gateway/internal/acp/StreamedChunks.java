package org.agentchannels.gateway.internal.acp;

import org.agentchannels.core.protocol.Json;

import com.google.gson.JsonObject;

/**
 * Joins an agent's answer or reasoning chunks that arrive together into one: an agent writing as fast as it
 * can hands the gateway hundreds of tiny {@code session/update} lines per read, and each would otherwise be
 * its own event, frame and send to every device. Only chunks already read are joined (the channel flushes
 * when it has no further whole line at hand), so a chunk that arrives alone is passed on at once, and order is
 * kept: anything else the agent says flushes the chunks before it. Used by the channel's reader thread only.
 */
final class StreamedChunks {

    /** The most text joined into one chunk. */
    static final int MAX_JOINED_CHARS = 64 * 1024;

    private final AcpChannel.Handler handler;
    private String sessionId;
    private String kind;
    private JsonObject first;
    private StringBuilder text;

    StreamedChunks(AcpChannel.Handler handler) {
        this.handler = handler;
    }

    /**
     * Takes a notification: a text chunk is held to be joined with the next ones; anything else flushes what
     * is held and is passed on.
     */
    void notification(String method, JsonObject params) {
        JsonObject update = Json.object(params, "update");
        String updateKind = Json.text(update, "sessionUpdate");
        JsonObject content = Json.object(update, "content");
        boolean chunk = "session/update".equals(method)
                && ("agent_message_chunk".equals(updateKind) || "agent_thought_chunk".equals(updateKind))
                && "text".equals(Json.text(content, "type")) && content.size() == 2 && update.size() == 2;
        if (!chunk) {
            flush();
            handler.notification(method, params);
            return;
        }
        String session = Json.text(params, "sessionId");
        String piece = Json.text(content, "text");
        if (first != null && (!session.equals(sessionId) || !updateKind.equals(kind)
                || text.length() + piece.length() > MAX_JOINED_CHARS)) {
            flush();
        }
        if (first == null) {
            sessionId = session;
            kind = updateKind;
            first = params;
            text = new StringBuilder(piece);
        } else {
            text.append(piece);
        }
    }

    /** Passes on what is held, as one chunk. */
    void flush() {
        if (first == null) {
            return;
        }
        JsonObject params = first;
        first = null;
        if (text.length() != Json.text(Json.object(Json.object(params, "update"), "content"), "text").length()) {
            Json.object(Json.object(params, "update"), "content").addProperty("text", text.toString());
        }
        text = null;
        try {
            handler.notification("session/update", params);
        } catch (RuntimeException e) {
            // as for a line delivered on its own: skipped, not fatal, and the lines after it still count
            handler.malformed("a chunk that could not be used was skipped (" + e.getClass().getSimpleName() + ")");
        }
    }
}
