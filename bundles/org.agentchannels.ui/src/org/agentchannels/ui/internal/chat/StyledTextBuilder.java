package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.ui.internal.chat.TranscriptRenderer.Action;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Hotspot;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;

/** Accumulates the text of the transcript, the spans that style it and the hotspots that act on a click. */
final class StyledTextBuilder {

    private final StringBuilder text = new StringBuilder();
    private final List<Span> spans = new ArrayList<>();
    private final List<Hotspot> hotspots = new ArrayList<>();

    StyledTextBuilder text(String s) {
        text.append(s);
        return this;
    }

    StyledTextBuilder styled(String s, Style style) {
        int start = text.length();
        text.append(s);
        span(start, style);
        return this;
    }

    void span(int start, Style style) {
        if (text.length() > start) {
            spans.add(new Span(start, text.length() - start, style));
        }
    }

    /** The text from {@code start} to here acts as {@code action} when clicked. */
    void hotspot(int start, Action action, int diff) {
        if (text.length() > start) {
            hotspots.add(new Hotspot(start, text.length() - start, action, diff));
        }
    }

    int length() {
        return text.length();
    }

    void trimTrailingNewlines() {
        int trimmed = text.length();
        while (trimmed > 0 && text.charAt(trimmed - 1) == '\n') {
            trimmed--;
        }
        final int end = trimmed;
        text.setLength(end);
        spans.removeIf(s -> s.start() >= end);
        spans.replaceAll(s -> s.start() + s.length() > end ? new Span(s.start(), end - s.start(), s.style()) : s);
        hotspots.removeIf(h -> h.start() >= end);
        hotspots.replaceAll(h -> h.start() + h.length() > end ? new Hotspot(h.start(), end - h.start(), h.action(), h.diff()) : h);
    }

    Rendered build() {
        return new Rendered(text.toString(), List.copyOf(spans), List.copyOf(hotspots));
    }
}
