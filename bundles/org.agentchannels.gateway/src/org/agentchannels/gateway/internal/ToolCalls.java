package org.agentchannels.gateway.internal;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.protocol.ToolCall;

/** Tool call detail kept within a number of characters, as {@link ToolCall#chars()} counts them. */
public final class ToolCalls {

    private ToolCalls() {
    }

    /**
     * {@code call} within {@code maxChars}: unchanged when it fits, else its places kept while they fit, its
     * content cut, then as many diffs as fit (the last one's texts cut), and marked truncated.
     */
    public static ToolCall within(ToolCall call, long maxChars) {
        if (call.chars() <= maxChars) {
            return call;
        }
        long room = Math.max(0, maxChars - call.id().length() - call.kind().length());
        List<ToolCall.Location> locations = new ArrayList<>();
        for (ToolCall.Location l : call.locations()) {
            long cost = l.path().length() + 8L;
            if (cost > room) {
                break;
            }
            locations.add(l);
            room -= cost;
        }
        String content = prefix(call.content(), room);
        room -= content.length();
        List<ToolCall.Diff> diffs = new ArrayList<>();
        for (ToolCall.Diff d : call.diffs()) {
            long cost = d.path().length() + d.oldText().length() + d.newText().length();
            if (cost <= room) {
                diffs.add(d);
                room -= cost;
                continue;
            }
            long texts = room - d.path().length();
            if (texts > 0) { // the part that fits, half of it for each side
                String oldText = prefix(d.oldText(), texts / 2);
                diffs.add(new ToolCall.Diff(d.path(), oldText, prefix(d.newText(), texts - oldText.length())));
            }
            break;
        }
        return new ToolCall(call.id(), call.kind(), content, diffs, locations, true);
    }

    /** The first {@code max} chars of {@code s}, never ending inside a surrogate pair. */
    public static String prefix(String s, long max) {
        if (s.length() <= max) {
            return s;
        }
        int end = (int) Math.max(0, max);
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
