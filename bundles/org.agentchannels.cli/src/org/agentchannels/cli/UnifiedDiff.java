package org.agentchannels.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file's change as unified diff text ({@code diff -u}: three lines of context), for a terminal. Lines common
 * to both ends are set aside first; what remains is compared line by line when it is small enough (the longest
 * common subsequence), else shown as removed and added whole, so a huge change costs no more than its size.
 */
final class UnifiedDiff {

    private static final int CONTEXT = 3;
    /** The most line pairs compared for the longest common subsequence (its table's cells). */
    private static final long MAX_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    /** One line of an edit script: {@code ' '} kept, {@code '-'} removed, {@code '+'} added. */
    private record Line(char op, String text, int oldNo, int newNo) {
    }

    /**
     * @param oldText the file before, empty for a new file
     * @return the diff's lines, headers first; only the headers when both sides are equal
     */
    static List<String> of(String path, String oldText, String newText) {
        List<String> out = new ArrayList<>();
        out.add("--- " + (oldText.isEmpty() ? "/dev/null" : path));
        out.add("+++ " + path);
        List<Line> script = script(lines(oldText), lines(newText));
        int i = 0;
        while (i < script.size()) {
            while (i < script.size() && script.get(i).op() == ' ') {
                i++;
            }
            if (i == script.size()) {
                break;
            }
            int from = Math.max(0, i - CONTEXT);
            int to = i; // one past the hunk's last line: a change, then context until a long enough run of kept lines
            int kept = 0;
            for (int j = i; j < script.size(); j++) {
                if (script.get(j).op() == ' ') {
                    if (++kept > 2 * CONTEXT) {
                        break;
                    }
                } else {
                    kept = 0;
                    to = j + 1;
                }
            }
            to = Math.min(script.size(), to + CONTEXT);
            out.add(header(script.subList(from, to)));
            for (Line l : script.subList(from, to)) {
                out.add(l.op() + l.text());
            }
            i = to;
        }
        return out;
    }

    private static String header(List<Line> hunk) {
        int oldStart = 0;
        int newStart = 0;
        int oldCount = 0;
        int newCount = 0;
        for (Line l : hunk) {
            if (l.op() != '+') {
                oldStart = oldCount++ == 0 ? l.oldNo() : oldStart;
            }
            if (l.op() != '-') {
                newStart = newCount++ == 0 ? l.newNo() : newStart;
            }
        }
        // an empty side starts at the line before (diff -u's convention)
        int oldFirst = oldCount == 0 ? firstNo(hunk, true) - 1 : oldStart;
        int newFirst = newCount == 0 ? firstNo(hunk, false) - 1 : newStart;
        return "@@ -" + range(oldFirst, oldCount) + " +" + range(newFirst, newCount) + " @@";
    }

    /** The number the first line of the hunk would have on one side. */
    private static int firstNo(List<Line> hunk, boolean old) {
        Line first = hunk.get(0);
        return old ? first.oldNo() : first.newNo();
    }

    private static String range(int start, int count) {
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return Arrays.asList(body.split("\r?\n", -1));
    }

    /** The edit script from {@code a} to {@code b}, each line with its number on both sides (1-based). */
    private static List<Line> script(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<String> ma = a.subList(prefix, a.size() - suffix);
        List<String> mb = b.subList(prefix, b.size() - suffix);
        List<Character> ops = (long) ma.size() * mb.size() <= MAX_CELLS ? lcsOps(ma, mb) : wholesale(ma.size(), mb.size());
        List<Line> out = new ArrayList<>();
        int oi = 0;
        int ni = 0;
        for (int k = 0; k < prefix; k++) {
            out.add(new Line(' ', a.get(k), ++oi, ++ni));
        }
        int ai = 0;
        int bi = 0;
        for (char op : ops) {
            switch (op) {
                case ' ' -> {
                    out.add(new Line(' ', ma.get(ai++), ++oi, ++ni));
                    bi++;
                }
                case '-' -> out.add(new Line('-', ma.get(ai++), ++oi, ni + 1));
                default -> out.add(new Line('+', mb.get(bi++), oi + 1, ++ni));
            }
        }
        for (int k = a.size() - suffix; k < a.size(); k++) {
            out.add(new Line(' ', a.get(k), ++oi, ++ni));
        }
        return out;
    }

    private static List<Character> wholesale(int removed, int added) {
        List<Character> ops = new ArrayList<>();
        for (int i = 0; i < removed; i++) {
            ops.add('-');
        }
        for (int i = 0; i < added; i++) {
            ops.add('+');
        }
        return ops;
    }

    private static List<Character> lcsOps(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1]; // lcs[i][j]: of a[i..] and b[j..]
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Character> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(' ');
                i++;
                j++;
            } else if (j == m || i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.add('-');
                i++;
            } else {
                ops.add('+');
                j++;
            }
        }
        return ops;
    }
}
