package org.agentchannels.core;

/**
 * The one rule for short text another party chose and a person reads on one line: session titles and device
 * names, wherever they are stored or read. Control characters (C0 and C1: escape sequences, NUL, CR/LF) and
 * Unicode format characters (bidi overrides and isolates such as U+202E, zero-width characters such as U+200B)
 * are removed, since a terminal would act on the former and the latter reorder or hide what is shown; every run
 * of whitespace becomes one space, the ends are trimmed, and the result is cut at a number of code points. The
 * format characters of emoji sequences (the joiner between two pictographs, the tags of a subdivision flag) are
 * kept: they hide nothing.
 */
public final class DisplayText {

    /** The longest session title kept, in code points; longer ones are cut. */
    public static final int MAX_TITLE_LENGTH = 200;

    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int VARIATION_SELECTOR_16 = 0xFE0F;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int TAG_FIRST = 0xE0020;
    private static final int TAG_CANCEL = 0xE007F;
    /** More tags than any subdivision flag has: a longer run is hidden text, not a flag. */
    private static final int MAX_TAGS = 32;

    private DisplayText() {
    }

    /** A session title: {@link #oneLine} cut at {@value #MAX_TITLE_LENGTH}. */
    public static String title(Object raw) {
        return oneLine(raw, MAX_TITLE_LENGTH);
    }

    /**
     * @param raw a value read from a frame, a file or a command line; may be {@code null} or of any type
     * @param maxCodePoints the longest result
     * @return the cleaned text, never {@code null}; empty when {@code raw} is not a string
     */
    public static String oneLine(Object raw, int maxCodePoints) {
        if (!(raw instanceof String text)) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxCodePoints * 2));
        int kept = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < text.length() && kept < maxCodePoints;) {
            int cp = text.codePointAt(i);
            int at = i;
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (isHidden(text, at)) {
                continue;
            }
            if (pendingSpace) {
                if (kept + 1 >= maxCodePoints) {
                    break; // a trailing space would be trimmed anyway
                }
                out.append(' ');
                kept++;
                pendingSpace = false;
            }
            out.appendCodePoint(cp);
            kept++;
        }
        return out.toString();
    }

    /**
     * Whether the code point at {@code index} must not reach a display as it is: a control character (tabs and
     * line breaks included), a line or paragraph separator, or a format character outside an emoji sequence.
     * The one test behind {@link #oneLine} and the command line's escaping of what it prints.
     */
    public static boolean isHidden(CharSequence text, int index) {
        int cp = Character.codePointAt(text, index);
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.FORMAT -> !inEmojiSequence(text, index, cp);
            default -> false;
        };
    }

    private static boolean inEmojiSequence(CharSequence text, int index, int cp) {
        if (cp == ZERO_WIDTH_JOINER) {
            if (index == 0 || index + 1 >= text.length()) {
                return false;
            }
            int before = Character.codePointBefore(text, index);
            int after = Character.codePointAt(text, index + 1);
            return (Character.isExtendedPictographic(before) || before == VARIATION_SELECTOR_16
                    || Character.isEmojiModifier(before)) && Character.isExtendedPictographic(after);
        }
        if (cp >= TAG_FIRST && cp <= TAG_CANCEL) {
            // tags belong to a flag only right after a black flag and the tags before them
            int i = index;
            for (int tags = 0; i > 0 && tags <= MAX_TAGS; tags++) {
                int before = Character.codePointBefore(text, i);
                if (before == BLACK_FLAG) {
                    return true;
                }
                if (before < TAG_FIRST || before >= TAG_CANCEL) {
                    return false;
                }
                i -= Character.charCount(before);
            }
        }
        return false;
    }
}
