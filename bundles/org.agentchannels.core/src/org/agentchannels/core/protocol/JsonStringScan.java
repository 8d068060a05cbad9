package org.agentchannels.core.protocol;

/**
 * Reads the strings of a JSON text of a shape known in advance, without a tree: what the readers of the frames and
 * lines a stream is made of ({@link StreamedTextFrames}, an ACP agent's text chunks) have in common. Each says where
 * what it read ends, or -1 for anything the strict reader would refuse or that is not plainly such a string; the
 * caller then reads the text the general way.
 */
public final class JsonStringScan {

    private JsonStringScan() {
    }

    /** Where a string of plain characters (no quote, backslash or control character) from {@code at} ends (its closing quote); -1 if not. */
    public static int plainEnd(String s, int at) {
        for (int i = at; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Reads the string whose characters start at {@code at} (after its opening quote), escapes undone, into {@code out}.
     *
     * @return where its closing quote is; -1 if there is none or something the strict reader refuses comes first
     */
    public static int read(String s, int at, StringBuilder out) {
        int run = at; // characters copied a run at a time, not one by one
        while (true) {
            if (at >= s.length()) {
                return -1;
            }
            char c = s.charAt(at);
            if (c == '"') {
                out.append(s, run, at);
                return at;
            }
            if (c < 0x20) {
                return -1; // the strict reader refuses it, and says why
            }
            if (c != '\\') {
                at++;
                continue;
            }
            out.append(s, run, at);
            if (at + 1 >= s.length()) {
                return -1;
            }
            char e = s.charAt(at + 1);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int code = hex4(s, at + 2);
                    if (code < 0) {
                        return -1;
                    }
                    out.append((char) code);
                    at += 4;
                }
                default -> {
                    return -1;
                }
            }
            at += 2;
            run = at;
        }
    }

    /**
     * Appends {@code text}'s characters as a JSON string's (without its quotes) escaped exactly as Gson's
     * {@code JsonWriter} (not HTML-safe, as {@code JsonElement.toString} writes) escapes them: a quote and a
     * backslash, the control characters ({@code \t \b \n \r \f} short, the others as a six-character escape of
     * their code), and the line and paragraph separators U+2028, U+2029.
     */
    public static void write(String text, StringBuilder out) {
        int run = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            String escape;
            if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
                continue;
            }
            escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\f' -> "\\f";
                default -> String.format(java.util.Locale.ROOT, "\\u%04x", (int) c);
            };
            out.append(text, run, i).append(escape);
            run = i + 1;
        }
        out.append(text, run, text.length());
    }

    private static int hex4(String s, int at) {
        if (at + 4 > s.length()) {
            return -1;
        }
        int code = 0;
        for (int i = at; i < at + 4; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            code = code * 16 + d;
        }
        return code;
    }
}
