package org.agentchannels.ui.internal.chat;

import java.util.List;

import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.SessionStatusText;
import org.eclipse.osgi.util.NLS;

/**
 * Turns transcript rows into text and style spans for the chat's StyledText: a header per row (who wrote it,
 * from which device), user text as typed, assistant text rendered from Markdown (parsed with commonmark),
 * tool rows as one line, reasoning collapsed unless shown. Pure: no SWT, so it can be tested and run anywhere.
 * The Markdown itself is the {@link MarkdownRenderer}'s.
 */
public final class TranscriptRenderer {

    /**
     * The kinds of span the chat paints differently; {@code PENDING_HEADER} and {@code FAILED_HEADER} head a
     * prompt not yet answered (sending or queued) and one that could not be sent.
     */
    public enum Style {
        HEADER, BOLD, ITALIC, CODE, HEADING, LINK, QUIET, FAILED, PENDING_HEADER, FAILED_HEADER
    }

    /** A styled range of the rendered text. */
    public record Span(int start, int length, Style style) {
    }

    /** Rendered text with its spans (offsets relative to the text's start). */
    public record Rendered(String text, List<Span> spans) {
    }

    private final String ownDevice;
    private final boolean showReasoning;

    /**
     * @param ownDevice this device's name: its prompts say "You", others say which device they came from
     */
    public TranscriptRenderer(String ownDevice, boolean showReasoning) {
        this.ownDevice = ownDevice == null ? "" : ownDevice;
        this.showReasoning = showReasoning;
    }

    /**
     * Lines longer than this are broken at their next space: a wrapped line of tens of thousands of characters
     * costs the text widget a full layout on every change, which would stall the UI thread while a long
     * answer streams. Replacing a space by a newline keeps every offset, and the break of a growing text
     * never moves (it always falls on a space that arrives after the limit), so streamed text only grows.
     */
    public static final int LONG_LINE = 1000;

    public Rendered render(List<TranscriptRow> rows) {
        StyledTextBuilder b = new StyledTextBuilder();
        for (TranscriptRow row : rows) {
            row(b, row);
        }
        Rendered r = b.build();
        return new Rendered(breakLongLines(r.text()), r.spans());
    }

    /** {@code text} with the first space at or after column {@link #LONG_LINE} of each line made a newline. */
    public static String breakLongLines(String text) {
        char[] chars = null;
        int column = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                column = 0;
            } else if (c == ' ' && column >= LONG_LINE) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\n';
                column = 0;
            } else {
                column++;
            }
        }
        return chars == null ? text : new String(chars);
    }

    private void row(StyledTextBuilder b, TranscriptRow row) {
        switch (row.role()) {
            case TranscriptRow.USER -> {
                b.styled(userHeader(row.senderDevice()), Style.HEADER).text("\n");
                b.text(row.text()).text("\n\n");
            }
            case TranscriptRow.TOOL -> b.styled("\u2699 " + row.toolName() + (row.text().isEmpty() ? "" : ": " + row.text()),
                    Style.QUIET).text("\n\n");
            case TranscriptRow.ASSISTANT -> {
                String header = Messages.Chat_assistant;
                if ("interrupted".equals(row.status())) {
                    header += " \u2014 " + Messages.Chat_interrupted;
                } else if ("error".equals(row.status())) {
                    header += " \u2014 " + Messages.Chat_failed;
                }
                if (row.truncated()) {
                    header += " \u2014 " + Messages.Chat_truncated;
                }
                b.styled(header, Style.HEADER).text("\n");
                if (!row.reasoning().isEmpty()) {
                    if (showReasoning) {
                        b.styled(row.reasoning(), Style.ITALIC).text("\n");
                    } else {
                        b.styled(NLS.bind(Messages.Chat_reasoningHidden, row.reasoning().length()), Style.QUIET).text("\n");
                    }
                }
                if ("error".equals(row.status())) {
                    b.styled(row.text(), Style.FAILED);
                } else {
                    MarkdownRenderer.render(b, row.text());
                }
                b.text("\n\n");
            }
            case TranscriptRow.SYSTEM -> b.styled(Messages.Chat_note, Style.HEADER).text("\n")
                    .styled(SessionStatusText.note(row), Style.QUIET).text("\n\n");
            default -> b.styled(row.role(), Style.HEADER).text("\n").text(row.text()).text("\n\n");
        }
    }

    /** What separates two pieces rendered by {@link #markdownFragment}, as it separates the blocks of an answer. */
    public static final String BLOCK_SEPARATOR = "\n\n";

    /** Renders a piece of an answer still streaming (whole Markdown blocks) as the finished answer will be. */
    public Rendered markdownFragment(String source) {
        StyledTextBuilder b = new StyledTextBuilder();
        MarkdownRenderer.render(b, source);
        return b.build();
    }

    /**
     * Where the finished blocks of a Markdown text still being written end: after its last blank line outside
     * a fenced code block, looking from {@code from} (an earlier such end, or 0). What comes before does not
     * change as text is added, except for the rare list item or quote continued after a blank line; the
     * finished answer is rendered whole, so such a difference lasts only while the turn streams.
     */
    public static int finishedBlocksEnd(String text, int from) {
        int end = from;
        boolean inFence = false;
        int lineStart = from;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) != '\n') {
                continue;
            }
            String line = text.substring(lineStart, i).strip();
            if (line.startsWith("```") || line.startsWith("~~~")) {
                inFence = !inFence;
            } else if (line.isEmpty() && !inFence) {
                end = i + 1;
            }
            lineStart = i + 1;
        }
        return end;
    }

    /** The header of the assistant's row while its answer streams. */
    public static String streamingHeader() {
        return Messages.Chat_assistant + " \u2026";
    }

    public String userHeader(String senderDevice) {
        if (senderDevice.isEmpty() || senderDevice.equals(ownDevice)) {
            return Messages.Chat_you;
        }
        return NLS.bind(Messages.Chat_fromDevice, senderDevice);
    }
}
