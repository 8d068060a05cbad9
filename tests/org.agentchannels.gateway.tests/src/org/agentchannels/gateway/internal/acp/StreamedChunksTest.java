package org.agentchannels.gateway.internal.acp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Chunk lines read without a tree are joined and passed on exactly as the same lines read as JSON trees are: over
 * chunks of two sessions and both kinds, escapes, text outside ASCII, chunks in another key order or with more
 * fields, lines cut short, other notifications between them, and joins that reach the size limit.
 */
class StreamedChunksTest {

    /** What a handler is told, as text. */
    private static final class Told implements AcpChannel.Handler {
        final List<String> said = new ArrayList<>();

        @Override
        public void notification(String method, JsonObject params) {
            said.add(method + " " + params);
        }

        @Override
        public void request(JsonElement id, String method, JsonObject params) {
            said.add("request " + method);
        }

        @Override
        public void malformed(String problem) {
            said.add("malformed");
        }

        @Override
        public void closed() {
        }
    }

    private static String chunk(String session, String kind, String escapedText) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + session
                + "\",\"update\":{\"sessionUpdate\":\"" + kind + "\",\"content\":{\"type\":\"text\",\"text\":\"" + escapedText
                + "\"}}}}";
    }

    /** The channel's way: the fast read first, else the tree. */
    private static void fed(StreamedChunks chunks, Told told, String line) {
        if (!chunks.line(line)) {
            treed(chunks, told, line);
        }
    }

    /** Every line as a tree, as before the fast read. */
    private static void treed(StreamedChunks chunks, Told told, String line) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(line);
        } catch (RuntimeException e) {
            told.malformed("not JSON");
            return;
        }
        if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("method")) {
            told.malformed("not a notification");
            return;
        }
        JsonObject message = parsed.getAsJsonObject();
        chunks.notification(message.get("method").getAsString(), message.getAsJsonObject("params"));
    }

    @Test
    void linesReadWithoutATreeAreJoinedAsTheirTreesAre() {
        Random random = new Random(13);
        String[] texts = { "word ", "\\u65e5\\u672c ", "\\\"quoted\\\" ", "tab\\tnew\\nline ", "\u00e9t\u00e9 ", "\\ud83d\\ude00",
                "\\/", "" };
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String session = random.nextInt(8) == 0 ? "s2" : "s1";
            String kind = random.nextInt(5) == 0 ? "agent_thought_chunk" : "agent_message_chunk";
            String text = texts[random.nextInt(texts.length)];
            switch (random.nextInt(14)) {
                case 0 -> lines.add("{\"method\":\"session/update\",\"jsonrpc\":\"2.0\",\"params\":{\"sessionId\":\"" + session
                        + "\",\"update\":{\"sessionUpdate\":\"" + kind + "\",\"content\":{\"type\":\"text\",\"text\":\"" + text
                        + "\"}}}}"); // another order
                case 1 -> lines.add(chunk(session, kind, text).replace("\"params\":{", "\"params\":{\"_meta\":{},")); // more
                case 2 -> lines.add(chunk(session, kind, text).substring(0, 60)); // cut short
                case 3 -> lines.add("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + session
                        + "\",\"update\":{\"sessionUpdate\":\"plan\",\"entries\":[]}}}");
                case 4 -> lines.add(chunk(session, kind, "x".repeat(random.nextInt(40_000)))); // joins reach the limit
                case 5 -> lines.add(chunk(session, kind, "bad \\q escape"));
                case 6 -> lines.add(chunk(session, kind, "control \u0001 char"));
                default -> lines.add(chunk(session, kind, text));
            }
        }
        Told fast = new Told();
        StreamedChunks fastChunks = new StreamedChunks(fast);
        Told slow = new Told();
        StreamedChunks slowChunks = new StreamedChunks(slow);
        int readFast = 0;
        for (String line : lines) {
            StreamedChunks probe = new StreamedChunks(new Told());
            readFast += probe.line(line) ? 1 : 0;
            fed(fastChunks, fast, line);
            treed(slowChunks, slow, line);
            if (line.hashCode() % 7 == 0) { // the channel flushes when no further line is at hand
                fastChunks.flush();
                slowChunks.flush();
            }
        }
        fastChunks.flush();
        slowChunks.flush();
        assertEquals(slow.said, fast.said);
        assertTrue(readFast > 1500 && readFast < lines.size(), "both ways were taken: " + readFast + " of " + lines.size());
        assertTrue(fast.said.size() > 200, "many joins and other notifications: " + fast.said.size());
    }
}
