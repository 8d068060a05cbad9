package org.agentchannels.core;

/**
 * The one rule for device names that travel on the wire ({@code device_name}, {@code sender_device},
 * {@code viewer_device}) or in presence records: {@link DisplayText}'s (no control or format characters, every
 * run of whitespace one space, trimmed), at most {@value #MAX_LENGTH} code points. Anything that is not a string
 * becomes the empty string, so a peer sending a number or an object can never inject a label.
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
     * @return the sanitised name ({@link DisplayText#oneLine}), never {@code null}; empty when nothing usable was given
     */
    public static String sanitize(Object raw) {
        return DisplayText.oneLine(raw, MAX_LENGTH);
    }
}
