package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piece of a file handed to an agent with a prompt (the workbench's Send Selection / Send File to Agent Chat):
 * written into the prompt's text as a fenced block whose info string names the file, e.g.
 * {@code ```java path=src/Foo.java lines=10-20}. Every agent and every device reads that as it is; a gateway
 * whose agent accepts embedded context ({@code promptCapabilities.embeddedContext} in ACP) sends each such block
 * as a resource of its own instead ({@link #split}). Only a block with a {@code path=} is one: any other fenced
 * block a person types stays text.
 *
 * @param path the file as the sender names it (relative to its project, or absolute)
 * @param firstLine the first line sent, from 1; 0 for the whole file
 * @param lastLine the last line sent; 0 for the whole file
 * @param language the fence's language word (may be empty)
 * @param text the text sent, without a final newline
 */
public record PromptContext(String path, int firstLine, int lastLine, String language, String text) {

    /** The most characters of a file or selection sent as context: beyond it the sender is told, nothing is cut. */
    public static final int MAX_CHARS = 512 * 1024;

    /** A longer fence opens no context block (it stays text): {@link #fenced} needs one only for such a text. */
    static final int MAX_FENCE = 64;

    private static final Pattern OPENING = Pattern.compile(
            "(`{3,})([^\\s`]*)[ \\t]+path=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))(?:[ \\t]+lines=(\\d{1,9})(?:-(\\d{1,9}))?)?[ \\t]*");

    public PromptContext {
        path = path == null ? "" : path;
        language = language == null || !language.matches("[\\w+#.-]*") ? "" : language;
        text = text == null ? "" : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (firstLine < 0 || lastLine < firstLine || (firstLine == 0) != (lastLine == 0)) {
            throw new IllegalArgumentException("bad line range " + firstLine + "-" + lastLine);
        }
        if (path.isEmpty() || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a context needs a one-line path");
        }
    }

    /** Whether only some lines of the file are sent. */
    public boolean isRange() {
        return firstLine > 0;
    }

    /** How a person reads which part of which file this is: {@code src/Foo.java:10-20}, or just the path. */
    public String label() {
        if (!isRange()) {
            return path;
        }
        return path + ":" + (firstLine == lastLine ? String.valueOf(firstLine) : firstLine + "-" + lastLine);
    }

    /**
     * This context as a fenced block (no newline around it). Its fence is longer than any run of backticks in
     * the text, so nothing in the text can end it.
     */
    public String fenced() {
        String fence = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
        StringBuilder b = new StringBuilder(text.length() + path.length() + 40);
        b.append(fence).append(language).append(" path=");
        if (path.matches("\\S+") && !path.startsWith("\"")) {
            b.append(path);
        } else {
            b.append('"').append(path.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        if (isRange()) {
            b.append(" lines=").append(firstLine);
            if (lastLine != firstLine) {
                b.append('-').append(lastLine);
            }
        }
        b.append('\n');
        if (!text.isEmpty()) {
            b.append(text).append('\n');
        }
        return b.append(fence).toString();
    }

    private static int longestBacktickRun(String s) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** One part of a prompt's text: either text as typed or a context block. */
    public sealed interface Part permits TextPart, ContextPart {
    }

    public record TextPart(String text) implements Part {
    }

    public record ContextPart(PromptContext context) implements Part {
    }

    /**
     * A prompt's text cut into what was typed and the context blocks in it, in order. A block that is never
     * closed is text (as Markdown would show it, as code to the end); text parts are never empty or blank.
     */
    public static List<Part> split(String prompt) {
        List<Part> parts = new ArrayList<>();
        StringBuilder typed = new StringBuilder();
        int at = 0;
        // once a fence of some length is never closed, no later one as long is: each failure costs one scan
        // to the end, and a failure needs a shorter fence than the last, so a hostile prompt cannot make it quadratic
        int unclosed = Integer.MAX_VALUE;
        while (at < prompt.length()) {
            int end = prompt.indexOf('\n', at);
            int lineEnd = end < 0 ? prompt.length() : end;
            Matcher opening = OPENING.matcher(prompt).region(at, lineEnd);
            int closing = -1;
            if (opening.matches() && opening.group(1).length() < Math.min(unclosed, MAX_FENCE)) {
                closing = closingLine(prompt, lineEnd + 1, opening.group(1).length());
                if (closing < 0) {
                    unclosed = opening.group(1).length();
                }
            }
            if (closing < 0) {
                typed.append(prompt, at, end < 0 ? lineEnd : end + 1);
                at = end < 0 ? prompt.length() : end + 1;
                continue;
            }
            flush(typed, parts);
            int bodyStart = Math.min(lineEnd + 1, prompt.length());
            String body = closing > bodyStart ? prompt.substring(bodyStart, closing - 1) : "";
            String path = opening.group(3) != null ? opening.group(3).replace("\\\"", "\"").replace("\\\\", "\\")
                    : opening.group(4);
            int first = opening.group(5) == null ? 0 : Integer.parseInt(opening.group(5));
            int last = opening.group(6) == null ? first : Integer.parseInt(opening.group(6));
            if (last < first) {
                last = first;
            }
            parts.add(new ContextPart(new PromptContext(path, first, last, opening.group(2), body)));
            int closingEnd = prompt.indexOf('\n', closing);
            at = closingEnd < 0 ? prompt.length() : closingEnd + 1;
        }
        flush(typed, parts);
        return parts;
    }

    /** Where the line closing a fence of {@code length} backticks starts, at or after {@code from}; -1 if none. */
    private static int closingLine(String prompt, int from, int length) {
        int at = from;
        while (at <= prompt.length() && at >= 0) {
            int end = prompt.indexOf('\n', at);
            int lineEnd = end < 0 ? prompt.length() : end;
            String line = prompt.substring(at, lineEnd).strip();
            if (line.length() >= length && line.chars().allMatch(c -> c == '`')) {
                return at;
            }
            if (end < 0) {
                return -1;
            }
            at = end + 1;
        }
        return -1;
    }

    private static void flush(StringBuilder typed, List<Part> parts) {
        String text = typed.toString();
        typed.setLength(0);
        if (!text.isBlank()) {
            parts.add(new TextPart(text.strip()));
        }
    }

    /** Whether {@code prompt} holds any context block. */
    public static boolean hasContext(String prompt) {
        return prompt.contains("path=") && split(prompt).stream().anyMatch(ContextPart.class::isInstance);
    }
}
