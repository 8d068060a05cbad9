package org.agentchannels.gateway.internal.acp;

import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.JsonStringScan;

import com.google.gson.JsonObject;

/**
 * Joins an agent's answer or reasoning chunks that arrive together into one: an agent writing as fast as it
 * can hands the gateway hundreds of tiny {@code session/update} lines per read, and each would otherwise be
 * its own event, frame and send to every device. Only chunks already read are joined (the channel flushes
 * when it has no further whole line at hand), so a chunk that arrives alone is passed on at once, and order is
 * kept: anything else the agent says flushes the chunks before it. A chunk line written the way agents write
 * them is read without a JSON tree ({@link #line}). Used by the channel's reader thread only.
 */
final class StreamedChunks {

    /** The most text joined into one chunk. */
    static final int MAX_JOINED_CHARS = 64 * 1024;

    private static final String PREFIX = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"";
    private static final String UPDATE = "\",\"update\":{\"sessionUpdate\":\"";
    private static final String CONTENT = "\",\"content\":{\"type\":\"text\",\"text\":\"";
    private static final String END = "\"}}}}";
    private static final String MESSAGE = "agent_message_chunk";
    private static final String THOUGHT = "agent_thought_chunk";

    private final AcpChannel.Handler handler;
    private String sessionId;
    private String kind;
    private StringBuilder text;

    StreamedChunks(AcpChannel.Handler handler) {
        this.handler = handler;
    }

    /**
     * Takes a line that is exactly a text chunk as agents write it,
     * <pre>{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":S,"update":{"sessionUpdate":K,"content":{"type":"text","text":X}}}}</pre>
     * read without a tree (a tree a line was most of what the gateway did for each of an agent's chunks).
     *
     * @return false for any other line (another shape, order or spacing, something the strict reader would refuse),
     *         which the caller reads the general way and hands to {@link #notification}
     */
    boolean line(String line) {
        if (!line.startsWith(PREFIX)) {
            return false;
        }
        int at = PREFIX.length();
        int sessionEnd = JsonStringScan.plainEnd(line, at);
        if (sessionEnd < 0 || !line.startsWith(UPDATE, sessionEnd)) {
            return false;
        }
        int kindAt = sessionEnd + UPDATE.length();
        String updateKind = line.startsWith(MESSAGE, kindAt) ? MESSAGE : line.startsWith(THOUGHT, kindAt) ? THOUGHT : null;
        if (updateKind == null || !line.startsWith(CONTENT, kindAt + updateKind.length())) {
            return false;
        }
        at = kindAt + updateKind.length() + CONTENT.length();
        // the next piece of what is held is read straight onto it (its raw length bounds what it adds)
        boolean continues = text != null && updateKind.equals(kind) && sessionEnd - PREFIX.length() == sessionId.length()
                && line.startsWith(sessionId, PREFIX.length()) && text.length() + (line.length() - at) <= MAX_JOINED_CHARS;
        StringBuilder into = continues ? text : new StringBuilder(Math.max(16, line.length() - at - END.length()));
        int mark = into.length();
        int end = JsonStringScan.read(line, at, into);
        if (end < 0 || end + END.length() != line.length() || !line.startsWith(END, end)) {
            into.setLength(mark); // nothing of a line read the general way stays
            return false;
        }
        if (!continues) {
            chunk(line.substring(PREFIX.length(), sessionEnd), updateKind, into);
        }
        return true;
    }

    /**
     * Takes a notification: a text chunk is held to be joined with the next ones; anything else flushes what
     * is held and is passed on.
     */
    void notification(String method, JsonObject params) {
        JsonObject update = Json.object(params, "update");
        String updateKind = Json.text(update, "sessionUpdate");
        JsonObject content = Json.object(update, "content");
        boolean chunk = "session/update".equals(method) && (MESSAGE.equals(updateKind) || THOUGHT.equals(updateKind))
                && "text".equals(Json.text(content, "type")) && content.size() == 2 && update.size() == 2
                && params.size() == 2 && params.has("sessionId");
        if (!chunk) {
            flush();
            handler.notification(method, params);
            return;
        }
        chunk(Json.text(params, "sessionId"), updateKind, new StringBuilder(Json.text(content, "text")));
    }

    private void chunk(String session, String updateKind, CharSequence piece) {
        if (text != null && (!session.equals(sessionId) || !updateKind.equals(kind)
                || text.length() + piece.length() > MAX_JOINED_CHARS)) {
            flush();
        }
        if (text == null) {
            sessionId = session;
            kind = updateKind;
            text = piece instanceof StringBuilder b ? b : new StringBuilder(piece);
        } else {
            text.append(piece);
        }
    }

    /** Passes on what is held, as one chunk. */
    void flush() {
        if (text == null) {
            return;
        }
        JsonObject content = new JsonObject();
        content.addProperty("type", "text");
        content.addProperty("text", text.toString());
        JsonObject update = new JsonObject();
        update.addProperty("sessionUpdate", kind);
        update.add("content", content);
        JsonObject params = new JsonObject();
        params.addProperty("sessionId", sessionId);
        params.add("update", update);
        text = null;
        try {
            handler.notification("session/update", params);
        } catch (RuntimeException e) {
            // as for a line delivered on its own: skipped, not fatal, and the lines after it still count
            handler.malformed("a chunk that could not be used was skipped (" + e.getClass().getSimpleName() + ")");
        }
    }
}
