package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds what reads as a link in prose an agent wrote: web URLs ({@code http}, {@code https}), {@code file:}
 * URLs and paths ({@code src/Foo.java:42}, {@code src/Foo.java:42:7}, {@code /home/me/notes.md},
 * {@code C:\work\a.txt}, {@code Main.java:3}). A relative path needs a separator and a file name with an
 * extension, or a line number; an absolute one two segments at least (so {@code /approve} or {@code and/or}
 * are no links). Pure and linear in the text: each character is looked at a bounded number of times, so a long
 * answer costs no more than its length, and at most {@code max} links are found.
 */
final class LinkFinder {

    /** A link found: its range in the text searched ({@code end} exclusive); its target is that text. */
    record Found(int start, int end) {
    }

    private LinkFinder() {
    }

    static List<Found> find(CharSequence text, int max) {
        List<Found> found = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n && found.size() < max) {
            if (!isPathChar(text.charAt(i))) {
                i++;
                continue;
            }
            int schemeLength = webScheme(text, i);
            if (schemeLength > 0) {
                int end = i;
                while (end < n && isUrlChar(text.charAt(end))) {
                    end++;
                }
                int trimmed = trimUrl(text, i, end);
                if (trimmed > i + schemeLength && LinkTarget.parse(text.subSequence(i, trimmed).toString()).isPresent()) {
                    found.add(new Found(i, trimmed));
                }
                i = end;
                continue;
            }
            int end = i;
            boolean separatorOrColon = false;
            while (end < n && isPathChar(text.charAt(end))) {
                char c = text.charAt(end);
                separatorOrColon |= c == '/' || c == '\\' || c == ':';
                end++;
            }
            if (separatorOrColon) { // else it cannot be a path: a bare file name needs its line
                int trimmed = end;
                while (trimmed > i && ".:#-".indexOf(text.charAt(trimmed - 1)) >= 0) {
                    trimmed--;
                }
                if (trimmed > i && isPath(text.subSequence(i, trimmed).toString())) {
                    found.add(new Found(i, trimmed));
                }
            }
            i = end;
        }
        return found;
    }

    /** The length of {@code http://}, {@code https://} or {@code file:} at {@code i}, else 0. */
    private static int webScheme(CharSequence text, int i) {
        for (String scheme : new String[] { "https://", "http://", "file:" }) {
            if (regionMatchesIgnoreCase(text, i, scheme)) {
                return scheme.length();
            }
        }
        return 0;
    }

    private static boolean regionMatchesIgnoreCase(CharSequence text, int at, String prefix) {
        if (at + prefix.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (Character.toLowerCase(text.charAt(at + k)) != prefix.charAt(k)) {
                return false;
            }
        }
        return at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
    }

    /** The characters of a path as agents write them: ASCII only, so that prose in any script around it stays out. */
    static boolean isPathChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "._-/\\~+@%:#".indexOf(c) >= 0;
    }

    /** Printable ASCII but what cannot be in a URL written in prose (quotes, angle brackets, spaces). */
    private static boolean isUrlChar(char c) {
        return c > 0x20 && c < 0x7f && "<>\"'`{}|\\^".indexOf(c) < 0;
    }

    /**
     * Without the punctuation that ends a sentence, and without closing brackets opened before the URL (as in
     * "(see https://x.org/a)"); a URL's own brackets stay (as in a Wikipedia URL). Counts the brackets once.
     */
    private static int trimUrl(CharSequence text, int start, int end) {
        int parens = 0;
        int squares = 0;
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            parens += c == '(' ? 1 : c == ')' ? -1 : 0;
            squares += c == '[' ? 1 : c == ']' ? -1 : 0;
        }
        while (end > start) {
            char last = text.charAt(end - 1);
            if (".,:;!?*_~".indexOf(last) >= 0) {
                end--;
            } else if (last == ')' && parens < 0) {
                parens++;
                end--;
            } else if (last == ']' && squares < 0) {
                squares++;
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    /** Whether a token reads as a path (with its line and column, if given). */
    static boolean isPath(String token) {
        LinkTarget target = LinkTarget.parse(token).orElse(null);
        if (target == null || target.kind() != LinkTarget.Kind.FILE) {
            return false;
        }
        String path = target.path();
        boolean drive = path.length() > 2 && path.charAt(1) == ':' && (path.charAt(2) == '\\' || path.charAt(2) == '/')
                && Character.isLetter(path.charAt(0));
        String rest = drive ? path.substring(2) : path;
        if (rest.indexOf(':') >= 0 || rest.indexOf('#') >= 0 || rest.startsWith("//")) {
            return false;
        }
        List<String> segments = new ArrayList<>();
        for (String s : rest.split("[/\\\\]")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        if (segments.isEmpty()) {
            return false;
        }
        String name = segments.get(segments.size() - 1);
        if (name.chars().allMatch(c -> c == '.' || c == '-' || c == '_' || c == '~')) {
            return false;
        }
        boolean absolute = drive || rest.startsWith("/") || rest.startsWith("\\") || rest.startsWith("~/");
        if (absolute) {
            return segments.size() >= 2 && !rest.endsWith("/") && !rest.endsWith("\\");
        }
        boolean separated = segments.size() > 1 && !rest.endsWith("/") && !rest.endsWith("\\");
        boolean explicit = token.startsWith("./") || token.startsWith("../");
        if (separated) {
            return hasExtension(name, true) || explicit || target.line() > 0;
        }
        return segments.size() == 1 && target.line() > 0 && hasExtension(name, false);
    }

    /** {@code Foo.java}, {@code a.d.ts}; with {@code dotFile}, {@code .gitignore} too. */
    private static boolean hasExtension(String name, boolean dotFile) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1 || dot == 0 && !dotFile) {
            return false;
        }
        return Character.isLetter(name.charAt(dot + 1));
    }
}
