package org.agentchannels.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unified diff of two texts, line by line, as a person reads a change an agent makes to a file: hunks with
 * {@code @@ -a,b +c,d @@} headers and a few lines of context. The work is bounded, so an agent's huge or
 * scrambled edit costs little wherever it is shown: the lines both texts begin and end with are set aside first,
 * the rest is compared with Myers' algorithm up to {@link #MAX_EDITS} edits on at most {@link #MAX_COMPARED_LINES}
 * lines, and beyond that the rest is shown as removed and then added (correct, only less close); at most
 * {@code maxLines} lines are kept.
 */
public final class UnifiedDiff {

    /** The most edits looked for: Myers' work grows with their number, its memory with its square. */
    public static final int MAX_EDITS = 600;
    /** The most lines (of both texts together, after their common beginning and end) compared line by line. */
    public static final int MAX_COMPARED_LINES = 20_000;
    /** The usual number of unchanged lines shown around each change. */
    public static final int CONTEXT = 3;

    public enum Kind {
        /** A hunk's header, {@code @@ -a,b +c,d @@}. */
        HUNK,
        /** A line both texts have. */
        CONTEXT,
        REMOVED,
        ADDED
    }

    /** @param text the line without its diff marker ({@code " "}, {@code "-"}, {@code "+"}); a hunk's whole header */
    public record Line(Kind kind, String text) {
        /** The line as a unified diff writes it. */
        public String marked() {
            return switch (kind) {
                case HUNK -> text;
                case CONTEXT -> " " + text;
                case REMOVED -> "-" + text;
                case ADDED -> "+" + text;
            };
        }
    }

    /**
     * @param lines the diff, at most the number asked for
     * @param omitted how many lines of the diff were left out past that number
     * @param added how many lines the change adds, in all
     * @param removed how many it removes
     */
    public record Result(List<Line> lines, int omitted, int added, int removed) {
        public Result {
            lines = List.copyOf(lines);
        }

        public boolean isEmpty() {
            return lines.isEmpty() && omitted == 0;
        }
    }

    private UnifiedDiff() {
    }

    /** The diff of {@code oldText} into {@code newText}, {@link #CONTEXT} lines of context, at most {@code maxLines} lines. */
    public static Result of(String oldText, String newText, int maxLines) {
        return of(oldText, newText, CONTEXT, maxLines);
    }

    public static Result of(String oldText, String newText, int context, int maxLines) {
        String[] a = lines(oldText);
        String[] b = lines(newText);
        List<Op> ops = ops(a, b);
        List<Line> out = new ArrayList<>();
        int total = 0;
        int added = 0;
        int removed = 0;
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i) == Op.EQUAL) {
                i++;
                continue;
            }
            // a hunk: from context lines before this change to context lines after the last change it takes in
            int start = Math.max(0, i - context);
            int end = i;
            int j = i;
            while (j < ops.size()) {
                if (ops.get(j) != Op.EQUAL) {
                    end = j + 1;
                    j++;
                } else if (j - end < 2 * context) {
                    j++;
                } else {
                    break;
                }
            }
            end = Math.min(ops.size(), end + context);
            int[] at = positionOf(ops, start);
            int oldCount = 0;
            int newCount = 0;
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                oldCount += op == Op.ADDED ? 0 : 1;
                newCount += op == Op.REMOVED ? 0 : 1;
            }
            total += 1 + end - start;
            if (out.size() < maxLines) {
                out.add(new Line(Kind.HUNK, "@@ -" + range(at[0], oldCount) + " +" + range(at[1], newCount) + " @@"));
            }
            int x = at[0];
            int y = at[1];
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                Line line = switch (op) {
                    case EQUAL -> new Line(Kind.CONTEXT, a[x]);
                    case REMOVED -> new Line(Kind.REMOVED, a[x]);
                    case ADDED -> new Line(Kind.ADDED, b[y]);
                };
                x += op == Op.ADDED ? 0 : 1;
                y += op == Op.REMOVED ? 0 : 1;
                added += op == Op.ADDED ? 1 : 0;
                removed += op == Op.REMOVED ? 1 : 0;
                if (out.size() < maxLines) {
                    out.add(line);
                }
            }
            i = end;
        }
        return new Result(out, total - out.size(), added, removed);
    }

    /** A hunk's range: 1-based start and count; an empty one names the line before it, as diff does. */
    private static String range(int index, int count) {
        return (count == 0 ? index : index + 1) + "," + count;
    }

    /** Where op {@code upTo} starts in each text. */
    private static int[] positionOf(List<Op> ops, int upTo) {
        int x = 0;
        int y = 0;
        for (int k = 0; k < upTo; k++) {
            Op op = ops.get(k);
            x += op == Op.ADDED ? 0 : 1;
            y += op == Op.REMOVED ? 0 : 1;
        }
        return new int[] { x, y };
    }

    /** A text's lines, without their ends ({@code \n} or {@code \r\n}); an empty text has none. */
    static String[] lines(String text) {
        if (text.isEmpty()) {
            return new String[0];
        }
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                int end = i > from && text.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.add(text.substring(from, end));
                from = i + 1;
            }
        }
        if (from < text.length()) {
            lines.add(text.substring(from));
        }
        return lines.toArray(new String[0]);
    }

    private enum Op {
        EQUAL, REMOVED, ADDED
    }

    /** The edit script turning {@code a} into {@code b}, one op per line of either. */
    private static List<Op> ops(String[] a, String[] b) {
        int prefix = 0;
        while (prefix < a.length && prefix < b.length && a[prefix].equals(b[prefix])) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length - prefix && suffix < b.length - prefix
                && a[a.length - 1 - suffix].equals(b[b.length - 1 - suffix])) {
            suffix++;
        }
        List<Op> ops = new ArrayList<>(a.length + b.length - prefix - suffix);
        for (int i = 0; i < prefix; i++) {
            ops.add(Op.EQUAL);
        }
        int n = a.length - prefix - suffix;
        int m = b.length - prefix - suffix;
        List<Op> middle = null;
        if (n + m <= MAX_COMPARED_LINES) {
            int[][] numbered = numbered(a, b, prefix, n, m);
            middle = myers(numbered[0], numbered[1]);
        }
        if (middle == null) { // too far apart to compare closely: all of one out, all of the other in
            for (int i = 0; i < n; i++) {
                ops.add(Op.REMOVED);
            }
            for (int i = 0; i < m; i++) {
                ops.add(Op.ADDED);
            }
        } else {
            ops.addAll(middle);
        }
        for (int i = 0; i < suffix; i++) {
            ops.add(Op.EQUAL);
        }
        return ops;
    }

    /** The middle lines of both texts as numbers, equal lines the same number, so comparing them is cheap. */
    private static int[][] numbered(String[] a, String[] b, int prefix, int n, int m) {
        Map<String, Integer> numbers = new HashMap<>();
        int[] ia = new int[n];
        int[] ib = new int[m];
        for (int i = 0; i < n; i++) {
            ia[i] = numbers.computeIfAbsent(a[prefix + i], k -> numbers.size());
        }
        for (int i = 0; i < m; i++) {
            ib[i] = numbers.computeIfAbsent(b[prefix + i], k -> numbers.size());
        }
        return new int[][] { ia, ib };
    }

    /**
     * Myers' shortest edit script, with the furthest point of every diagonal kept per step for the way back.
     *
     * @return {@code null} when it needs more than {@link #MAX_EDITS} edits
     */
    private static List<Op> myers(int[] a, int[] b) {
        int n = a.length;
        int m = b.length;
        int max = Math.min(n + m, MAX_EDITS);
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || k != d && v[offset + k - 1] < v[offset + k + 1] ? v[offset + k + 1]
                        : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a[x] == b[y]) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
            int[] step = new int[2 * d + 1];
            System.arraycopy(v, offset - d, step, 0, 2 * d + 1);
            trace.add(step);
        }
        if (found < 0) {
            return null;
        }
        List<Op> reversed = new ArrayList<>(n + m);
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] previous = trace.get(d - 1); // diagonals -(d-1)..(d-1)
            int k = x - y;
            boolean down = k == -d || k != d && at(previous, d - 1, k - 1) < at(previous, d - 1, k + 1);
            int previousK = down ? k + 1 : k - 1;
            int previousX = at(previous, d - 1, previousK);
            int previousY = previousX - previousK;
            int editX = down ? previousX : previousX + 1;
            while (x > editX) { // the snake after the edit
                reversed.add(Op.EQUAL);
                x--;
                y--;
            }
            reversed.add(down ? Op.ADDED : Op.REMOVED);
            x = previousX;
            y = previousY;
        }
        while (x > 0) {
            reversed.add(Op.EQUAL);
            x--;
        }
        List<Op> ops = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            ops.add(reversed.get(i));
        }
        return ops;
    }

    private static int at(int[] step, int d, int k) {
        return step[k + d];
    }
}
