package org.agentchannels.connector.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Messages put together from frames' bytes: where they lie in the buffer, the limit, and after a refusal. */
class TextMessagesTest {

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    @Test
    void readsFramesFromHeapSlicesAndDirectBuffers() throws Exception {
        TextMessages texts = new TextMessages(1024);
        ByteBuffer slice = ByteBuffer.wrap("..{\"a\":1}..".getBytes(StandardCharsets.UTF_8), 2, 7).slice();
        assertEquals("{\"a\":1}", texts.accept(slice, true));
        assertEquals("\u00e9t\u00e9", texts.accept(direct("\u00e9t\u00e9"), true));
        assertNull(texts.accept(direct("first "), false));
        assertEquals("first second", texts.accept(ByteBuffer.wrap("second".getBytes(StandardCharsets.UTF_8)), true));
        assertEquals("", texts.accept(ByteBuffer.allocate(0), true));
    }

    @Test
    void aMessageOverTheLimitIsRefusedWith1009AndTheNextStartsAfresh() throws Exception {
        TextMessages texts = new TextMessages(10);
        assertNull(texts.accept(direct("123456"), false));
        TextMessages.Refused refused = assertThrows(TextMessages.Refused.class, () -> texts.accept(direct("78901"), true));
        assertEquals(TextMessages.CLOSE_TOO_LARGE, refused.closeCode);
        assertEquals("0123456789", texts.accept(direct("0123456789"), true));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWith1007() {
        TextMessages texts = new TextMessages(1024);
        TextMessages.Refused refused = assertThrows(TextMessages.Refused.class,
                () -> texts.accept(ByteBuffer.wrap(new byte[] { 'a', (byte) 0xFF, 'b' }), true));
        assertEquals(TextMessages.CLOSE_BAD_PAYLOAD, refused.closeCode);
    }
}
