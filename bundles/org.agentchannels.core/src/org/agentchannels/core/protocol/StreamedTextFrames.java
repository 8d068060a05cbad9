package org.agentchannels.core.protocol;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Reads, without building a JSON tree, the event frames most of a turn is made of: a piece of streamed text
 * ({@code message.delta}, {@code reasoning.delta}) exactly as {@link FrameCodec#encode} writes it,
 * <pre>{"jsonrpc":"2.0","method":"event","params":{"type":T,"session_id":S,"seq":N,"payload":{"text":X}}}</pre>
 * Parsing such a frame into a tree costs a client more than the transport does; this scan costs a fraction of
 * it. Anything else (another shape, order or spacing, an escape or character the strict reader would refuse) is
 * not read here, and the caller reads it the general way, so the result is always what that way gives.
 */
public final class StreamedTextFrames {

    private static final String PREFIX = "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":\"";
    private static final String SESSION = "\",\"session_id\":\"";
    private static final String SEQ = "\",\"seq\":";
    private static final String PAYLOAD = ",\"payload\":{\"text\":\"";
    private static final String END = "\"}}}";
    /** More digits than a sequence number has; such a frame is read the general way. */
    private static final int MAX_SEQ_DIGITS = 15;

    private StreamedTextFrames() {
    }

    /**
     * Writes a piece of streamed text as the frame above, the very text {@link FrameCodec#encode} writes for it (the
     * same order and escapes), without building the frame's tree: encoding it through the tree was most of what the
     * gateway's thread did for each delta of an agent writing as fast as it can.
     *
     * @return null when the frame does not have that shape (no session, no number, a type or session id that would
     *         need escapes): the caller encodes it the general way
     */
    public static String write(String type, String sessionId, long seq, String text) {
        if (sessionId.isEmpty() || seq < 0 || !isPlain(type) || !isPlain(sessionId)) {
            return null;
        }
        StringBuilder out = new StringBuilder(PREFIX.length() + type.length() + SESSION.length() + sessionId.length()
                + SEQ.length() + 20 + PAYLOAD.length() + text.length() + 16 + END.length());
        out.append(PREFIX).append(type).append(SESSION).append(sessionId).append(SEQ).append(seq).append(PAYLOAD);
        JsonStringScan.write(text, out);
        return out.append(END).toString();
    }

    /** Whether Gson writes {@code s} as it is: nothing it escapes. */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    /** The frame, when {@code s} has exactly the shape above; else {@code null}. */
    public static Frame.Event read(String s) {
        if (!s.startsWith(PREFIX)) {
            return null;
        }
        int at = PREFIX.length();
        int typeEnd = JsonStringScan.plainEnd(s, at);
        if (typeEnd < 0 || !s.startsWith(SESSION, typeEnd)) {
            return null;
        }
        String type = s.substring(at, typeEnd);
        at = typeEnd + SESSION.length();
        int sessionEnd = JsonStringScan.plainEnd(s, at);
        if (sessionEnd < 0 || !s.startsWith(SEQ, sessionEnd)) {
            return null;
        }
        String sessionId = s.substring(at, sessionEnd);
        at = sessionEnd + SEQ.length();
        long seq = 0;
        int digits = 0;
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9' && digits <= MAX_SEQ_DIGITS) {
            seq = seq * 10 + (s.charAt(at) - '0');
            at++;
            digits++;
        }
        if (digits == 0 || digits > MAX_SEQ_DIGITS || (digits > 1 && s.charAt(at - digits) == '0')
                || !s.startsWith(PAYLOAD, at)) {
            return null;
        }
        at += PAYLOAD.length();
        StringBuilder text = new StringBuilder(Math.max(16, s.length() - at - END.length()));
        at = JsonStringScan.read(s, at, text);
        if (at < 0) {
            return null;
        }
        if (at + END.length() != s.length() || !s.startsWith(END, at)) {
            return null;
        }
        JsonObject payload = new JsonObject();
        payload.addProperty("text", text.toString());
        JsonObject params = new JsonObject();
        params.addProperty("type", type);
        params.addProperty("session_id", sessionId);
        params.add("seq", new JsonPrimitive(seq));
        params.add("payload", payload);
        return new Frame.Event(type, sessionId, payload, seq, params);
    }
}
