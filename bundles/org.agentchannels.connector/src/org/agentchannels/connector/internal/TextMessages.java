package org.agentchannels.connector.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text messages put together from the payloads of their WebSocket frames and decoded from UTF-8 at once. Jetty's own
 * text delivery decodes every byte through a validating state machine, which took 40% of a client's reading thread
 * while a turn streamed; a whole message's bytes go through the JDK's decoder (vectorised for the ASCII that JSON
 * mostly is) here, and are checked strictly only when that decoder had to replace something. Refuses, as RFC 6455
 * says, a message that is not valid UTF-8 (1007) or longer than the limit (1009). One connection's: not thread-safe.
 */
final class TextMessages {

    /** Why a message is refused: the close code and reason to send. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int closeCode;

        Refused(int closeCode, String reason) {
            super(reason, null, false, false);
            this.closeCode = closeCode;
        }
    }

    static final int CLOSE_BAD_PAYLOAD = 1007;
    static final int CLOSE_TOO_LARGE = 1009;

    /** How much room is kept between messages. */
    private static final int KEPT_BYTES = 64 * 1024;

    private final long maxBytes;
    /** The bytes of the message under way, or of a frame that could not be decoded where it lies. */
    private byte[] bytes = new byte[4096];
    private int length;

    /** @param maxBytes the longest message taken, in UTF-8 bytes */
    TextMessages(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes one text or continuation frame's payload (read here, not kept).
     *
     * @param fin whether it ends its message
     * @return the whole message when {@code fin}, else null
     */
    String accept(ByteBuffer payload, boolean fin) throws Refused {
        int n = payload == null ? 0 : payload.remaining();
        if (length + (long) n > maxBytes) {
            length = 0;
            throw new Refused(CLOSE_TOO_LARGE, "text message of more than " + maxBytes + " bytes");
        }
        if (fin && length == 0 && n > 0 && payload.hasArray()) {
            // a message of one frame, decoded where it lies
            return decode(payload.array(), payload.arrayOffset() + payload.position(), n);
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(length + (long) n, 2L * bytes.length)));
        }
        if (n > 0) {
            payload.duplicate().get(bytes, length, n);
            length += n;
        }
        if (!fin) {
            return null;
        }
        int whole = length;
        length = 0;
        String text = decode(bytes, 0, whole);
        if (bytes.length > KEPT_BYTES) {
            bytes = new byte[KEPT_BYTES]; // a rare long message does not keep its megabytes
        }
        return text;
    }

    private static String decode(byte[] source, int offset, int n) throws Refused {
        String text = new String(source, offset, n, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            // a replacement character: sent as such (valid), or put in for bytes that are not UTF-8 (refused)
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(source, offset, n));
            } catch (CharacterCodingException e) {
                throw new Refused(CLOSE_BAD_PAYLOAD, "text message that is not UTF-8");
            }
        }
        return text;
    }
}
