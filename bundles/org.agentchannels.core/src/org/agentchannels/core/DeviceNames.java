package org.agentchannels.core;

/**
 * The one rule for device names that travel on the wire ({@code device_name}, {@code sender_device},
 * {@code viewer_device}): trimmed, every run of whitespace (newlines included) collapsed to one space,
 * at most {@value #MAX_LENGTH} characters. Anything that is not a string becomes the empty string,
 * so a peer sending a number or an object can never inject a label.
 */
public final class DeviceNames {

    /** The longest name kept, in Unicode code points, as the Hermes gateway cuts it. */
    public static final int MAX_LENGTH = 80;

    private DeviceNames() {
    }

    /**
     * The device name a machine's host name gives when nobody configured one: without the {@code .local} that
     * macOS appends, sanitised.
     */
    public static String fromHostName(String hostName) {
        String host = hostName == null ? "" : hostName.strip();
        return sanitize(host.endsWith(".local") ? host.substring(0, host.length() - ".local".length()) : host);
    }

    /**
     * @param raw a value read from a frame or a configuration file; may be {@code null} or of any type
     * @return the sanitised name, never {@code null}; empty when nothing usable was given
     */
    public static String sanitize(Object raw) {
        if (!(raw instanceof String text)) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH * 2));
        int kept = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < text.length() && kept < MAX_LENGTH;) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (Character.getType(cp) == Character.CONTROL) {
                continue; // stray control characters would corrupt one-line labels
            }
            if (pendingSpace) {
                if (kept + 1 >= MAX_LENGTH) {
                    break; // a trailing space would be trimmed anyway
                }
                out.append(' ');
                kept++;
                pendingSpace = false;
            }
            out.appendCodePoint(cp);
            kept++;
        }
        return out.toString();
    }
}
