package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.ui.internal.Messages;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Document;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.eclipse.osgi.util.NLS;

/**
 * Turns transcript rows into text and style spans for the chat's StyledText: a header per row (who wrote it,
 * from which device), user text as typed, assistant text rendered from Markdown (parsed with commonmark),
 * tool rows as one line, reasoning collapsed unless shown. Pure: no SWT, so it can be tested and run anywhere.
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

    private static final Parser MARKDOWN = Parser.builder().build();

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
        Builder b = new Builder();
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

    private void row(Builder b, TranscriptRow row) {
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
                    markdown(b, row.text());
                }
                b.text("\n\n");
            }
            default -> b.styled(row.role(), Style.HEADER).text("\n").text(row.text()).text("\n\n");
        }
    }

    /** What separates two pieces rendered by {@link #markdownFragment}, as it separates the blocks of an answer. */
    public static final String BLOCK_SEPARATOR = "\n\n";

    /** Renders a piece of an answer still streaming (whole Markdown blocks) as the finished answer will be. */
    public Rendered markdownFragment(String source) {
        Builder b = new Builder();
        markdown(b, source);
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

    /** Markdown to styled text: emphasis, code, headings, lists, quotes and links; raw HTML stays as text. */
    void markdown(Builder b, String source) {
        Node document = MARKDOWN.parse(source);
        document.accept(new AbstractVisitor() {
            private int listDepth;

            /** A blank line between the answer's blocks (paragraphs, lists, code), as a reader expects. */
            @Override
            public void visit(Document doc) {
                for (Node block = doc.getFirstChild(); block != null; block = block.getNext()) {
                    block.accept(this);
                    b.text("\n");
                }
            }

            @Override
            public void visit(Text text) {
                b.text(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                b.styled(code.getLiteral(), Style.CODE);
            }

            @Override
            public void visit(Emphasis e) {
                styledChildren(e, Style.ITALIC);
            }

            @Override
            public void visit(StrongEmphasis e) {
                styledChildren(e, Style.BOLD);
            }

            @Override
            public void visit(Heading h) {
                styledChildren(h, Style.HEADING);
                b.text("\n");
            }

            @Override
            public void visit(Paragraph p) {
                visitChildren(p);
                if (!(p.getParent() instanceof ListItem) || p.getNext() != null) {
                    b.text("\n");
                }
            }

            @Override
            public void visit(SoftLineBreak br) {
                b.text("\n");
            }

            @Override
            public void visit(HardLineBreak br) {
                b.text("\n");
            }

            @Override
            public void visit(FencedCodeBlock code) {
                b.styled(stripFinalNewline(code.getLiteral()), Style.CODE).text("\n");
            }

            @Override
            public void visit(IndentedCodeBlock code) {
                b.styled(stripFinalNewline(code.getLiteral()), Style.CODE).text("\n");
            }

            @Override
            public void visit(BulletList list) {
                listDepth++;
                visitChildren(list);
                listDepth--;
            }

            @Override
            public void visit(OrderedList list) {
                listDepth++;
                int n = list.getMarkerStartNumber() == null ? 1 : list.getMarkerStartNumber();
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    b.text("  ".repeat(listDepth - 1) + n++ + ". ");
                    visitChildren(item);
                    b.text("\n");
                }
                listDepth--;
            }

            @Override
            public void visit(ListItem item) {
                b.text("  ".repeat(Math.max(0, listDepth - 1)) + "\u2022 ");
                visitChildren(item);
                b.text("\n");
            }

            @Override
            public void visit(BlockQuote quote) {
                styledChildren(quote, Style.QUIET);
            }

            @Override
            public void visit(Link link) {
                styledChildren(link, Style.LINK);
            }

            /** The node's text, styled as one span. */
            private void styledChildren(Node node, Style style) {
                int start = b.length();
                visitChildren(node);
                b.span(start, style);
            }

            @Override
            public void visit(ThematicBreak br) {
                b.text("\u2014\u2014\u2014\n");
            }
        });
        b.trimTrailingNewlines();
    }

    private static String stripFinalNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Accumulates text and spans. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<Span> spans = new ArrayList<>();

        Builder text(String s) {
            text.append(s);
            return this;
        }

        Builder styled(String s, Style style) {
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
        }

        Rendered build() {
            return new Rendered(text.toString(), List.copyOf(spans));
        }
    }
}
