package org.agentchannels.cli;

import org.agentchannels.core.DisplayText;

/**
 * What the commands print of text that came from a gateway or a presence record (titles, names, ids, transcript
 * text, error messages), everywhere but {@code --json}: a terminal acts on control characters (ESC starts the
 * sequences that clear the screen or set the window's title, CR overwrites a line) and bidi overrides reorder what
 * it shows, so each character {@link DisplayText#isHidden} names is printed visibly as an escape instead (ESC as a
 * backslash, {@code u001B}; CR as {@code \r}). Nothing is dropped, so a reader sees that something was there.
 */
final class TerminalText {

    private TerminalText() {
    }

    /** One line (a table cell, a name, a message): line breaks and tabs are escaped too. */
    static String line(String text) {
        return escape(text, false);
    }

    /** Transcript text: its line breaks ({@code \r\n} printed as {@code \n}) and tabs kept, every other control escaped. */
    static String block(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null; // made at the first character to escape: most text has none
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean kept = !DisplayText.isHidden(text, i) || keepLines && (cp == '\n' || cp == '\t');
            boolean crlf = keepLines && cp == '\r' && next < text.length() && text.charAt(next) == '\n';
            if (kept && out != null) {
                out.appendCodePoint(cp);
            } else if (!kept) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                if (!crlf) {
                    out.append(visible(cp));
                }
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    private static String visible(int cp) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isBmpCodePoint(cp) ? String.format("\\u%04X", cp) : String.format("\\u{%X}", cp);
        };
    }
}
