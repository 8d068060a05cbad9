package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.StreamedTextFrames;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

/**
 * The frames of streamed text read without a tree: exactly those the codec writes, read to the very frame the
 * general reading gives; every other text (another order, spacing, escapes the strict reader refuses, trailing
 * data) left to the general reading, which then decides.
 */
class StreamedTextFramesTest {

    private final FrameCodec codec = new FrameCodec();

    /** What the general reading makes of {@code text}: a tree, classified. */
    private Frame general(String text) {
        return codec.classify(JsonParser.parseString(text).getAsJsonObject());
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(8)) {
                case 0 -> s.append((char) random.nextInt(0x20)); // control characters, escaped by the writer
                case 1 -> s.append("\"\\/");
                case 2 -> s.append("\u2028\u2029\u00e9\u6f22");
                case 3 -> s.append("\ud83d\ude00"); // a pair of surrogates
                case 4 -> s.append(random.nextBoolean() ? '\ud800' : '\udc00'); // a lone one
                default -> s.append((char) ('a' + random.nextInt(26))).append(' ');
            }
        }
        return s.toString();
    }

    @Test
    void theDeltasTheCodecWritesAreReadToTheFrameTheGeneralReadingGives() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            String text = randomText(random);
            GatewayEvent event = random.nextBoolean() ? new GatewayEvent.MessageDelta(text) : new GatewayEvent.ReasoningDelta(text);
            long seq = random.nextInt(3) == 0 ? i : Math.abs(random.nextLong() % 1_000_000_000_000L);
            String frame = codec.encode(GatewayEvents.frame("s-" + random.nextInt(1000), event, seq));
            Frame.Event fast = StreamedTextFrames.read(frame);
            assertNotNull(fast, frame);
            assertEquals(general(frame), fast, frame);
            assertEquals(fast, codec.decode(frame));
            assertEquals(frame, codec.encode(fast), "written again, the same text");
        }
    }

    /** Written without a tree, a piece of streamed text is the very text the codec writes for its frame. */
    @Test
    void theWriterWritesWhatTheCodecWrites() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            String text = randomText(random);
            GatewayEvent event = random.nextBoolean() ? new GatewayEvent.MessageDelta(text) : new GatewayEvent.ReasoningDelta(text);
            long seq = random.nextInt(3) == 0 ? i : Math.abs(random.nextLong() % 1_000_000_000_000L);
            String session = "s-" + random.nextInt(1000);
            assertEquals(codec.encode(GatewayEvents.frame(session, event, seq)),
                    StreamedTextFrames.write(event.type(), session, seq, text), text);
        }
        // what has not that shape is left to the codec
        assertNull(StreamedTextFrames.write("message.delta", "", 1, "x"), "no session");
        assertNull(StreamedTextFrames.write("message.delta", "s1", -1, "x"), "no number");
        assertNull(StreamedTextFrames.write("message.delta", "s\"1", 1, "x"), "a session id with a quote");
        assertNull(StreamedTextFrames.write("message\n", "s1", 1, "x"), "a type with a control character");
    }

    @Test
    void everyOtherTextIsLeftToTheGeneralReadingWhichDecides() {
        String good = codec.encode(GatewayEvents.frame("s1", new GatewayEvent.MessageDelta("hi \"there\"\n"), 7));
        assertNotNull(StreamedTextFrames.read(good));
        List<String> others = new ArrayList<>(List.of(
                good + "\n", " " + good, good + "x", good.replace("\"seq\":7", "\"seq\":07"),
                good.replace("\"seq\":7", "\"seq\":-7"), good.replace("\"seq\":7", "\"seq\":7.0"),
                good.replace("\"seq\":7", "\"seq\":12345678901234567890"),
                good.replace("{\"text\":", "{\"more\":1,\"text\":"), good.replace("\"}}}", "\",\"x\":1}}}"),
                good.replace("\\n", "\n"), good.replace("\\n", "\\q"), good.replace("\\n", "\\u00g1"),
                good.replace("\\n", "\\u0"), good.replace("\"type\":\"message.delta\"", "\"type\":\"message\\u002edelta\""),
                good.replace("\"session_id\":\"s1\"", "\"session_id\":\"s\\\"1\""),
                good.replace("\"jsonrpc\":\"2.0\",", ""), good.replace("}}}", "}}"), good.substring(0, good.length() - 5),
                good.replace(",\"payload\"", " ,\"payload\""), "{}", ""));
        for (String other : others) {
            assertNull(StreamedTextFrames.read(other), other);
            Frame read = codec.decode(other);
            Frame expected;
            try {
                String strict = other.strip();
                expected = strict.isEmpty() ? read : general(strict);
            } catch (RuntimeException e) {
                expected = read; // not JSON: the general reading says so (a Malformed), as before
            }
            if (!(read instanceof Frame.Malformed)) {
                assertEquals(expected, read, other);
            }
        }
        assertEquals(Frame.Malformed.class, codec.decode(good.replace("\\n", "\n")).getClass(),
                "a raw control character in a string is refused, as the strict reader refuses it");
        assertEquals(Frame.Malformed.class, codec.decode(good + "x").getClass(), "trailing data");
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeAnyReading() {
        FrameCodec small = new FrameCodec(64, 8);
        String frame = small.encode(GatewayEvents.frame("s1", new GatewayEvent.MessageDelta("x".repeat(100)), 1));
        assertEquals(Frame.Malformed.class, small.decode(frame).getClass());
    }
}
