package org.agentchannels.gateway.internal.acp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads UTF-8 lines of at most a given size; a longer line is skipped to its end and reported, never kept. */
final class LineReader {

    private final InputStream in;
    private final int limit;
    private final Runnable tooLong;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int end;

    /** @param tooLong told of each line over {@code limit} bytes, which is then skipped */
    LineReader(InputStream in, int limit, Runnable tooLong) {
        this.in = in;
        this.limit = limit;
        this.tooLong = tooLong;
    }

    /** Whether a whole further line is already read, so that {@link #next} returns it without waiting. */
    boolean hasWholeLine() {
        for (int i = position; i < end; i++) {
            if (buffer[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** The next line within the limit, without its end ({@code \n} or {@code \r\n}); null at the end. */
    String next() throws IOException {
        // the usual case, a whole line in the buffer, is decoded from it with no copy
        for (int i = position; i < end; i++) {
            if (buffer[i] == '\n') {
                int start = position;
                position = i + 1;
                int length = i > start && buffer[i - 1] == '\r' ? i - 1 - start : i - start;
                if (length <= limit) {
                    return new String(buffer, start, length, StandardCharsets.UTF_8);
                }
                tooLong.run();
                break;
            }
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean skipping = false;
        while (true) {
            if (position == end) {
                end = in.read(buffer);
                position = 0;
                if (end <= 0) {
                    end = 0;
                    if (skipping) {
                        tooLong.run();
                        return null;
                    }
                    return line.size() == 0 ? null : text(line);
                }
            }
            int newline = -1;
            for (int i = position; i < end; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int stop = newline < 0 ? end : newline;
            if (!skipping) {
                if (line.size() + (stop - position) > limit) {
                    skipping = true;
                    line = new ByteArrayOutputStream();
                } else {
                    line.write(buffer, position, stop - position);
                }
            }
            position = newline < 0 ? end : newline + 1;
            if (newline >= 0) {
                if (!skipping) {
                    return text(line);
                }
                tooLong.run();
                skipping = false;
            }
        }
    }

    private static String text(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
