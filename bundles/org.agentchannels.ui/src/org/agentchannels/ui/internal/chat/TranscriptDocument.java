package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.eclipse.osgi.util.NLS;

/**
 * What the chat's transcript shows, and what changed since it was last shown: no display, no widgets, so it
 * is tested as plain Java. It holds the window of rows shown (the latest {@link #WINDOW}, more on request),
 * the length of the text that no longer changes (the rows laid out), the tail after it (prompts waiting and
 * the answer streaming, its finished Markdown blocks rendered and the block being written as plain text),
 * and turns each new state into the one {@link Edit} that replaces only the characters that differ.
 */
public final class TranscriptDocument {

    /**
     * How many of the latest rows the transcript holds: laying out (and scrolling past) every wrapped line of
     * ten thousand messages takes the text widget most of a second, so older ones come on request.
     */
    public static final int WINDOW = 200;

    /** Replace {@code length} characters at {@code start} by {@code text}, then apply {@code spans} (offsets in the document). */
    public record Edit(int start, int length, String text, List<Span> spans) {
    }

    /** A rendering of the whole window to make off the UI thread, and to hand back to {@link #finishFullRender}. */
    public record FullRender(int generation, int firstRow, List<TranscriptRow> rows, boolean keepTop) {
    }

    private int renderedRows;
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

    /** Whether the whole window must be rendered again: asked for, or the model has fewer rows than shown. */
    public boolean needsFullRender(int rowCount) {
        return fullRenderWanted || renderedRows > rowCount;
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
    public FullRender startFullRender(SessionModel model) {
        int count = model.rowCount();
        int from = Math.max(0, count - shownWindow);
        boolean keepTop = keepTopOnce;
        keepTopOnce = false;
        fullRenderWanted = false;
        renderingAll = true;
        return new FullRender(++generation, from, model.rows(from, count), keepTop);
    }

    public boolean isRenderingAll() {
        return renderingAll;
    }

    /**
     * Takes the text of a full render as the transcript's whole text.
     *
     * @return false when a newer full render is on its way (this one is to be dropped)
     */
    public boolean finishFullRender(FullRender render, Rendered rendered) {
        if (render.generation() != generation) {
            return false;
        }
        renderedRows = render.firstRow() + render.rows().size();
        committedLength = rendered.text().length();
        shownTail = "";
        renderingAll = false;
        return true;
    }

    /**
     * Everything after the rows already shown: rows finished since, prompts not yet started, and the answer
     * streaming, its finished Markdown blocks rendered and the block being written as plain text. Only what
     * changed is replaced: while a turn streams that is the new characters, and when it ends, only the
     * header of the row (the streamed answer is already rendered as the finished one), so a long answer is
     * not laid out again.
     *
     * @return the edit that brings the shown text up to date, empty when it already is
     */
    public Optional<Edit> updateTail(SessionModel model, TranscriptRenderer renderer) {
        StringBuilder tail = new StringBuilder();
        List<Span> spans = new ArrayList<>();
        int newRows = 0;
        if (model.rowCount() > renderedRows) {
            List<TranscriptRow> fresh = model.rows(renderedRows, Integer.MAX_VALUE);
            Rendered r = renderer.render(fresh);
            tail.append(r.text());
            spans.addAll(flatten(r.spans(), 0));
            newRows = fresh.size();
        }
        int rowsLength = tail.length();
        StringBuilder pending = new StringBuilder();
        for (OutgoingPrompt p : model.outgoing()) {
            int start = pending.length();
            pending.append(renderer.userHeader(p.senderDevice())).append(" \u2014 ").append(switch (p.state()) {
                case SENDING -> Messages.Chat_sending;
                case ACCEPTED -> Messages.Chat_queued;
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
        committedLength += rowsLength;
        renderedRows += newRows;
        shownTail = next.substring(rowsLength);
        return edit;
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
                streamRenderedSpans.add(new Span(span.start() + offset, span.length(), span.style()));
            }
        }
        streamRenderedSource = streamed.substring(0, end);
    }

    private void resetStreamRendering() {
        streamRenderedSource = "";
        streamRenderedText.setLength(0);
        streamRenderedSpans.clear();
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
                touched.add(new Span(span.start() + start, span.length(), span.style()));
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
                Span moved = new Span(span.start() + offset, span.length(), span.style());
                flat.add(moved);
                end = moved.start() + moved.length();
            }
        }
        return flat;
    }
}
