package org.agentchannels.ui.internal.chat;

import java.util.List;

import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Action;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
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
 * Markdown to styled text (parsed with commonmark and its GFM tables): emphasis, inline code and code blocks
 * (shaded, a fenced block's language named above it beside a Copy link), headings, lists, quotes, links, and
 * tables as aligned columns ({@link TableLayout}); a blank line between blocks; raw HTML stays as text. Paths and
 * URLs in the text and in inline code are links ({@link LinkFinder}), and so are Markdown links to a web page or
 * a file; the text of code blocks is left as it is.
 */
final class MarkdownRenderer {

    private static final Parser MARKDOWN = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    private MarkdownRenderer() {
    }

    /** Appends {@code source} to {@code b} as styled text. */
    static void render(StyledTextBuilder b, String source) {
        Node document = MARKDOWN.parse(source);
        document.accept(new AbstractVisitor() {
            private int listDepth;
            /** Inside a Markdown link, whose text links to its destination as a whole. */
            private boolean inLink;

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
                if (inLink) {
                    b.text(text.getLiteral());
                } else {
                    b.linked(text.getLiteral(), null, Style.LINK);
                }
            }

            @Override
            public void visit(Code code) {
                if (inLink) {
                    b.styled(code.getLiteral(), Style.INLINE_CODE);
                } else {
                    b.linked(code.getLiteral(), Style.INLINE_CODE, Style.CODE_LINK);
                }
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
                codeBlock(info, stripFinalNewline(code.getLiteral()));
            }

            @Override
            public void visit(IndentedCodeBlock code) {
                codeBlock("", stripFinalNewline(code.getLiteral()));
            }

            /**
             * A code block under a quiet line with its language and a Copy link, which ends that line and copies
             * exactly the block's text ({@link Action#COPY}); the block itself is one character the chat shows the
             * code over ({@link StyledTextBuilder#codeBlock}). An empty block has nothing to copy or show.
             */
            private void codeBlock(String info, String literal) {
                if (!info.isEmpty()) {
                    b.styled(info, Style.QUIET);
                }
                if (!literal.isEmpty()) {
                    if (!info.isEmpty()) {
                        b.text("  ");
                    }
                    int copy = b.length();
                    b.styled(Messages.Chat_copy, Style.LINK);
                    b.hotspot(copy, Action.COPY, -1, literal);
                }
                if (!info.isEmpty() || !literal.isEmpty()) {
                    b.text("\n");
                }
                if (!literal.isEmpty()) {
                    b.codeBlock(literal);
                }
                b.text("\n");
            }

            @Override
            public void visit(CustomBlock block) {
                if (block instanceof TableBlock table) {
                    TableLayout.render(b, table);
                } else {
                    visitChildren(block);
                }
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
                int start = b.length();
                boolean outer = inLink;
                inLink = true;
                styledChildren(link, Style.LINK);
                inLink = outer;
                if (!outer && LinkTarget.parse(link.getDestination()).isPresent()) {
                    b.linkFrom(start, link.getDestination());
                }
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
