package org.agentchannels.ui.internal.chat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Edit;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullRender;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullText;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Hit;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.ToolLook;
import org.agentchannels.ui.internal.commands.Commands;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Cursor;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IWorkbenchPartSite;
import org.eclipse.ui.menus.CommandContributionItem;
import org.eclipse.ui.menus.CommandContributionItemParameter;

/**
 * The chat's transcript on screen: a read-only StyledText showing a {@link TranscriptDocument}, the "show
 * earlier" link, and the context menu (copy, copy code block, show reasoning, stop). A full render is made in a
 * Job and set a slice at a time, the latest rows first; everything else arrives as the document's small edits. Its
 * hotspots act on a click, or on Enter or Space with the caret on them: a tool row's header opens and closes it, a
 * diff's link opens the compare editor, a path or URL opens in an editor or the browser ({@link LinkOpener}), a
 * code block's Copy puts its text on the clipboard. UI thread only.
 */
final class TranscriptPane {

    /** The most open/closed choices remembered, one per tool call a person clicked. */
    static final int MAX_CHOICES = 1000;

    private static final boolean COMPARE_INSTALLED = canCompare();

    private final TranscriptDocument document = new TranscriptDocument();
    private final StyledText text;
    private final Link earlier;
    private final Composite header;
    private final Runnable repaintRequest;
    private final Font codeFont;
    /** The text font in bold, for a table's header row (a style range's font wins over its font style). */
    private final Font boldCodeFont;
    /** The workbench's header font (bold, larger), which JFace manages. */
    private final Font headingFont;
    private final ChatColors colors;
    private final LocalFiles localFiles;
    private final CodeBlockViews codeBlocks;
    /** The person's open/closed choice per tool call id, read by renderers in Jobs too. */
    private final Map<String, Boolean> choices = new ConcurrentHashMap<>();
    private final TranscriptRenderer.ToolRowView toolRows = new TranscriptRenderer.ToolRowView() {
        @Override
        public Boolean chosen(String toolId) {
            return choices.get(toolId);
        }

        @Override
        public boolean canCompare(String path) {
            return COMPARE_INSTALLED && localFiles.exists(path);
        }
    };
    private boolean showReasoning;
    private Cursor shownCursor;
    private String shownToolTip;
    private final LinkOpener links;
    /** Where the context menu was asked for (the right-click, or the caret), for Copy Code Block. */
    private int menuOffset = -1;

    /**
     * @param header the row above the transcript, where the link to earlier rows goes
     * @param repaintRequest asks the editor for a repaint (coalesced)
     * @param sessionDirectory the session's working directory on its gateway's machine, empty when unknown
     */
    TranscriptPane(Composite parent, Composite header, IWorkbenchPartSite site, Runnable repaintRequest,
            Supplier<String> sessionDirectory) {
        this.header = header;
        this.repaintRequest = repaintRequest;
        Display display = parent.getDisplay();
        codeFont = JFaceResources.getTextFont();
        boldCodeFont = JFaceResources.getFontRegistry().getBold(JFaceResources.TEXT_FONT);
        headingFont = JFaceResources.getHeaderFont();
        earlier = new Link(header, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(earlier);
        earlier.addListener(SWT.Selection, e -> showEarlier());
        text = new StyledText(parent, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        text.setMargins(8, 6, 8, 6);
        text.setData(ChatEditor.CSS_ID, "AgentChannelsTranscript");
        text.setText(Messages.Chat_attaching);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(text);
        colors = new ChatColors(display, () -> {
            document.requestFullRender(); // every style's colour may have changed
            repaintRequest.run();
        });
        localFiles = new LocalFiles(repaintRequest);
        codeBlocks = new CodeBlockViews(text, codeFont, () -> colors.codeBackground, this::copyToClipboard);
        text.setKeyBinding(SWT.MOD1 | 'C', SWT.NULL); // copied by copySelection, code blocks and all
        text.addListener(SWT.Dispose, e -> {
            colors.dispose();
            localFiles.dispose();
        });
        text.addListener(SWT.MouseUp, this::clicked);
        text.addListener(SWT.MouseMove, this::hovered);
        text.addListener(SWT.KeyDown, this::keyPressed);
        links = new LinkOpener(() -> site.getWorkbenchWindow().getActivePage(), sessionDirectory,
                message -> showStatus(site, message));
        createMenu(site);
    }

    /** A short message in the workbench's status line, while the chat is the active part. */
    private static void showStatus(IWorkbenchPartSite site, String message) {
        if (site instanceof IEditorSite editor) {
            IStatusLineManager line = editor.getActionBars().getStatusLineManager();
            if (line != null) {
                line.setMessage(message);
            }
        }
    }

    /** Whether this bundle sees org.eclipse.compare (installed, and resolved with it): its dependency is optional. */
    static boolean canCompare() {
        try {
            Class.forName("org.eclipse.compare.CompareEditorInput", false, TranscriptPane.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The context menu: copy, copy the code block there, show or hide reasoning, stop the running turn. */
    private void createMenu(IWorkbenchPartSite site) {
        MenuManager menu = new MenuManager();
        menu.add(new Action(Messages.Chat_copy) {
            @Override
            public void run() {
                copySelection();
            }
        });
        Action copyBlock = new Action(Messages.Chat_copyCodeBlock) {
            @Override
            public void run() {
                document.codeBlockAt(menuOffset).ifPresent(TranscriptPane.this::copyToClipboard);
            }
        };
        menu.add(copyBlock);
        text.addListener(SWT.MenuDetect, e -> {
            int at = e.detail == SWT.MENU_MOUSE ? text.getOffsetAtPoint(text.toControl(e.x, e.y)) : -1;
            menuOffset = at >= 0 ? at : text.getCaretOffset();
        });
        menu.addMenuListener(m -> copyBlock.setEnabled(document.codeBlockAt(menuOffset).isPresent()));
        menu.add(new Action(Messages.Chat_showReasoning, IAction.AS_CHECK_BOX) {
            @Override
            public void run() {
                setShowReasoning(isChecked());
            }
        });
        menu.add(new Separator());
        menu.add(new CommandContributionItem(new CommandContributionItemParameter(site, null, Commands.STOP_TURN,
                CommandContributionItem.STYLE_PUSH)));
        text.setMenu(menu.createContextMenu(text));
    }

    StyledText widget() {
        return text;
    }

    boolean isDisposed() {
        return text.isDisposed();
    }

    void showEarlier() {
        document.showEarlier();
        repaintRequest.run();
    }

    void setShowReasoning(boolean show) {
        showReasoning = show;
        document.requestFullRender();
        repaintRequest.run();
    }

    void showAttachFailure(String failure) {
        text.setText(NLS.bind(Messages.Chat_attachFailed, failure));
    }

    /** Whether the whole window is not in yet: its render is being made in a Job, or its older rows wait. */
    boolean isRenderingAll() {
        return document.isRenderingAll() || document.hasEarlierSlice();
    }

    /** Brings the transcript up to date with the model; {@code hydrated} says it was replaced as a whole. */
    void repaint(SessionModel model, boolean hydrated, String ownDevice) {
        TranscriptRenderer renderer = new TranscriptRenderer(ownDevice, showReasoning, toolRows);
        if (hydrated || document.needsFullRender(model.rowCount())) {
            renderAllInBackground(model, renderer);
        }
        if (!document.isRenderingAll()) {
            for (Edit edit : document.update(model, renderer)) {
                apply(edit);
            }
        }
    }

    // ------------------------------------------------------------------ tool rows: open, close, compare

    /** A click on a hotspot acts; a click that ends a selection of text does not. */
    private void clicked(Event e) {
        if (e.button != 1 || text.getSelectionCount() > 0) {
            return;
        }
        int offset = text.getOffsetAtPoint(new Point(e.x, e.y));
        if (offset >= 0) {
            document.hotspotAt(offset).ifPresent(this::act);
        }
    }

    /**
     * Enter or Space with the caret on a tool row's header opens or closes it, on a link follows it; the copy key
     * copies the selection.
     */
    private void keyPressed(Event e) {
        if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'c' || e.keyCode == 'C')) {
            copySelection();
            e.doit = false;
            return;
        }
        if (e.character == SWT.CR || e.character == ' ' || e.keyCode == SWT.KEYPAD_CR) {
            Optional<Hit> hit = document.hotspotAt(text.getCaretOffset());
            if (hit.isPresent()) {
                act(hit.get());
                e.doit = false;
            }
        }
    }

    /** Over a hotspot the hand cursor; over a link, its target as the tooltip (a tool row names a file by its name). */
    private void hovered(Event e) {
        int offset = text.getOffsetAtPoint(new Point(e.x, e.y));
        Optional<Hit> hit = offset >= 0 ? document.hotspotAt(offset) : Optional.empty();
        Cursor wanted = hit.isPresent() ? text.getDisplay().getSystemCursor(SWT.CURSOR_HAND) : null;
        if (wanted != shownCursor) {
            shownCursor = wanted;
            text.setCursor(wanted);
        }
        String tip = hit.filter(h -> h.hotspot().action() == TranscriptRenderer.Action.OPEN)
                .map(h -> h.hotspot().target()).orElse(null);
        if (!java.util.Objects.equals(tip, shownToolTip)) {
            shownToolTip = tip;
            text.setToolTipText(tip);
        }
    }

    private void act(Hit hit) {
        switch (hit.hotspot().action()) {
            case OPEN -> links.open(hit.hotspot().target());
            case COPY -> copyToClipboard(hit.hotspot().target());
            case TOGGLE -> {
                if (hit.row() != null && hit.row().tool() != null) {
                    toggle(hit.row());
                }
            }
            case COMPARE -> {
                ToolCall call = hit.row() == null ? null : hit.row().tool();
                if (call != null && hit.hotspot().diff() < call.diffs().size()) {
                    compare(call.diffs().get(hit.hotspot().diff()));
                }
            }
        }
    }

    /**
     * Puts the selection on the clipboard as a person reads it: each code block in it as the block's text, where
     * the transcript itself holds one character for the block.
     */
    void copySelection() {
        Point range = text.getSelectionRange();
        if (range.y == 0) {
            return;
        }
        String selected = text.getTextRange(range.x, range.y);
        StringBuilder out = new StringBuilder(selected.length());
        for (int i = 0; i < selected.length(); i++) {
            char c = selected.charAt(i);
            if (c == TranscriptRenderer.CODE_BLOCK_OBJECT) {
                String code = codeBlocks.codeAt(range.x + i);
                out.append(code == null ? "" : code);
            } else {
                out.append(c);
            }
        }
        copyToClipboard(out.toString());
    }

    /** The views of the code blocks shown so far, in their order; for tests. */
    List<StyledText> codeBlockViews() {
        return codeBlocks.views();
    }

    /** Puts exactly {@code code} on the clipboard, as text. */
    private void copyToClipboard(String code) {
        if (code == null || code.isEmpty()) {
            return; // the clipboard takes no empty text
        }
        Clipboard clipboard = new Clipboard(text.getDisplay());
        try {
            clipboard.setContents(new Object[] { code }, new Transfer[] { TextTransfer.getInstance() });
        } finally {
            clipboard.dispose();
        }
    }

    /** What opens the transcript's links, for tests. */
    LinkOpener links() {
        return links;
    }

    /** Opens a closed tool row or closes an open one; the person's choice stays for that call. */
    private void toggle(TranscriptRow row) {
        boolean open = new TranscriptRenderer("", false, toolRows).look(row) instanceof ToolLook l && l.expanded();
        if (choices.size() >= MAX_CHOICES && !choices.containsKey(row.toolId())) {
            choices.clear(); // the rows fall back to how they open by default
        }
        choices.put(row.toolId(), !open);
        repaintRequest.run();
    }

    private void compare(ToolCall.Diff diff) {
        try {
            DiffCompareInput.open(diff);
        } catch (RuntimeException | LinkageError e) {
            ILog.of(TranscriptPane.class).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID,
                    NLS.bind(Messages.Compare_failed, diff.path(), e.toString()), e));
        }
    }

    // ------------------------------------------------------------------ painting

    /**
     * Lays out the whole window again (on attach, after a re-hydration): the rows are rendered in a Job,
     * since Markdown for ten thousand messages takes longer than a frame; only setting the text and styles
     * runs on the UI thread, the latest rows first and the older ones above them a slice at a time. Rows and
     * stream updates wait until the latest are in.
     */
    private void renderAllInBackground(SessionModel model, TranscriptRenderer renderer) {
        FullRender render = document.startFullRender(model, renderer);
        Display display = text.getDisplay();
        Job job = Job.create(Messages.Chat_attaching, (IProgressMonitor monitor) -> {
            FullText t = render.render();
            if (!display.isDisposed()) {
                display.asyncExec(() -> applyFullRender(render, t));
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void applyFullRender(FullRender render, FullText t) {
        if (text.isDisposed()) {
            return;
        }
        Optional<TranscriptRenderer.Rendered> now = document.finishFullRender(render, t);
        if (now.isEmpty()) {
            return; // a newer full render is on its way
        }
        text.setRedraw(false);
        try {
            text.setText(now.get().text());
            text.setStyleRanges(styles(now.get().spans()));
            if (render.keepTop()) {
                text.setTopIndex(0);
            } else {
                scrollToEnd(true);
            }
        } finally {
            text.setRedraw(true);
        }
        updateEarlierLink(render.firstRow());
        repaintRequest.run(); // rows and stream that arrived meanwhile
        if (document.hasEarlierSlice()) {
            text.getDisplay().asyncExec(this::showEarlierSlice);
        }
    }

    /**
     * Puts the next slice of the full render's older rows above the shown ones, then asks for the one after it, so
     * that the UI thread lays out a slice at a time and paints, types and streams in between.
     */
    private void showEarlierSlice() {
        if (text.isDisposed()) {
            return;
        }
        Optional<Edit> slice = document.showEarlierSlice();
        if (slice.isPresent()) {
            apply(slice.get());
            text.getDisplay().asyncExec(this::showEarlierSlice);
        } else {
            repaintRequest.run(); // the whole window is in
        }
    }

    /**
     * Applies one edit. At the end the view follows the new text; elsewhere it keeps the lines it shows where
     * they are, even when a row above them (a tool call opening, say) grows or shrinks.
     */
    private void apply(Edit edit) {
        boolean atEnd = isAtEnd();
        int topLine = text.getTopIndex();
        int topOffset = text.getOffsetAtLine(topLine);
        int linesBefore = text.getLineCount();
        text.replaceTextRange(edit.start(), edit.length(), edit.text());
        if (edit.restyleLength() > 0) {
            text.replaceStyleRanges(edit.restyleStart(), edit.restyleLength(), styles(edit.spans()));
        } else {
            for (StyleRange style : styles(edit.spans())) {
                text.setStyleRange(style);
            }
        }
        if (atEnd) {
            scrollToEnd(true);
        } else if (edit.start() + edit.length() <= topOffset) {
            text.setTopIndex(Math.max(0, topLine + text.getLineCount() - linesBefore));
        }
    }

    private void updateEarlierLink(int firstRow) {
        String shown = firstRow > 0
                ? "<a>" + NLS.bind(Messages.Chat_showEarlier, Math.min(TranscriptDocument.WINDOW, firstRow), firstRow) + "</a>"
                : "";
        if (!shown.equals(earlier.getText())) {
            earlier.setText(shown);
            header.layout(true);
        }
    }

    private boolean isAtEnd() {
        int lastVisible = text.getTopIndex() + text.getClientArea().height / Math.max(1, text.getLineHeight());
        return lastVisible >= text.getLineCount() - 2;
    }

    private void scrollToEnd(boolean wanted) {
        if (wanted) {
            text.setTopIndex(Math.max(0, text.getLineCount() - 1));
        }
    }

    private StyleRange[] styles(List<Span> spans) {
        StyleRange[] out = new StyleRange[spans.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = style(spans.get(i));
        }
        return out;
    }

    /** How a span is painted: its font and colours, from the theme's colour registry. */
    StyleRange style(Span span) {
        return switch (span.style()) {
            case HEADER, BOLD -> range(span, null, null, SWT.BOLD, null);
            case HEADING -> range(span, null, null, SWT.BOLD, headingFont);
            case ITALIC -> range(span, null, null, SWT.ITALIC, null);
            case QUIET -> range(span, colors.quiet, null, SWT.NORMAL, null);
            case NOTE -> range(span, colors.quiet, null, SWT.ITALIC, null);
            case FAILED -> range(span, colors.failed, null, SWT.NORMAL, null);
            case PENDING_HEADER -> range(span, colors.quiet, null, SWT.BOLD, null);
            case FAILED_HEADER -> range(span, colors.failed, null, SWT.BOLD, null);
            case DONE -> range(span, colors.added, null, SWT.BOLD, null);
            case RUNNING -> range(span, colors.running, null, SWT.BOLD, null);
            case LINK -> {
                StyleRange l = range(span, colors.link, null, SWT.NORMAL, null);
                l.underline = true;
                yield l;
            }
            case CODE_LINK -> {
                StyleRange l = range(span, colors.link, null, SWT.NORMAL, codeFont);
                l.underline = true;
                yield l;
            }
            case TABLE -> range(span, null, null, SWT.NORMAL, codeFont);
            case TABLE_HEADER -> range(span, null, null, SWT.NORMAL, boldCodeFont);
            case CODE -> range(span, null, null, SWT.NORMAL, codeFont);
            case INLINE_CODE -> range(span, null, colors.codeBackground, SWT.NORMAL, codeFont);
            case CODE_BLOCK -> span.code() == null ? range(span, null, colors.codeBackground, SWT.NORMAL, codeFont)
                    : codeBlocks.style(span.start(), span.code());
            case DIFF_ADDED -> range(span, colors.added, colors.addedBackground, SWT.NORMAL, codeFont);
            case DIFF_REMOVED -> range(span, colors.removed, colors.removedBackground, SWT.NORMAL, codeFont);
            case DIFF_HUNK -> range(span, colors.quiet, null, SWT.NORMAL, codeFont);
        };
    }

    private static StyleRange range(Span span, Color foreground, Color background, int fontStyle, Font font) {
        StyleRange r = new StyleRange(span.start(), span.length(), foreground, background, fontStyle);
        r.font = font;
        return r;
    }
}
