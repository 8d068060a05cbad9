package org.agentchannels.gateway.internal.session;

import java.nio.charset.StandardCharsets;

/**
 * The text of one frame for every viewer of a session: encoded to UTF-8 once, however many viewers it goes to
 * (a fan-out to two hundred clients otherwise encodes, and measures, the same text two hundred times). Its bytes
 * are shared and must never be written to.
 */
public final class SharedText {

    private final String text;
    /** Made on first use; two threads making it at once make equal arrays, either of which serves. */
    private volatile byte[] utf8;

    public SharedText(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The UTF-8 bytes of the text; shared, read only. */
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }
}
