package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Hotspot;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.eclipse.osgi.util.NLS;

/**
 * What the chat's transcript shows, and what changed since it was last shown: no display, no widgets, so it
 * is tested as plain Java. It holds the window of rows shown (the latest {@link #WINDOW}, more on request),
 * each row's rendered length (rows are added, and an agent's tool and plan rows are replaced in place: such a
 * row, or one whose look changed, is rendered again alone), the tail after the rows (prompts waiting and the
 * answer streaming, its finished Markdown blocks rendered and the block being written as plain text), and turns
 * each new state into the few {@link Edit}s that replace only the characters that differ.
 */
public final class TranscriptDocument {

    /**
     * How many of the latest rows the transcript holds: laying out (and scrolling past) every wrapped line of
     * ten thousand messages takes the text widget most of a second, so older ones come on request.
     */
    public static final int WINDOW = 200;

    /**
     * Replace {@code length} characters at {@code start} by {@code text}, then apply {@code spans} (offsets in the
     * document). When {@code restyleLength} is positive, every style from {@code restyleStart} on for that many
     * characters is replaced by {@code spans} (a row rendered again may change a style where its text stays).
     */
    public record Edit(int start, int length, String text, List<Span> spans, int restyleStart, int restyleLength) {
        public Edit(int start, int length, String text, List<Span> spans) {
            this(start, length, text, spans, start, 0);
        }
    }

    /**
     * A row as shown: its length, what it was shown with, where it acts on a click, and its text when it is a
     * row an agent may replace ({@code null} for the others).
     */
    public record ShownRow(TranscriptRow row, Object look, int length, List<Hotspot> hotspots, String text) {
    }

    /** The rendered rows of a {@link FullRender}: the whole text, and each row as shown. */
    public record FullText(Rendered rendered, List<ShownRow> rows) {
    }

    /**
     * A rendering of the whole window to make off the UI thread ({@link #render}), and to hand back to
     * {@link #finishFullRender}.
     */
    public record FullRender(int generation, int firstRow, List<TranscriptRow> rows, boolean keepTop,
            TranscriptRenderer renderer) {

        /** Renders the rows; any thread. */
        public FullText render() {
            StringBuilder text = new StringBuilder();
            List<Span> spans = new ArrayList<>();
            List<ShownRow> shown = new ArrayList<>(rows.size());
            for (TranscriptRow row : rows) {
                Object look = renderer.look(row);
                Rendered r = renderer.renderRow(row, look);
                int offset = text.length();
                text.append(r.text());
                r.spans().forEach(s -> spans.add(s.moved(offset)));
                shown.add(shown(row, look, r));
            }
            return new FullText(new Rendered(text.toString(), spans), shown);
        }
    }

    /**
     * A hotspot shown, found at an offset: the row it belongs to ({@code null} for the answer still streaming),
     * where it starts in the document.
     */
    public record Hit(TranscriptRow row, Hotspot hotspot, int start) {
    }

    /**
     * About how many characters of rows a full render shows at once, and each later slice adds above them: some 150
     * wrapped lines of history, which the text widget lays out in 8 to 20 ms on these 2-core machines (B9).
     */
    public static final int SLICE_CHARS = 3_000;

    private int firstRow;
    private final List<ShownRow> shown = new ArrayList<>();
    /**
     * The rows of the last full render not yet shown, above the shown ones; their text (the full render's, up to
     * {@code waitingEnd}: a slice is cut off the end without copying the rest) and (ordered) spans.
     */
    private final List<ShownRow> waiting = new ArrayList<>();
    private String waitingText = "";
    private int waitingEnd;
    private List<Span> waitingSpans = new ArrayList<>();
    private int generation;
    private boolean renderingAll;
    private boolean fullRenderWanted;
    private int shownWindow = WINDOW;
    private boolean keepTopOnce;
    private int committedLength;
    private String shownTail = "";
    /** The start of the streaming answer rendered as Markdown so far (its finished blocks), and the result. */
    private String streamRenderedSource = "";
    private final StringBuilder streamRenderedText = new StringBuilder();
    private final List<Span> streamRenderedSpans = new ArrayList<>();
    private final List<Hotspot> streamRenderedHotspots = new ArrayList<>();
    /** Where the streaming answer's rendered blocks start in the shown text; -1 when no answer streams there. */
    private int streamStart = -1;

    private static ShownRow shown(TranscriptRow row, Object look, Rendered r) {
        // the text of a row that may be replaced is kept, so its next rendering replaces only what differs
        boolean replaceable = TranscriptRow.TOOL.equals(row.role()) || TranscriptRow.PLAN.equals(row.role());
        return new ShownRow(row, look, r.text().length(), r.hotspots(), replaceable ? r.text() : null);
    }

    private int renderedRows() {
        return firstRow + shown.size();
    }

    /** Whether the whole window must be rendered again: asked for, or the model has fewer rows than shown. */
    public boolean needsFullRender(int rowCount) {
        return fullRenderWanted || renderedRows() > rowCount;
    }

    /** Asks for the whole window to be rendered again (reasoning shown or hidden, say). */
    public void requestFullRender() {
        fullRenderWanted = true;
    }

    /** Shows {@link #WINDOW} more of the older rows; the next full render keeps the view at the top. */
    public void showEarlier() {
        shownWindow += WINDOW;
        keepTopOnce = true;
        fullRenderWanted = true;
    }

    /** Starts a full render of the window; tail updates wait until the newest one is {@linkplain #finishFullRender in}. */
    public FullRender startFullRender(SessionModel model, TranscriptRenderer renderer) {
        int count = model.rowCount();
        int from = Math.max(0, count - shownWindow);
        boolean keepTop = keepTopOnce;
        keepTopOnce = false;
        fullRenderWanted = false;
        renderingAll = true;
        waiting.clear(); // what the new render shows replaces them
        waitingText = "";
        waitingEnd = 0;
        waitingSpans = new ArrayList<>();
        return new FullRender(++generation, from, model.rows(from, count), keepTop, renderer);
    }

    public boolean isRenderingAll() {
        return renderingAll;
    }

    /**
     * Takes a full render as what the transcript shows. Unless it keeps the top (older rows asked for), only its
     * latest rows are shown at once, about {@link #SLICE_CHARS} characters of them, and the rows before them wait to
     * be {@linkplain #showEarlierSlice shown a slice at a time}: the text widget lays out (and scrolls past) every
     * wrapped line it is given at once, which for a whole window takes it several frames.
     *
     * @return what to show now, the transcript's whole text; empty when a newer full render is on its way (this one
     *         is to be dropped)
     */
    public Optional<Rendered> finishFullRender(FullRender render, FullText text) {
        if (render.generation() != generation) {
            return Optional.empty();
        }
        List<ShownRow> rows = text.rows();
        int cut = render.keepTop() ? 0 : rowsBeforeLastSlice(rows, rows.size());
        int cutOffset = 0;
        for (int i = 0; i < cut; i++) {
            cutOffset += rows.get(i).length();
        }
        String all = text.rendered().text();
        List<Span> spans = flatten(text.rendered().spans(), 0);
        int firstShownSpan = firstSpanFrom(spans, cutOffset);
        waiting.clear();
        waiting.addAll(rows.subList(0, cut));
        waitingText = cut > 0 ? all : "";
        waitingEnd = cutOffset;
        waitingSpans = new ArrayList<>(spans.subList(0, firstShownSpan));
        firstRow = render.firstRow() + cut;
        shown.clear();
        shown.addAll(rows.subList(cut, rows.size()));
        committedLength = all.length() - cutOffset;
        shownTail = "";
        streamStart = -1;
        renderingAll = false;
        return Optional.of(new Rendered(all.substring(cutOffset),
                flatten(spans.subList(firstShownSpan, spans.size()), -cutOffset)));
    }

    /** Whether rows of the last full render still wait to be shown above the others. */
    public boolean hasEarlierSlice() {
        return !waiting.isEmpty();
    }

    /**
     * Shows the next slice of the rows waiting above the shown ones (about {@link #SLICE_CHARS} characters, one row
     * at least): the edit inserts them at the start.
     *
     * @return the edit; empty when no row waits
     */
    public Optional<Edit> showEarlierSlice() {
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        int from = rowsBeforeLastSlice(waiting, waiting.size());
        int length = 0;
        for (int i = from; i < waiting.size(); i++) {
            length += waiting.get(i).length();
        }
        int start = waitingEnd - length;
        int firstSpan = firstSpanFrom(waitingSpans, start);
        Edit edit = new Edit(0, 0, waitingText.substring(start, waitingEnd),
                flatten(waitingSpans.subList(firstSpan, waitingSpans.size()), -start), 0, length);
        List<ShownRow> slice = waiting.subList(from, waiting.size());
        shown.addAll(0, slice);
        firstRow -= slice.size();
        slice.clear();
        waitingEnd = start;
        if (waiting.isEmpty()) {
            waitingText = ""; // the full render's text is let go
        }
        waitingSpans.subList(firstSpan, waitingSpans.size()).clear();
        committedLength += length;
        if (streamStart >= 0) {
            streamStart += length;
        }
        return Optional.of(edit);
    }

    /** Where the last slice of {@code rows[0, end)} starts: about {@link #SLICE_CHARS} characters, one row at least. */
    private static int rowsBeforeLastSlice(List<ShownRow> rows, int end) {
        int from = end;
        int chars = 0;
        while (from > 0 && (from == end || chars + rows.get(from - 1).length() <= SLICE_CHARS)) {
            chars += rows.get(--from).length();
        }
        return from;
    }

    /** The index of the first of the ordered {@code spans} that starts at {@code offset} or after it. */
    private static int firstSpanFrom(List<Span> spans, int offset) {
        int low = 0;
        int high = spans.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (spans.get(mid).start() < offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Brings the shown text up to date: first the rows shown that the model replaced (or whose look changed),
     * each rendered again alone and only its differing characters replaced; then everything after the rows:
     * rows added since, prompts not yet started, and the answer streaming, its finished Markdown blocks
     * rendered and the block being written as plain text. While a turn streams the tail's edit is the new
     * characters, and when it ends, only the header of the row (the streamed answer is already rendered as the
     * finished one), so a long answer is not laid out again.
     *
     * @return the edits, to apply in order; empty when the text is up to date
     */
    public List<Edit> update(SessionModel model, TranscriptRenderer renderer) {
        List<Edit> edits = new ArrayList<>();
        replacedRows(model, renderer, edits);
        tail(model, renderer).ifPresent(edits::add);
        return edits;
    }

    /** The shown rows that changed, each as one edit; a row the same but for its identity is just taken. */
    private void replacedRows(SessionModel model, TranscriptRenderer renderer, List<Edit> edits) {
        if (shown.isEmpty()) {
            return;
        }
        List<TranscriptRow> now = model.rows(firstRow, renderedRows());
        int offset = 0;
        for (int i = 0; i < shown.size() && i < now.size(); i++) {
            ShownRow before = shown.get(i);
            TranscriptRow row = now.get(i);
            // a tool row's look may change while the row stays (opened, its file found here)
            if (row != before.row() || TranscriptRow.TOOL.equals(row.role())) {
                Object look = renderer.look(row);
                if (!row.equals(before.row()) || !Objects.equals(look, before.look())) {
                    Rendered r = renderer.renderRow(row, look);
                    edits.add(rowEdit(offset, before, r));
                    committedLength += r.text().length() - before.length();
                    shown.set(i, shown(row, look, r));
                } else if (row != before.row()) {
                    shown.set(i, new ShownRow(row, look, before.length(), before.hotspots(), before.text()));
                }
            }
            offset += shown.get(i).length();
        }
    }

    /**
     * The edit that replaces a row shown at {@code start}: only the characters that differ from what it showed
     * when that is known, else the whole row; the row's styles are set again whole either way.
     */
    private static Edit rowEdit(int start, ShownRow before, Rendered next) {
        List<Span> spans = flatten(next.spans(), start);
        if (before.text() == null) {
            return new Edit(start, before.length(), next.text(), spans, start, next.text().length());
        }
        Edit text = changed(start, before.text(), next.text(), List.of());
        return new Edit(text.start(), text.length(), text.text(), spans, start, next.text().length());
    }

    /** The edit of everything after the rows: rows added since, prompts waiting, the streaming answer. */
    private Optional<Edit> tail(SessionModel model, TranscriptRenderer renderer) {
        StringBuilder tail = new StringBuilder();
        List<Span> spans = new ArrayList<>();
        List<ShownRow> fresh = new ArrayList<>();
        if (model.rowCount() > renderedRows()) {
            for (TranscriptRow row : model.rows(renderedRows(), Integer.MAX_VALUE)) {
                Object look = renderer.look(row);
                Rendered r = renderer.renderRow(row, look);
                spans.addAll(flatten(r.spans(), tail.length()));
                tail.append(r.text());
                fresh.add(shown(row, look, r));
            }
        }
        int rowsLength = tail.length();
        int streamAt = -1;
        StringBuilder pending = new StringBuilder();
        for (OutgoingPrompt p : model.outgoing()) {
            int start = pending.length();
            pending.append(renderer.userHeader(p.senderDevice())).append(" \u2014 ").append(switch (p.state()) {
                case SENDING -> Messages.Chat_sending;
                case ACCEPTED, HELD -> Messages.Chat_queued; // held here or queued there: it waits for its turn
                case FAILED -> NLS.bind(Messages.Chat_notSent, p.failure());
            }).append('\n');
            spans.add(new Span(rowsLength + start, pending.length() - start,
                    p.state() == OutgoingPrompt.State.FAILED ? Style.FAILED_HEADER : Style.PENDING_HEADER));
            pending.append(p.text()).append("\n\n");
        }
        if (model.isStreaming()) {
            int start = pending.length();
            pending.append(TranscriptRenderer.streamingHeader()).append('\n');
            spans.add(new Span(rowsLength + start, pending.length() - start, Style.HEADER));
            String streamed = model.streamingText();
            renderFinishedBlocks(streamed, renderer);
            spans.addAll(flatten(streamRenderedSpans, rowsLength + pending.length()));
            streamAt = rowsLength + pending.length();
            pending.append(streamRenderedText);
            String rest = streamed.substring(streamRenderedSource.length());
            if (streamRenderedText.length() > 0 && !rest.isEmpty()) {
                pending.append(TranscriptRenderer.BLOCK_SEPARATOR);
            }
            pending.append(rest).append("\n\n"); // as the finished row ends, so finishing changes only its header
        } else {
            resetStreamRendering();
        }
        tail.append(TranscriptRenderer.breakLongLines(pending.toString()));
        String next = tail.toString();
        Optional<Edit> edit = next.equals(shownTail) ? Optional.empty()
                : Optional.of(changed(committedLength, shownTail, next, spans));
        streamStart = streamAt < 0 ? -1 : committedLength + streamAt;
        committedLength += rowsLength;
        shown.addAll(fresh);
        shownTail = next.substring(rowsLength);
        return edit;
    }

    /**
     * The hotspot at {@code offset} of the document (a tool row's header, a diff's compare link, a link, a code
     * block's Copy), if any; of hotspots inside one another (a link in a tool row's header), the innermost.
     * Walks the rows shown: a click's work, not a frame's.
     */
    public Optional<Hit> hotspotAt(int offset) {
        return near(offset).flatMap(near -> {
            Hotspot best = null;
            for (Hotspot h : near.hotspots()) {
                if (h.contains(offset - near.start()) && (best == null || h.length() < best.length())) {
                    best = h;
                }
            }
            return best == null ? Optional.empty() : Optional.of(new Hit(near.row(), best, near.start() + best.start()));
        });
    }

    /**
     * The text of the code block at {@code offset} (on its Copy link, or in its text), if any: what Copy Code
     * Block copies there.
     */
    public Optional<String> codeBlockAt(int offset) {
        return near(offset).flatMap(near -> {
            for (Hotspot h : near.hotspots()) {
                if (h.action() != TranscriptRenderer.Action.COPY || h.target() == null) {
                    continue;
                }
                int from = near.start() + h.start();
                int blockEnd = from + h.length() + 1 + 1; // the block's one character starts the next line
                if (offset >= from && offset <= blockEnd) {
                    return Optional.of(h.target());
                }
            }
            return Optional.empty();
        });
    }

    /** The hotspots of the row shown at an offset, or of the streaming answer, and where their offsets count from. */
    private record Near(TranscriptRow row, List<Hotspot> hotspots, int start) {
    }

    private Optional<Near> near(int offset) {
        int start = 0;
        for (ShownRow s : shown) {
            if (offset < start) {
                break;
            }
            if (offset < start + s.length()) {
                return Optional.of(new Near(s.row(), s.hotspots(), start));
            }
            start += s.length();
        }
        if (streamStart >= 0 && offset >= streamStart) {
            return Optional.of(new Near(null, streamRenderedHotspots, streamStart));
        }
        return Optional.empty();
    }

    /** Renders the blocks of the streaming answer finished since the last call, as Markdown. */
    private void renderFinishedBlocks(String streamed, TranscriptRenderer renderer) {
        if (!streamed.startsWith(streamRenderedSource)) {
            resetStreamRendering(); // a new turn
        }
        int from = streamRenderedSource.length();
        int end = TranscriptRenderer.finishedBlocksEnd(streamed, from);
        if (end == from) {
            return;
        }
        Rendered chunk = renderer.markdownFragment(streamed.substring(from, end));
        if (!chunk.text().isEmpty()) {
            if (streamRenderedText.length() > 0) {
                streamRenderedText.append(TranscriptRenderer.BLOCK_SEPARATOR);
            }
            int offset = streamRenderedText.length();
            streamRenderedText.append(chunk.text());
            for (Span span : chunk.spans()) {
                streamRenderedSpans.add(span.moved(offset));
            }
            for (Hotspot h : chunk.hotspots()) {
                if (streamRenderedHotspots.size() < StyledTextBuilder.MAX_LINKS) { // as for a row, bounded
                    streamRenderedHotspots.add(h.moved(offset));
                }
            }
        }
        streamRenderedSource = streamed.substring(0, end);
    }

    private void resetStreamRendering() {
        streamRenderedSource = "";
        streamRenderedText.setLength(0);
        streamRenderedSpans.clear();
        streamRenderedHotspots.clear();
    }

    /**
     * The edit that turns the text from {@code start} (which shows {@code shown}) into {@code next}: only the
     * part between their common beginning and their common end, with the spans that touch that part.
     */
    static Edit changed(int start, String shown, String next, List<Span> spans) {
        int max = Math.min(shown.length(), next.length());
        int prefix = 0;
        while (prefix < max && shown.charAt(prefix) == next.charAt(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && shown.charAt(shown.length() - 1 - suffix) == next.charAt(next.length() - 1 - suffix)) {
            suffix++;
        }
        int changedEnd = next.length() - suffix;
        List<Span> touched = new ArrayList<>();
        for (Span span : spans) {
            if (span.start() + span.length() > prefix && span.start() < changedEnd) {
                touched.add(span.moved(start));
            }
        }
        return new Edit(start + prefix, shown.length() - suffix - prefix, next.substring(prefix, changedEnd),
                List.copyOf(touched));
    }

    /**
     * {@code spans} moved by {@code offset}, in order and without overlap, as a text widget wants its styles:
     * of nested spans (bold inside a header) the outer one stays.
     */
    public static List<Span> flatten(List<Span> spans, int offset) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::start));
        List<Span> flat = new ArrayList<>();
        int end = -1;
        for (Span span : sorted) {
            if (span.start() + offset >= end) {
                Span moved = span.moved(offset);
                flat.add(moved);
                end = moved.start() + moved.length();
            }
        }
        return flat;
    }
}
