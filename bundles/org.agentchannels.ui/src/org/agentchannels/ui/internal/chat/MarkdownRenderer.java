package org.agentchannels.ui.internal.chat;

import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
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

/**
 * Markdown to styled text (parsed with commonmark): emphasis, inline code and code blocks (shaded, a fenced block's
 * language named above it), headings, lists, quotes and links, a blank line between blocks; raw HTML stays as text.
 */
final class MarkdownRenderer {

    private static final Parser MARKDOWN = Parser.builder().build();

    private MarkdownRenderer() {
    }

    /** Appends {@code source} to {@code b} as styled text. */
    static void render(StyledTextBuilder b, String source) {
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
                b.styled(code.getLiteral(), Style.INLINE_CODE);
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
                // its language named above it, as a reader of the source saw it
                String info = code.getInfo() == null ? "" : code.getInfo().strip().split("\\s+")[0];
                if (!info.isEmpty()) {
                    b.styled(info, Style.QUIET).text("\n");
                }
                b.styled(stripFinalNewline(code.getLiteral()), Style.CODE_BLOCK).text("\n");
            }

            @Override
            public void visit(IndentedCodeBlock code) {
                b.styled(stripFinalNewline(code.getLiteral()), Style.CODE_BLOCK).text("\n");
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
}
