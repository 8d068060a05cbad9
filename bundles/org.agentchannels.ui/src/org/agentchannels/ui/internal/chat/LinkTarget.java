package org.agentchannels.ui.internal.chat;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What a link in the transcript names, read from its target string: a web page (an {@code http} or
 * {@code https} URL, nothing else: never {@code javascript:} or another scheme) or a file (a path, absolute or
 * relative, or a {@code file:} URL) with the line and column it points at, when given
 * ({@code src/Foo.java:42:7}, {@code Foo.java#L42}). Pure: no file is looked at.
 *
 * @param url the web page, for {@link Kind#WEB}
 * @param path the path as written (a {@code file:} URL's as a local path), for {@link Kind#FILE}
 * @param line 1-based, 0 when none is given
 * @param column 1-based, 0 when none is given
 */
public record LinkTarget(Kind kind, String url, String path, int line, int column) {

    public enum Kind {
        WEB, FILE
    }

    /** The target's reading, or empty when it names nothing this chat opens. */
    public static Optional<LinkTarget> parse(String target) {
        if (target == null) {
            return Optional.empty();
        }
        String t = target.strip();
        if (t.isEmpty() || t.startsWith("#") || t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.empty();
        }
        String scheme = scheme(t);
        if (scheme.equals("http") || scheme.equals("https")) {
            return web(t);
        }
        if (scheme.equals("file")) {
            return fileUrl(t);
        }
        if (!scheme.isEmpty()) {
            return Optional.empty(); // javascript:, mailto:, data:, ...: never followed
        }
        return file(t);
    }

    /** The scheme of a URL, lower case; empty for none, and for a Windows drive letter ({@code C:\}). */
    static String scheme(String t) {
        int colon = t.indexOf(':');
        if (colon < 2 || colon + 1 < t.length() && Character.isDigit(t.charAt(colon + 1))) {
            return ""; // a drive letter, or a file name and its line (Main.java:3)
        }
        for (int i = 0; i < colon; i++) {
            char c = t.charAt(i);
            boolean ok = i == 0 ? isAsciiLetter(c) : isAsciiLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
            if (!ok) {
                return "";
            }
        }
        return t.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static Optional<LinkTarget> web(String t) {
        try {
            URI uri = new URI(t);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new LinkTarget(Kind.WEB, uri.toASCIIString(), "", 0, 0));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<LinkTarget> fileUrl(String t) {
        Position p = position(t);
        try {
            URI uri = new URI(p.rest());
            String authority = uri.getRawAuthority();
            if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                return Optional.empty(); // a file on another machine
            }
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                return Optional.empty();
            }
            String path = Path.of(new URI("file", null, uri.getPath(), null)).toString();
            return Optional.of(new LinkTarget(Kind.FILE, "", path, p.line(), p.column()));
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<LinkTarget> file(String t) {
        Position p = position(t);
        String path = p.rest();
        if (path.startsWith("./") && path.length() > 2) {
            path = path.substring(2);
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(new LinkTarget(Kind.FILE, "", path, p.line(), p.column()));
    }

    /** A target without its line and column: {@code :42}, {@code :42:7}, {@code #L42}, {@code #L42C7}, {@code #L42-L50}. */
    private record Position(String rest, int line, int column) {
    }

    private static Position position(String t) {
        int hash = t.lastIndexOf("#L");
        if (hash > 0) {
            String anchor = t.substring(hash + 2);
            int end = 0;
            while (end < anchor.length() && Character.isDigit(anchor.charAt(end))) {
                end++;
            }
            if (end > 0) {
                int column = 0;
                if (end < anchor.length() && anchor.charAt(end) == 'C') {
                    int c = end + 1;
                    while (c < anchor.length() && Character.isDigit(anchor.charAt(c))) {
                        c++;
                    }
                    column = number(anchor.substring(end + 1, c));
                }
                return new Position(t.substring(0, hash), number(anchor.substring(0, end)), column);
            }
        }
        // :line or :line:column at the end
        int[] numbers = new int[2];
        int found = 0;
        int end = t.length();
        while (found < 2) {
            int start = end;
            while (start > 0 && Character.isDigit(t.charAt(start - 1)) && t.charAt(start - 1) < 128) {
                start--;
            }
            if (start == end || start < 2 || t.charAt(start - 1) != ':') {
                break;
            }
            numbers[found++] = number(t.substring(start, end));
            end = start - 1;
        }
        if (found == 0) {
            return new Position(t, 0, 0);
        }
        return found == 1 ? new Position(t.substring(0, end), numbers[0], 0)
                : new Position(t.substring(0, end), numbers[1], numbers[0]);
    }

    private static int number(String digits) {
        if (digits.isEmpty() || digits.length() > 9) {
            return 0;
        }
        return Integer.parseInt(digits);
    }
}
