package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.UnifiedDiff;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.SessionStatusText;
import org.eclipse.osgi.util.NLS;

/**
 * Turns transcript rows into text and style spans for the chat's StyledText: a header per row (who wrote it,
 * from which device), user text as typed, assistant text rendered from Markdown (parsed with commonmark),
 * reasoning collapsed unless shown; an agent's tool call as one header line (status, title, kind, places) that
 * opens onto its output and its diffs, a plan as a checklist. Pure: no SWT,
 * so it can be tested and run anywhere. The Markdown itself is the {@link MarkdownRenderer}'s.
 */
public final class TranscriptRenderer {

    /**
     * The kinds of span the chat paints differently; {@code PENDING_HEADER} and {@code FAILED_HEADER} head a
     * prompt not yet answered (sending or queued) and one that could not be sent. {@code CODE} is monospace, as
     * are the diff's lines ({@code DIFF_*}) and a table's cells ({@code TABLE}, its header row {@code TABLE_HEADER});
     * {@code CODE_LINK} is a link in monospace (a path in inline code or in a table); {@code DONE} and
     * {@code RUNNING} colour the marks of a finished and a running step.
     */
    public enum Style {
        HEADER, BOLD, ITALIC, CODE, INLINE_CODE, CODE_BLOCK, HEADING, LINK, CODE_LINK, QUIET, FAILED, PENDING_HEADER, FAILED_HEADER,
        NOTE, DONE, RUNNING, DIFF_ADDED, DIFF_REMOVED, DIFF_HUNK, TABLE, TABLE_HEADER
    }

    /**
     * A styled range of the rendered text.
     *
     * @param code for {@link Style#CODE_BLOCK}, the block's text, which the chat shows in a view of its own at the
     *        span's one {@link #CODE_BLOCK_OBJECT} (its lines kept whole and scrolled sideways, not wrapped);
     *        {@code null} for every other style
     */
    public record Span(int start, int length, Style style, String code) {
        public Span(int start, int length, Style style) {
            this(start, length, style, null);
        }

        /** This span {@code offset} characters further on. */
        public Span moved(int offset) {
            return new Span(start + offset, length, style, code);
        }

        /** This span cut to {@code newLength} characters. */
        public Span cut(int newLength) {
            return new Span(start, newLength, style, code);
        }
    }

    /**
     * The one character that stands for a code block in the transcript's text: the chat puts the block's own view
     * over it ({@link Span#code}), so the block's lines scroll sideways instead of wrapping as the answer's prose does.
     */
    public static final char CODE_BLOCK_OBJECT = '\uFFFC';

    /**
     * What a click (or Enter) on a {@link Hotspot} does: open or close a tool row, compare one of its diffs, open
     * the file or web page a link names ({@link LinkTarget}), copy a code block.
     */
    public enum Action {
        TOGGLE, COMPARE, OPEN, COPY
    }

    /**
     * A range of the transcript that acts when clicked.
     *
     * @param diff for {@link Action#COMPARE}, the index of the row's diff
     * @param target for {@link Action#OPEN}, the link's target as written; for {@link Action#COPY}, the code block's
     *        text (the block itself starts on the line after the hotspot, which ends its line); else {@code null}
     */
    public record Hotspot(int start, int length, Action action, int diff, String target) {
        public Hotspot(int start, int length, Action action, int diff) {
            this(start, length, action, diff, null);
        }

        /** This hotspot {@code offset} characters further on. */
        public Hotspot moved(int offset) {
            return new Hotspot(start + offset, length, action, diff, target);
        }

        public boolean contains(int offset) {
            return offset >= start && offset < start + length;
        }
    }

    /** Rendered text with its spans and hotspots (offsets relative to the text's start). */
    public record Rendered(String text, List<Span> spans, List<Hotspot> hotspots) {
        public Rendered(String text, List<Span> spans) {
            this(text, spans, List.of());
        }
    }

    /**
     * What a tool row's look depends on besides the row, asked from any thread: whether the person opened or
     * closed it, and which files its diffs name are on this machine. Both may change at any time; a row is
     * rendered from its {@link #look} taken once, so what is shown and what it was shown for agree.
     */
    public interface ToolRowView {
        /** @return the person's choice for this call: open, closed, or {@code null} when they made none */
        Boolean chosen(String toolId);

        /** Whether a diff of this path can be opened in a compare editor here (the file is on this machine). */
        boolean canCompare(String path);

        /** Every row as it opens by default, nothing to compare. */
        ToolRowView DEFAULT = new ToolRowView() {
            @Override
            public Boolean chosen(String toolId) {
                return null;
            }

            @Override
            public boolean canCompare(String path) {
                return false;
            }
        };
    }

    /**
     * What a tool row is shown with, besides the row itself.
     *
     * @param compare one bit per diff that can be compared here (a row has at most {@link ToolCall#MAX_DIFFS})
     */
    public record ToolLook(boolean expanded, int compare) {
    }

    /** The most lines of a tool call's text content shown. */
    public static final int MAX_CONTENT_LINES = 300;
    /** The most lines of diff shown for one tool call, all of its diffs together. */
    public static final int MAX_DIFF_LINES = 800;
    /** The places named in a tool row's header; more are counted. */
    public static final int HEADER_PLACES = 3;

    private final String ownDevice;
    private final boolean showReasoning;
    private final ToolRowView tools;

    /**
     * @param ownDevice this device's name: its prompts say "You", others say which device they came from
     */
    public TranscriptRenderer(String ownDevice, boolean showReasoning) {
        this(ownDevice, showReasoning, ToolRowView.DEFAULT);
    }

    public TranscriptRenderer(String ownDevice, boolean showReasoning, ToolRowView tools) {
        this.ownDevice = ownDevice == null ? "" : ownDevice;
        this.showReasoning = showReasoning;
        this.tools = tools;
    }

    /**
     * Lines longer than this are broken at their next space: a wrapped line of tens of thousands of characters
     * costs the text widget a full layout on every change, which would stall the UI thread while a long
     * answer streams. Replacing a space by a newline keeps every offset, and the break of a growing text
     * never moves (it always falls on a space that arrives after the limit), so streamed text only grows.
     */
    public static final int LONG_LINE = 1000;

    /** All {@code rows} one after the other, as the transcript shows them. */
    public Rendered render(List<TranscriptRow> rows) {
        StringBuilder text = new StringBuilder();
        List<Span> spans = new ArrayList<>();
        List<Hotspot> hotspots = new ArrayList<>();
        for (TranscriptRow row : rows) {
            Rendered r = renderRow(row, look(row));
            int offset = text.length();
            text.append(r.text());
            r.spans().forEach(s -> spans.add(s.moved(offset)));
            r.hotspots().forEach(h -> hotspots.add(h.moved(offset)));
        }
        return new Rendered(text.toString(), List.copyOf(spans), List.copyOf(hotspots));
    }

    /**
     * What a row is shown with besides itself: a {@link ToolLook} for a tool row an agent reports in detail,
     * {@code null} for every other row. A row shown with one look is shown again when its look changes.
     */
    public Object look(TranscriptRow row) {
        ToolCall call = row.tool();
        if (!TranscriptRow.TOOL.equals(row.role()) || call == null || !hasDetail(call)) {
            return null;
        }
        Boolean chosen = tools.chosen(call.id());
        boolean expanded = chosen != null ? chosen : expandedByDefault(row.status());
        int compare = 0;
        if (expanded) { // a closed row shows no links, so nothing need be known of its files
            for (int i = 0; i < call.diffs().size() && i < 31; i++) {
                if (tools.canCompare(call.diffs().get(i).path())) {
                    compare |= 1 << i;
                }
            }
        }
        return new ToolLook(expanded, compare);
    }

    /** A tool call is open while it waits or runs, and when it failed (to show why); closed once it completed. */
    public static boolean expandedByDefault(String status) {
        return !ToolCall.COMPLETED.equals(status);
    }

    /** Whether a tool call has more to show than its header. */
    public static boolean hasDetail(ToolCall call) {
        return !call.content().isEmpty() || !call.diffs().isEmpty() || call.truncated();
    }

    /** One row as the transcript shows it, with its {@link #look}; it ends with a blank line, as every row does. */
    public Rendered renderRow(TranscriptRow row, Object look) {
        StyledTextBuilder b = new StyledTextBuilder();
        row(b, row, look);
        Rendered r = b.build();
        return new Rendered(breakLongLines(r.text()), r.spans(), r.hotspots());
    }

    /** {@code text} with the first space at or after column {@link #LONG_LINE} of each line made a newline. */
    public static String breakLongLines(String text) {
        char[] chars = null;
        int column = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                column = 0;
            } else if (c == ' ' && column >= LONG_LINE) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\n';
                column = 0;
            } else {
                column++;
            }
        }
        return chars == null ? text : new String(chars);
    }

    private void row(StyledTextBuilder b, TranscriptRow row, Object look) {
        switch (row.role()) {
            case TranscriptRow.USER -> {
                b.styled(userHeader(row.senderDevice()), Style.HEADER).text("\n");
                b.text(row.text()).text("\n\n");
            }
            case TranscriptRow.TOOL -> {
                if (row.tool() == null && row.status().isEmpty()) { // a Hermes tool row: its name and context
                    b.styled("\u2699 " + row.toolName() + (row.text().isEmpty() ? "" : ": " + row.text()), Style.QUIET);
                } else {
                    toolRow(b, row, look instanceof ToolLook l ? l : null);
                }
                b.text("\n\n");
            }
            case TranscriptRow.PLAN -> planRow(b, row.plan());
            case TranscriptRow.ASSISTANT -> {
                String header = Messages.Chat_assistant;
                if ("interrupted".equals(row.status())) {
                    header += " \u2014 " + Messages.Chat_interrupted;
                } else if ("error".equals(row.status())) {
                    header += " \u2014 " + Messages.Chat_failed;
                }
                if (row.truncated()) {
                    header += " \u2014 " + Messages.Chat_truncated;
                }
                b.styled(header, Style.HEADER).text("\n");
                if (!row.reasoning().isEmpty()) {
                    if (showReasoning) {
                        b.styled(row.reasoning(), Style.ITALIC).text("\n");
                    } else {
                        b.styled(NLS.bind(Messages.Chat_reasoningHidden, row.reasoning().length()), Style.QUIET).text("\n");
                    }
                }
                if ("error".equals(row.status())) {
                    b.styled(row.text(), Style.FAILED);
                } else {
                    MarkdownRenderer.render(b, row.text());
                }
                b.text("\n\n");
            }
            case TranscriptRow.SYSTEM -> b.styled(Messages.Chat_note, Style.HEADER).text("\n")
                    .styled(SessionStatusText.note(row), Style.QUIET).text("\n\n");
            default -> b.styled(row.role(), Style.HEADER).text("\n").text(row.text()).text("\n\n");
        }
    }

    /**
     * A tool call's header line: an open/closed mark (when it has more to show), its status mark, title and
     * context, then quietly its kind, places and status in words (what a screen reader says for the mark).
     * Open, its text content follows in monospace, then each diff as a unified diff.
     */
    private void toolRow(StyledTextBuilder b, TranscriptRow row, ToolLook look) {
        ToolCall call = row.tool();
        int start = b.length();
        if (look != null) {
            b.text(look.expanded() ? "\u25be " : "\u25b8 ");
        }
        b.styled(statusMark(row.status()), statusStyle(row.status())).text(" ");
        String title = row.toolName().isEmpty() && call != null ? call.kind() : row.toolName();
        // the context line is for clients that show no detail: with it, the kind and places below say the same
        b.text(title + (call != null || row.text().isEmpty() ? "" : ": " + row.text()));
        String kind = call != null && !call.kind().isEmpty() && !call.kind().equals(title) ? call.kind() : "";
        Places places = call == null ? new Places(List.of(), 0) : places(call);
        if (!kind.isEmpty() || !places.shown().isEmpty()) {
            b.styled("  \u00b7 " + kind, Style.QUIET);
        }
        for (int i = 0; i < places.shown().size(); i++) {
            Place p = places.shown().get(i);
            b.styled(i > 0 ? ", " : kind.isEmpty() ? "" : " \u00b7 ", Style.QUIET);
            b.link(p.label(), p.target(), Style.LINK, Style.QUIET);
        }
        if (places.more() > 0) {
            b.styled(" " + NLS.bind(Messages.Tool_morePlaces, places.more()), Style.QUIET);
        }
        String status = statusWord(row.status());
        if (!status.isEmpty()) {
            b.styled(" \u2014 " + status, Style.QUIET);
        }
        if (look != null) {
            b.hotspot(start, Action.TOGGLE, -1);
        }
        if (look == null || !look.expanded()) {
            return;
        }
        if (!call.content().isEmpty()) {
            b.text("\n");
            content(b, call.content());
        }
        int budget = MAX_DIFF_LINES;
        for (int i = 0; i < call.diffs().size(); i++) {
            budget = diff(b, call.diffs().get(i), i, (look.compare() & (1 << i)) != 0, budget);
        }
        if (call.truncated()) {
            b.text("\n").styled(Messages.Tool_truncated, Style.NOTE);
        }
    }

    /** The text content in monospace, at most {@link #MAX_CONTENT_LINES} lines. */
    private static void content(StyledTextBuilder b, String content) {
        String text = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        int end = text.length();
        int newline = -1;
        for (int line = 0; line < MAX_CONTENT_LINES; line++) {
            newline = text.indexOf('\n', newline + 1);
            if (newline < 0) {
                break;
            }
            if (line == MAX_CONTENT_LINES - 1) {
                end = newline; // the last line shown ends here
            }
        }
        b.linked(text.substring(0, end), Style.CODE, Style.CODE_LINK);
        if (end < text.length()) {
            long more = text.chars().skip(end + 1).filter(c -> c == '\n').count() + 1;
            b.text("\n").styled(NLS.bind(Messages.Tool_moreLines, more), Style.QUIET);
        }
    }

    /** One diff: its path (and the compare link), then its lines within {@code budget}. @return the budget left */
    private static int diff(StyledTextBuilder b, ToolCall.Diff diff, int index, boolean compare, int budget) {
        UnifiedDiff.Result result = UnifiedDiff.of(diff.oldText(), diff.newText(), Math.max(0, budget));
        b.text("\n").link(diff.path(), diff.path(), Style.LINK, Style.BOLD);
        b.styled("  +" + result.added() + " \u2212" + result.removed(), Style.QUIET);
        if (compare) {
            b.text("  ");
            int link = b.length();
            b.styled(Messages.Tool_compare, Style.LINK);
            b.hotspot(link, Action.COMPARE, index);
        }
        if (result.isEmpty()) {
            b.text("\n").styled(Messages.Tool_noChange, Style.QUIET);
        }
        for (UnifiedDiff.Line line : result.lines()) {
            b.text("\n").styled(line.marked(), switch (line.kind()) {
                case HUNK -> Style.DIFF_HUNK;
                case ADDED -> Style.DIFF_ADDED;
                case REMOVED -> Style.DIFF_REMOVED;
                case CONTEXT -> Style.CODE;
            });
        }
        if (result.omitted() > 0) {
            b.text("\n").styled(NLS.bind(Messages.Tool_moreDiffLines, result.omitted()), Style.QUIET);
        }
        return budget - result.lines().size();
    }

    /** A place a tool row's header names: its file's name (and line), linked to its path (and line). */
    record Place(String label, String target) {
    }

    /** The places a header shows, and how many more there are. */
    record Places(List<Place> shown, int more) {
    }

    /** The files a call works on, by name (and line), the first few of them; its diffs' files when it names none. */
    static Places places(ToolCall call) {
        java.util.Map<String, Place> all = new java.util.LinkedHashMap<>();
        for (ToolCall.Location l : call.locations()) {
            String line = l.line() > 0 ? ":" + l.line() : "";
            all.putIfAbsent(fileName(l.path()) + line, new Place(fileName(l.path()) + line, l.path() + line));
        }
        if (all.isEmpty()) {
            for (ToolCall.Diff d : call.diffs()) {
                all.putIfAbsent(fileName(d.path()), new Place(fileName(d.path()), d.path()));
            }
        }
        List<Place> distinct = all.values().stream().filter(p -> !p.label().isEmpty()).toList();
        int shown = Math.min(HEADER_PLACES, distinct.size());
        return new Places(distinct.subList(0, shown), distinct.size() - shown);
    }

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    /** The mark of a tool call's or a plan step's status. */
    static String statusMark(String status) {
        return switch (status) {
            case ToolCall.PENDING -> "\u25cb";
            case ToolCall.IN_PROGRESS -> "\u25d0";
            case ToolCall.COMPLETED -> "\u2713";
            case ToolCall.FAILED -> "\u2717";
            default -> "\u2699";
        };
    }

    private static Style statusStyle(String status) {
        return switch (status) {
            case ToolCall.IN_PROGRESS -> Style.RUNNING;
            case ToolCall.COMPLETED -> Style.DONE;
            case ToolCall.FAILED -> Style.FAILED;
            default -> Style.QUIET;
        };
    }

    /** A tool call's status in words, empty when the gateway says none. */
    public static String statusWord(String status) {
        return switch (status) {
            case ToolCall.PENDING -> Messages.Tool_pending;
            case ToolCall.IN_PROGRESS -> Messages.Tool_inProgress;
            case ToolCall.COMPLETED -> Messages.Tool_completed;
            case ToolCall.FAILED -> Messages.Tool_failed;
            default -> status;
        };
    }

    /** A plan as a checklist under a header that counts the steps done; the step being worked on in bold. */
    private static void planRow(StyledTextBuilder b, List<PlanEntry> plan) {
        long done = plan.stream().filter(PlanEntry::isCompleted).count();
        b.styled(Messages.Plan_title, Style.HEADER)
                .styled("  " + NLS.bind(Messages.Plan_progress, done, plan.size()), Style.QUIET).text("\n");
        for (PlanEntry e : plan) {
            String status = ToolCall.IN_PROGRESS.equals(e.status()) || e.isCompleted() ? e.status() : ToolCall.PENDING;
            b.styled(statusMark(status), statusStyle(status)).text(" ");
            if (ToolCall.IN_PROGRESS.equals(status)) {
                b.styled(e.content(), Style.BOLD);
            } else if (e.isCompleted()) {
                b.styled(e.content(), Style.QUIET);
            } else {
                b.text(e.content());
            }
            String priority = switch (e.priority()) {
                case "high" -> Messages.Plan_high;
                case "medium" -> Messages.Plan_medium;
                case "low" -> Messages.Plan_low;
                default -> e.priority();
            };
            if (!priority.isEmpty()) {
                b.styled("  \u00b7 " + priority, Style.QUIET);
            }
            b.text("\n");
        }
        b.text("\n");
    }

    /** What separates two pieces rendered by {@link #markdownFragment}, as it separates the blocks of an answer. */
    public static final String BLOCK_SEPARATOR = "\n\n";

    /** Renders a piece of an answer still streaming (whole Markdown blocks) as the finished answer will be. */
    public Rendered markdownFragment(String source) {
        StyledTextBuilder b = new StyledTextBuilder();
        MarkdownRenderer.render(b, source);
        return b.build();
    }

    /**
     * Where the finished blocks of a Markdown text still being written end: after its last blank line outside
     * a fenced code block, looking from {@code from} (an earlier such end, or 0). What comes before does not
     * change as text is added, except for the rare list item or quote continued after a blank line; the
     * finished answer is rendered whole, so such a difference lasts only while the turn streams.
     */
    public static int finishedBlocksEnd(String text, int from) {
        int end = from;
        boolean inFence = false;
        int lineStart = from;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) != '\n') {
                continue;
            }
            String line = text.substring(lineStart, i).strip();
            if (line.startsWith("```") || line.startsWith("~~~")) {
                inFence = !inFence;
            } else if (line.isEmpty() && !inFence) {
                end = i + 1;
            }
            lineStart = i + 1;
        }
        return end;
    }

    /** The header of the assistant's row while its answer streams. */
    public static String streamingHeader() {
        return Messages.Chat_assistant + " \u2026";
    }

    public String userHeader(String senderDevice) {
        if (senderDevice.isEmpty() || senderDevice.equals(ownDevice)) {
            return Messages.Chat_you;
        }
        return NLS.bind(Messages.Chat_fromDevice, senderDevice);
    }
}
