package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.ui.internal.chat.TranscriptRenderer.Action;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Hotspot;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;

/**
 * Accumulates the text of the transcript, the spans that style it and the hotspots that act on a click. One
 * builder renders one row (or one piece of a streaming answer), and makes at most {@link #MAX_LINKS} links.
 */
final class StyledTextBuilder {

    /**
     * The most links of one row: every link is a hotspot kept while the row is shown, and an answer or a tool's
     * output can name thousands of paths; past the bound the text stays, unlinked.
     */
    static final int MAX_LINKS = 200;

    private final StringBuilder text = new StringBuilder();
    private final List<Span> spans = new ArrayList<>();
    private final List<Hotspot> hotspots = new ArrayList<>();
    private int links;

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

    /** Appends a code block: its {@link TranscriptRenderer#CODE_BLOCK_OBJECT}, over which the chat shows {@code code}. */
    StyledTextBuilder codeBlock(String code) {
        spans.add(new Span(text.length(), 1, Style.CODE_BLOCK, code));
        text.append(TranscriptRenderer.CODE_BLOCK_OBJECT);
        return this;
    }

    /** The text from {@code start} to here acts as {@code action} when clicked. */
    void hotspot(int start, Action action, int diff) {
        hotspot(start, action, diff, null);
    }

    void hotspot(int start, Action action, int diff, String target) {
        if (text.length() > start) {
            hotspots.add(new Hotspot(start, text.length() - start, action, diff, target));
        }
    }

    /** How many more links this builder makes. */
    int linksLeft() {
        return MAX_LINKS - links;
    }

    /**
     * Appends {@code s} as a link to {@code target} (styled {@code style}), or as {@code plain} text when the
     * row has its {@link #MAX_LINKS} links already ({@code plain} may be {@code null}: unstyled).
     */
    StyledTextBuilder link(String s, String target, Style style, Style plain) {
        if (links >= MAX_LINKS) {
            return plain == null ? text(s) : styled(s, plain);
        }
        int start = text.length();
        styled(s, style);
        if (text.length() > start) {
            links++;
            hotspot(start, Action.OPEN, -1, target);
        }
        return this;
    }

    /** The text from {@code start} to here, already appended, links to {@code target} (within {@link #MAX_LINKS}). */
    void linkFrom(int start, String target) {
        if (links < MAX_LINKS && text.length() > start) {
            links++;
            hotspot(start, Action.OPEN, -1, target);
        }
    }

    /**
     * Appends {@code s} with what reads as a link in it ({@link LinkFinder}: paths, web and file URLs) made a
     * link styled {@code linkStyle}, the rest styled {@code plain} ({@code null}: unstyled).
     */
    StyledTextBuilder linked(String s, Style plain, Style linkStyle) {
        List<LinkFinder.Found> found = linksLeft() > 0 ? LinkFinder.find(s, linksLeft()) : List.of();
        int at = 0;
        for (LinkFinder.Found f : found) {
            plain(s.substring(at, f.start()), plain);
            String target = s.substring(f.start(), f.end());
            link(target, target, linkStyle, plain);
            at = f.end();
        }
        return plain(at == 0 ? s : s.substring(at), plain);
    }

    private StyledTextBuilder plain(String s, Style style) {
        return style == null ? text(s) : styled(s, style);
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
        spans.replaceAll(s -> s.start() + s.length() > end ? s.cut(end - s.start()) : s);
        hotspots.removeIf(h -> h.start() >= end);
        hotspots.replaceAll(h -> h.start() + h.length() > end
                ? new Hotspot(h.start(), end - h.start(), h.action(), h.diff(), h.target())
                : h);
    }

    Rendered build() {
        return new Rendered(text.toString(), List.copyOf(spans), List.copyOf(hotspots));
    }
}
