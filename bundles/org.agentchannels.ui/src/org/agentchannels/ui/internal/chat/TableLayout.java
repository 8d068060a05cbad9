package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;

/**
 * A GFM table as aligned monospace columns: the header row in bold, a rule under it, each cell padded to its
 * column's width (as its alignment says) and the columns parted by {@code " | "}. Widths are counted in the
 * columns a monospace font gives a character: two for East Asian wide and full-width ones (CJK), none for
 * combining marks. A cell wider than {@link #MAX_CELL_COLUMNS} is cut with an ellipsis, so a very wide table
 * stays readable. A cell keeps its inline code shaded and its links (paths, URLs, Markdown links); its other
 * inline styles are left out, as padding them would be. Pure: no SWT.
 */
final class TableLayout {

    /** The widest a cell is shown, in columns. */
    static final int MAX_CELL_COLUMNS = 60;
    /** The most columns of a table laid out; the cells past them are left out. */
    static final int MAX_COLUMNS = 30;
    static final String SEPARATOR = " | ";
    static final String ELLIPSIS = "\u2026";

    private TableLayout() {
    }

    /** A piece of a cell shown otherwise than its row's text: inline code, or a link to {@code target}. */
    private record Piece(int start, int end, Style style, String target) {
    }

    /** A cell's text, its pieces, and how it aligns. */
    private static final class Cell {
        final StringBuilder text = new StringBuilder();
        final List<Piece> pieces = new ArrayList<>();
        final TableCell.Alignment alignment;

        Cell(TableCell.Alignment alignment) {
            this.alignment = alignment;
        }

        void add(String s, Style style, String target) {
            int start = text.length();
            text.append(s);
            if (style != null && !s.isEmpty()) {
                pieces.add(new Piece(start, text.length(), style, target));
            }
        }

        /** Text with what reads as a link in it made one; {@code style} for the rest (null: the row's). */
        void linked(String s, Style style) {
            int at = 0;
            for (LinkFinder.Found f : LinkFinder.find(s, StyledTextBuilder.MAX_LINKS)) {
                add(s.substring(at, f.start()), style, null);
                String target = s.substring(f.start(), f.end());
                add(target, Style.CODE_LINK, target);
                at = f.end();
            }
            add(s.substring(at), style, null);
        }

        /** Cut to {@code max} columns, the last of them an ellipsis, when wider. */
        void cut(int max) {
            if (columns(text) <= max) {
                return;
            }
            int end = 0;
            int used = 0;
            while (end < text.length()) {
                int cp = text.codePointAt(end);
                int w = width(cp);
                if (used + w > max - 1) {
                    break;
                }
                used += w;
                end += Character.charCount(cp);
            }
            text.setLength(end);
            text.append(ELLIPSIS);
            List<Piece> kept = new ArrayList<>();
            for (Piece p : pieces) {
                if (p.start() < end) {
                    kept.add(new Piece(p.start(), Math.min(p.end(), end), p.style(), p.target()));
                }
            }
            pieces.clear();
            pieces.addAll(kept);
        }
    }

    /** Appends {@code table} to {@code b}, one line per row and the rule under its header, each line ending in a newline. */
    static void render(StyledTextBuilder b, TableBlock table) {
        List<List<Cell>> rows = new ArrayList<>();
        List<Boolean> header = new ArrayList<>();
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                if (!(row instanceof TableRow)) {
                    continue;
                }
                List<Cell> cells = new ArrayList<>();
                for (Node c = row.getFirstChild(); c != null && cells.size() < MAX_COLUMNS; c = c.getNext()) {
                    if (c instanceof TableCell cell) {
                        Cell shown = new Cell(cell.getAlignment());
                        inline(cell, shown, false);
                        shown.cut(MAX_CELL_COLUMNS);
                        cells.add(shown);
                    }
                }
                rows.add(cells);
                header.add(section instanceof TableHead);
            }
        }
        int count = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[count];
        for (List<Cell> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], columns(row.get(i).text));
            }
        }
        for (int i = 0; i < count; i++) {
            widths[i] = Math.max(widths[i], 1);
        }
        Runs runs = new Runs(b);
        boolean ruled = false;
        for (int r = 0; r < rows.size(); r++) {
            boolean head = header.get(r);
            if (!head && !ruled) {
                rule(runs, widths);
                ruled = true;
            }
            List<Cell> row = rows.get(r);
            Style base = head ? Style.TABLE_HEADER : Style.TABLE;
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    runs.add(SEPARATOR, Style.TABLE);
                }
                Cell cell = i < row.size() ? row.get(i) : new Cell(null);
                int pad = widths[i] - columns(cell.text);
                boolean last = i == count - 1;
                int before = switch (cell.alignment == null ? TableCell.Alignment.LEFT : cell.alignment) {
                    case RIGHT -> pad;
                    case CENTER -> pad / 2;
                    case LEFT -> 0;
                };
                int after = last ? 0 : pad - before; // no spaces trailing at the end of a line
                runs.add(" ".repeat(before), Style.TABLE);
                cellText(runs, cell, base);
                runs.add(" ".repeat(after), Style.TABLE);
            }
            runs.add("\n", null);
        }
        if (!ruled) {
            rule(runs, widths);
        }
        runs.flush();
    }

    private static void rule(Runs runs, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            line.append(i > 0 ? "-+-" : "").append("-".repeat(widths[i]));
        }
        runs.add(line.toString(), Style.TABLE);
        runs.add("\n", null);
    }

    private static void cellText(Runs runs, Cell cell, Style base) {
        String text = cell.text.toString();
        int at = 0;
        for (Piece p : cell.pieces) {
            runs.add(text.substring(at, p.start()), base);
            if (p.target() != null) {
                runs.link(text.substring(p.start(), p.end()), p.target(), base);
            } else {
                runs.add(text.substring(p.start(), p.end()), p.style());
            }
            at = p.end();
        }
        runs.add(text.substring(at), base);
    }

    /** A cell's inline content as text, with its code and links. */
    private static void inline(Node parent, Cell cell, boolean inLink) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Text t) {
                if (inLink) {
                    cell.add(t.getLiteral(), null, null);
                } else {
                    cell.linked(t.getLiteral(), null);
                }
            } else if (n instanceof Code c) {
                if (inLink) {
                    cell.add(c.getLiteral(), null, null);
                } else {
                    cell.linked(c.getLiteral(), Style.INLINE_CODE);
                }
            } else if (n instanceof SoftLineBreak || n instanceof HardLineBreak) {
                cell.add(" ", null, null);
            } else if (n instanceof Link link && !inLink) {
                int start = cell.text.length();
                inline(link, cell, true);
                if (cell.text.length() > start && LinkTarget.parse(link.getDestination()).isPresent()) {
                    cell.pieces.add(new Piece(start, cell.text.length(), Style.CODE_LINK, link.getDestination()));
                }
            } else {
                inline(n, cell, inLink);
            }
        }
    }

    /** Consecutive text of one style appended as one span, so that a table is a few spans, not one per cell. */
    private static final class Runs {
        private final StyledTextBuilder b;
        private final StringBuilder pending = new StringBuilder();
        private Style style;

        Runs(StyledTextBuilder b) {
            this.b = b;
        }

        void add(String s, Style as) {
            if (s.isEmpty()) {
                return;
            }
            if (as != style) {
                flush();
                style = as;
            }
            pending.append(s);
        }

        void link(String s, String target, Style plain) {
            flush();
            b.link(s, target, Style.CODE_LINK, plain);
        }

        void flush() {
            if (pending.length() > 0) {
                if (style == null) {
                    b.text(pending.toString());
                } else {
                    b.styled(pending.toString(), style);
                }
                pending.setLength(0);
            }
            style = null;
        }
    }

    /** The columns {@code s} takes in a monospace font. */
    static int columns(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length();) {
            int cp = Character.codePointAt(s, i);
            n += width(cp);
            i += Character.charCount(cp);
        }
        return n;
    }

    /**
     * The columns one character takes: 2 for the East Asian wide and full-width blocks (Unicode's
     * EastAsianWidth W and F: Hangul Jamo, CJK, kana, Hangul syllables, full-width forms, emoji), 0 for combining
     * marks and format characters, else 1.
     */
    static int width(int cp) {
        if (cp < 0x300) {
            return cp < 0x20 ? 0 : 1;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = cp >= 0x1100 && cp <= 0x115F
                || cp >= 0x2E80 && cp <= 0x303E
                || cp >= 0x3041 && cp <= 0x33FF
                || cp >= 0x3400 && cp <= 0x4DBF
                || cp >= 0x4E00 && cp <= 0x9FFF
                || cp >= 0xA000 && cp <= 0xA4CF
                || cp >= 0xA960 && cp <= 0xA97F
                || cp >= 0xAC00 && cp <= 0xD7A3
                || cp >= 0xF900 && cp <= 0xFAFF
                || cp >= 0xFE10 && cp <= 0xFE19
                || cp >= 0xFE30 && cp <= 0xFE6F
                || cp >= 0xFF00 && cp <= 0xFF60
                || cp >= 0xFFE0 && cp <= 0xFFE6
                || cp >= 0x1F300 && cp <= 0x1F64F
                || cp >= 0x1F900 && cp <= 0x1F9FF
                || cp >= 0x20000 && cp <= 0x3FFFD;
        return wide ? 2 : 1;
    }
}
