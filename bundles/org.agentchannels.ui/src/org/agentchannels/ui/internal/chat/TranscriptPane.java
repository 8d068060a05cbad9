package org.agentchannels.ui.internal.chat;

import java.util.List;

import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Edit;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullRender;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.commands.Commands;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.IWorkbenchPartSite;
import org.eclipse.ui.menus.CommandContributionItem;
import org.eclipse.ui.menus.CommandContributionItemParameter;

/**
 * The chat's transcript on screen: a read-only StyledText showing a {@link TranscriptDocument}, the "show
 * earlier" link, and the context menu (copy, show reasoning, stop). A full render is made in a Job and set
 * in one go; everything else arrives as the document's small edits. UI thread only.
 */
final class TranscriptPane {

    private final TranscriptDocument document = new TranscriptDocument();
    private final StyledText text;
    private final Link earlier;
    private final Composite header;
    private final Runnable repaintRequest;
    private final Font codeFont;
    private final Color quiet;
    private final Color failed;
    private final Color link;
    private boolean showReasoning;

    /**
     * @param header the row above the transcript, where the link to earlier rows goes
     * @param repaintRequest asks the editor for a repaint (coalesced)
     */
    TranscriptPane(Composite parent, Composite header, IWorkbenchPartSite site, Runnable repaintRequest) {
        this.header = header;
        this.repaintRequest = repaintRequest;
        Display display = parent.getDisplay();
        codeFont = JFaceResources.getTextFont();
        quiet = display.getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
        failed = display.getSystemColor(SWT.COLOR_DARK_RED);
        link = display.getSystemColor(SWT.COLOR_LINK_FOREGROUND);
        earlier = new Link(header, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(earlier);
        earlier.addListener(SWT.Selection, e -> showEarlier());
        text = new StyledText(parent, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        text.setMargins(8, 6, 8, 6);
        text.setData(ChatEditor.CSS_ID, "AgentChannelsTranscript");
        text.setText(Messages.Chat_attaching);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(text);
        createMenu(site);
    }

    /** The context menu: copy, show or hide reasoning, stop the running turn. */
    private void createMenu(IWorkbenchPartSite site) {
        MenuManager menu = new MenuManager();
        menu.add(new Action(Messages.Chat_copy) {
            @Override
            public void run() {
                text.copy();
            }
        });
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

    /** Brings the transcript up to date with the model; {@code hydrated} says it was replaced as a whole. */
    void repaint(SessionModel model, boolean hydrated, String ownDevice) {
        TranscriptRenderer renderer = new TranscriptRenderer(ownDevice, showReasoning);
        if (hydrated || document.needsFullRender(model.rowCount())) {
            renderAllInBackground(model, renderer);
        }
        if (!document.isRenderingAll()) {
            document.updateTail(model, renderer).ifPresent(this::apply);
        }
    }

    /**
     * Lays out the whole window again (on attach, after a re-hydration): the rows are rendered in a Job,
     * since Markdown for ten thousand messages takes longer than a frame; only setting the text and styles
     * runs on the UI thread. Rows and stream updates wait until it is in.
     */
    private void renderAllInBackground(SessionModel model, TranscriptRenderer renderer) {
        FullRender render = document.startFullRender(model);
        Display display = text.getDisplay();
        Job job = Job.create(Messages.Chat_attaching, (IProgressMonitor monitor) -> {
            Rendered r = renderer.render(render.rows());
            if (!display.isDisposed()) {
                display.asyncExec(() -> applyFullRender(render, r));
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void applyFullRender(FullRender render, Rendered r) {
        if (text.isDisposed() || !document.finishFullRender(render, r)) {
            return; // closed, or a newer full render is on its way
        }
        text.setRedraw(false);
        try {
            text.setText(r.text());
            text.setStyleRanges(styles(TranscriptDocument.flatten(r.spans(), 0)));
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
    }

    private void apply(Edit edit) {
        boolean atEnd = isAtEnd();
        text.replaceTextRange(edit.start(), edit.length(), edit.text());
        for (StyleRange style : styles(edit.spans())) {
            text.setStyleRange(style);
        }
        scrollToEnd(atEnd);
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
            Span span = spans.get(i);
            StyleRange range = switch (span.style()) {
                case HEADER, BOLD, HEADING -> range(span, null, SWT.BOLD);
                case ITALIC -> range(span, null, SWT.ITALIC);
                case QUIET -> range(span, quiet, SWT.NORMAL);
                case FAILED -> range(span, failed, SWT.NORMAL);
                case PENDING_HEADER -> range(span, quiet, SWT.BOLD);
                case FAILED_HEADER -> range(span, failed, SWT.BOLD);
                case LINK -> {
                    StyleRange l = range(span, link, SWT.NORMAL);
                    l.underline = true;
                    yield l;
                }
                case CODE -> {
                    StyleRange c = range(span, null, SWT.NORMAL);
                    c.font = codeFont;
                    yield c;
                }
            };
            out[i] = range;
        }
        return out;
    }

    private static StyleRange range(Span span, Color color, int fontStyle) {
        return new StyleRange(span.start(), span.length(), color, null, fontStyle);
    }
}
