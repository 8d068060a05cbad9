package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.PartVisibility;
import org.agentchannels.ui.internal.UiRefresher;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.ServiceHandle;
import org.agentchannels.ui.internal.commands.Commands;
import org.agentchannels.ui.internal.commands.PartHandler;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.keys.IBindingService;
import org.eclipse.ui.menus.CommandContributionItem;
import org.eclipse.ui.menus.CommandContributionItemParameter;
import org.eclipse.ui.part.EditorPart;

/**
 * A chat with one session, as an editor: a session is a document-like thing a person opens, keeps several
 * of side by side, and closes; editors give that (one per session, tabs, the editor area) where a view would
 * be a single panel. The transcript with each prompt labelled by its device, the assistant's Markdown, tool
 * rows and (on request) reasoning; the running turn painted as its deltas arrive; the other devices taking
 * part; a status line with the connection; blocking prompts answered inline; an input box (Ctrl+Enter sends,
 * Esc stops the turn). Network work runs in Jobs; model changes repaint at most once a frame, and not at all
 * while the editor is hidden.
 */
public final class ChatEditor extends EditorPart {

    public static final String ID = org.agentchannels.ui.AgentChannelsUi.CHAT_EDITOR_ID;

    /** The key under which the CSS engine finds a widget's id (the Dark theme's stylesheet styles these). */
    static final String CSS_ID = "org.eclipse.e4.ui.css.id";

    private StyledText transcript;
    private Label statusLine;
    private Label participantsLine;
    private Composite requestsArea;
    private Text input;
    private PartHandler stopHandler;
    private Button send;
    private Button stop;
    private UiRefresher refresher;
    private Font codeFont;
    private Color quiet;
    private Color failed;
    private Color link;

    private volatile AttachedSession session;
    private volatile String attachFailure = "";
    private volatile String ownDevice = "";
    private GatewayConnector connector;
    private ServiceHandle<AgentChannelsServices> services;
    private PartVisibility visibility;
    private boolean showReasoning;
    private final AtomicReference<Set<SessionModel.Change>> pending = new AtomicReference<>(EnumSet.noneOf(SessionModel.Change.class));

    private int renderedRows;
    private int renderGeneration;
    private boolean renderingAll;
    /**
     * How many of the latest rows the transcript holds: laying out (and scrolling past) every wrapped line of
     * ten thousand messages takes the text widget most of a second, so older ones come on request.
     */
    static final int WINDOW = 200;
    private int shownWindow = WINDOW;
    private boolean keepTopOnce;
    private org.eclipse.swt.widgets.Link earlier;
    private Composite header;
    private int committedLength;
    private String shownTail = "";
    /** The start of the streaming answer rendered as Markdown so far (its finished blocks), and the result. */
    private String streamRenderedSource = "";
    private final StringBuilder streamRenderedText = new StringBuilder();
    private final List<TranscriptRenderer.Span> streamRenderedSpans = new ArrayList<>();
    private List<InputRequest> shownRequests = List.of();

    private final SessionModel.Listener modelListener = (model, changes) -> {
        pending.accumulateAndGet(EnumSet.copyOf(changes), (a, b) -> {
            EnumSet<SessionModel.Change> all = EnumSet.noneOf(SessionModel.Change.class);
            all.addAll(a);
            all.addAll(b);
            return all;
        });
        refresher.request();
    };
    private final GatewayConnector.Listener connectionListener = new GatewayConnector.Listener() {
        @Override
        public void connectionStateChanged(GatewayConnection connection, ConnectionState state) {
            AttachedSession s = session;
            if (s != null && s.connection() == connection) {
                modelListener.sessionChanged(s.model(), EnumSet.of(SessionModel.Change.STATUS));
            }
        }
    };

    /** Opens (or brings forward) the chat of a session. */
    public static ChatEditor open(IWorkbenchPage page, String endpoint, String sessionId, String sessionKey, String title,
            String host) {
        try {
            return (ChatEditor) page.openEditor(new ChatEditorInput(endpoint, sessionId, sessionKey, title, host), ID);
        } catch (PartInitException e) {
            ILog.of(ChatEditor.class).log(e.getStatus());
            return null;
        }
    }

    /** Creates a session on the gateway at {@code endpoint} in a Job and opens its chat. */
    public static void createOn(IWorkbenchPage page, ServiceHandle<AgentChannelsServices> services, String endpoint,
            String host) {
        Display display = page.getWorkbenchWindow().getShell().getDisplay();
        Job job = Job.create(NLS.bind(Messages.Job_creatingSession, host), (IProgressMonitor monitor) -> {
            AgentChannelsServices found = services.awaitInJob().orElse(null);
            if (found == null) {
                return Status.error(Messages.Chat_noConnector);
            }
            try {
                AttachedSession s = found.connector().createSession(endpoint, "").get();
                display.asyncExec(() -> open(page, endpoint, s.sessionId(), s.sessionKey(), Messages.Session_untitled, host));
                return Status.OK_STATUS;
            } catch (Exception e) {
                return new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID,
                        NLS.bind(Messages.Chat_createFailed, host, GatewayException.of(e).getMessage()));
            }
        });
        job.setUser(true);
        job.schedule();
    }

    @Override
    public void init(IEditorSite site, IEditorInput editorInput) throws PartInitException {
        if (!(editorInput instanceof ChatEditorInput)) {
            throw new PartInitException("not a chat: " + editorInput);
        }
        setSite(site);
        setInput(editorInput);
        setPartName(editorInput.getName());
        setTitleToolTip(editorInput.getToolTipText());
    }

    public ChatEditorInput chatInput() {
        return (ChatEditorInput) getEditorInput();
    }

    @Override
    public void createPartControl(Composite parent) {
        Display display = parent.getDisplay();
        refresher = new UiRefresher(display, this::repaint);
        codeFont = JFaceResources.getTextFont();
        quiet = display.getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
        failed = display.getSystemColor(SWT.COLOR_DARK_RED);
        link = display.getSystemColor(SWT.COLOR_LINK_FOREGROUND);

        Composite root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 6).spacing(4, 4).applyTo(root);

        // one header row that never changes height, so updating it never re-wraps the transcript below
        header = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(header);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(header);
        participantsLine = new Label(header, SWT.NONE);
        participantsLine.setData(CSS_ID, "AgentChannelsParticipants");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(participantsLine);
        earlier = new org.eclipse.swt.widgets.Link(header, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(earlier);
        earlier.addListener(SWT.Selection, e -> showEarlier());

        transcript = new StyledText(root, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        transcript.setMargins(8, 6, 8, 6);
        transcript.setData(CSS_ID, "AgentChannelsTranscript");
        transcript.setText(Messages.Chat_attaching);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(transcript);

        requestsArea = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(4, 4).applyTo(requestsArea);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(requestsArea);
        requestsArea.setVisible(false);

        Composite inputRow = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(4, 4).applyTo(inputRow);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(inputRow);
        input = new Text(inputRow, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        input.setData(CSS_ID, "AgentChannelsInput");
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, input.getLineHeight() * 3).applyTo(input);
        Composite buttons = new Composite(inputRow, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(2, 2).applyTo(buttons);
        send = new Button(buttons, SWT.PUSH);
        send.setText(Messages.Chat_send);
        String sendKeys = keysFor(Commands.SEND_PROMPT);
        String stopKeys = keysFor(Commands.STOP_TURN);
        send.setToolTipText(NLS.bind(Messages.Chat_sendTooltip, sendKeys));
        GridDataFactory.fillDefaults().applyTo(send);
        stop = new Button(buttons, SWT.PUSH);
        stop.setText(Messages.Chat_stop);
        stop.setToolTipText(NLS.bind(Messages.Chat_stopTooltip, stopKeys));
        GridDataFactory.fillDefaults().applyTo(stop);
        send.addListener(SWT.Selection, e -> sendPrompt());
        stop.addListener(SWT.Selection, e -> interrupt());
        // a label, not Text.setMessage: GTK shows no hint in a multi-line text
        Label inputHint = new Label(inputRow, SWT.NONE);
        inputHint.setText(NLS.bind(Messages.Chat_inputHint, sendKeys, stopKeys));
        inputHint.setForeground(quiet);
        inputHint.setData(CSS_ID, "AgentChannelsInputHint");
        GridDataFactory.fillDefaults().span(2, 1).applyTo(inputHint);
        // Ctrl+Enter and Esc are key bindings of the Send Prompt and Stop Turn commands in this context
        getSite().getService(IContextService.class).activateContext(Commands.CHAT_CONTEXT);
        PartHandler.activate(getSite(), Commands.SEND_PROMPT, this::sendPrompt);
        stopHandler = PartHandler.activate(getSite(), Commands.STOP_TURN, this::interrupt, this::canInterrupt);
        createTranscriptMenu();

        statusLine = new Label(root, SWT.NONE);
        statusLine.setData(CSS_ID, "AgentChannelsStatus");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(statusLine);
        statusLine.setText(Messages.Chat_attaching);

        visibility = PartVisibility.track(this, () -> refresher.request());
        services = ServiceHandle.open(ChatEditor.class, AgentChannelsServices.class);
        attach();
    }

    /** The transcript's context menu: copy, show or hide reasoning, stop the running turn. */
    private void createTranscriptMenu() {
        org.eclipse.jface.action.MenuManager menu = new org.eclipse.jface.action.MenuManager();
        menu.add(new org.eclipse.jface.action.Action(Messages.Chat_copy) {
            @Override
            public void run() {
                transcript.copy();
            }
        });
        org.eclipse.jface.action.Action reasoning = new org.eclipse.jface.action.Action(Messages.Chat_showReasoning,
                org.eclipse.jface.action.IAction.AS_CHECK_BOX) {
            @Override
            public void run() {
                setShowReasoning(isChecked());
            }
        };
        menu.add(reasoning);
        menu.add(new org.eclipse.jface.action.Separator());
        menu.add(new CommandContributionItem(new CommandContributionItemParameter(getSite(), null, Commands.STOP_TURN,
                CommandContributionItem.STYLE_PUSH)));
        transcript.setMenu(menu.createContextMenu(transcript));
    }

    private void attach() {
        ChatEditorInput in = chatInput();
        Job job = Job.create(NLS.bind(Messages.Job_attaching, in.getName()), (IProgressMonitor monitor) -> {
            AgentChannelsServices found = services.awaitInJob().orElse(null);
            if (found == null) {
                attachFailure = Messages.Chat_noConnector;
                refresher.request();
                return Status.OK_STATUS;
            }
            GatewayConnector c = found.connector();
            connector = c;
            c.addListener(connectionListener);
            try {
                found.configured().get(); // this device's name and gateway come from the preferences
                AttachedSession s = c.attach(in.endpoint().isEmpty() ? null : in.endpoint(), in.sessionId(), in.sessionKey())
                        .get();
                ownDevice = c.localDeviceName();
                s.model().addListener(modelListener);
                session = s;
                attachFailure = "";
                modelListener.sessionChanged(s.model(), EnumSet.of(SessionModel.Change.HYDRATED));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                attachFailure = GatewayException.of(e).getMessage();
                ILog.of(ChatEditor.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                        "opening the session " + in.getName() + " failed: " + attachFailure));
                refresher.request();
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    // ------------------------------------------------------------------ actions

    /** Sends what is typed, from this device; the input clears at once and the prompt shows as sending. */
    public void sendPrompt() {
        AttachedSession s = session;
        String text = input.getText().strip();
        if (s == null || text.isEmpty()) {
            return;
        }
        input.setText("");
        // submit() only queues work; its result arrives on a network thread and shows through the model
        s.submit(text).exceptionally(error -> null);
    }

    /** Stops the running turn. */
    public void interrupt() {
        if (canInterrupt()) {
            session.interrupt().exceptionally(error -> null);
        }
    }

    /** Whether a turn runs that Stop would end. */
    public boolean canInterrupt() {
        AttachedSession s = session;
        return s != null && s.model().activity() != SessionActivity.IDLE;
    }

    private String keysFor(String commandId) {
        return Commands.keysFor(getSite().getService(IBindingService.class), commandId, Commands.CHAT_CONTEXT);
    }

    /** Shows {@link #WINDOW} more of the older rows, keeping the view at the top where they appear. */
    public void showEarlier() {
        shownWindow += WINDOW;
        keepTopOnce = true;
        modelListener.sessionChanged(null, EnumSet.of(SessionModel.Change.HYDRATED));
    }

    private void updateEarlierLink(int firstRow) {
        String text = firstRow > 0 ? "<a>" + NLS.bind(Messages.Chat_showEarlier, Math.min(WINDOW, firstRow), firstRow) + "</a>"
                : "";
        if (!text.equals(earlier.getText())) {
            earlier.setText(text);
            header.layout(true);
        }
    }

    public void setShowReasoning(boolean show) {
        showReasoning = show;
        renderedRows = 0; // everything again
        modelListener.sessionChanged(null, EnumSet.of(SessionModel.Change.HYDRATED));
    }

    // ------------------------------------------------------------------ painting (UI thread)

    private void repaint() {
        if (transcript.isDisposed() || !visibility.isVisible()) {
            return;
        }
        AttachedSession s = session;
        if (s == null) {
            if (!attachFailure.isEmpty()) {
                transcript.setText(NLS.bind(Messages.Chat_attachFailed, attachFailure));
                statusLine.setText(Messages.Chat_notConnected);
            }
            return;
        }
        Set<SessionModel.Change> changes = pending.getAndSet(EnumSet.noneOf(SessionModel.Change.class));
        SessionModel model = s.model();
        if (connector != null) {
            String name = connector.localDeviceName(); // the preferences may name this device after the attach
            if (!name.equals(ownDevice)) {
                ownDevice = name;
                changes.add(SessionModel.Change.HYDRATED);
            }
        }
        TranscriptRenderer renderer = new TranscriptRenderer(ownDevice, showReasoning);
        if (changes.contains(SessionModel.Change.HYDRATED) || renderedRows > model.rowCount()) {
            renderAllInBackground(model, renderer);
        }
        if (!renderingAll) {
            updateTail(model, renderer);
        }
        updateStatus(s);
        updateParticipants(model);
        updateRequests(s);
        String title = model.title();
        if (!title.isEmpty() && !title.equals(getPartName())) {
            setPartName(title);
        }
    }

    /**
     * Lays out the whole transcript again (on attach, after a re-hydration): the rows are rendered in a Job,
     * since Markdown for ten thousand messages takes longer than a frame; only setting the text and styles
     * runs on the UI thread. Rows and stream updates wait until it is in.
     */
    private void renderAllInBackground(SessionModel model, TranscriptRenderer renderer) {
        int generation = ++renderGeneration;
        renderingAll = true;
        int count = model.rowCount();
        int from = Math.max(0, count - shownWindow);
        List<TranscriptRow> rows = model.rows(from, count);
        boolean keepTop = keepTopOnce;
        keepTopOnce = false;
        Job job = Job.create(Messages.Chat_attaching, (IProgressMonitor monitor) -> {
            TranscriptRenderer.Rendered r = renderer.render(rows);
            Display display = transcript.isDisposed() ? null : transcript.getDisplay();
            if (display != null) {
                display.asyncExec(() -> applyFullRender(generation, from, from + rows.size(), r, keepTop));
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void applyFullRender(int generation, int firstRow, int rowCount, TranscriptRenderer.Rendered r,
            boolean keepTop) {
        if (transcript.isDisposed() || generation != renderGeneration) {
            return; // a newer full render is on its way
        }
        transcript.setRedraw(false);
        try {
            transcript.setText(r.text());
            transcript.setStyleRanges(styles(r, 0));
            renderedRows = rowCount;
            committedLength = r.text().length();
            shownTail = "";
            if (keepTop) {
                transcript.setTopIndex(0);
            } else {
                scrollToEnd(true);
            }
        } finally {
            transcript.setRedraw(true);
        }
        updateEarlierLink(firstRow);
        renderingAll = false;
        refresher.request(); // rows and stream that arrived meanwhile
    }

    /**
     * Everything after the rows already shown: rows finished since, prompts not yet started, and the answer
     * streaming, its finished Markdown blocks rendered and the block being written as plain text. Only what
     * changed is replaced: while a turn streams that is the new characters, and when it ends, only the
     * header of the row (the streamed answer is already rendered as the finished one), so a long answer is
     * not laid out again.
     */
    private void updateTail(SessionModel model, TranscriptRenderer renderer) {
        StringBuilder tail = new StringBuilder();
        List<StyleRange> styles = new ArrayList<>();
        int newRows = 0;
        if (model.rowCount() > renderedRows) {
            List<TranscriptRow> fresh = model.rows(renderedRows, Integer.MAX_VALUE);
            TranscriptRenderer.Rendered r = renderer.render(fresh);
            tail.append(r.text());
            styles.addAll(List.of(styles(r, 0)));
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
            styles.add(range(rowsLength + start, pending.length() - start,
                    p.state() == OutgoingPrompt.State.FAILED ? failed : quiet, SWT.BOLD));
            pending.append(p.text()).append("\n\n");
        }
        if (model.isStreaming()) {
            int start = pending.length();
            pending.append(TranscriptRenderer.streamingHeader()).append('\n');
            styles.add(range(rowsLength + start, pending.length() - start, null, SWT.BOLD));
            String streamed = model.streamingText();
            renderFinishedBlocks(streamed, renderer);
            styles.addAll(List.of(styles(new TranscriptRenderer.Rendered(streamRenderedText.toString(),
                    streamRenderedSpans), rowsLength + pending.length())));
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
        if (!next.equals(shownTail)) {
            boolean atEnd = isAtEnd();
            replaceChanged(committedLength, shownTail, next, styles);
            scrollToEnd(atEnd);
        }
        committedLength += rowsLength;
        renderedRows += newRows;
        shownTail = next.substring(rowsLength);
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
        TranscriptRenderer.Rendered chunk = renderer.markdownFragment(streamed.substring(from, end));
        if (!chunk.text().isEmpty()) {
            if (streamRenderedText.length() > 0) {
                streamRenderedText.append(TranscriptRenderer.BLOCK_SEPARATOR);
            }
            int offset = streamRenderedText.length();
            streamRenderedText.append(chunk.text());
            for (TranscriptRenderer.Span span : chunk.spans()) {
                streamRenderedSpans.add(new TranscriptRenderer.Span(span.start() + offset, span.length(), span.style()));
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
     * Replaces the text from {@code start} (which shows {@code shown}) with {@code next}, touching only the
     * part between their common beginning and their common end, and restyles that part.
     */
    private void replaceChanged(int start, String shown, String next, List<StyleRange> styles) {
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
        transcript.replaceTextRange(start + prefix, shown.length() - suffix - prefix, next.substring(prefix, changedEnd));
        for (StyleRange style : styles) {
            if (style.start + style.length > prefix && style.start < changedEnd) {
                style.start += start;
                transcript.setStyleRange(style);
            }
        }
    }

    private boolean isAtEnd() {
        int lastVisible = transcript.getTopIndex() + transcript.getClientArea().height / Math.max(1, transcript.getLineHeight());
        return lastVisible >= transcript.getLineCount() - 2;
    }

    private void scrollToEnd(boolean wanted) {
        if (wanted) {
            transcript.setTopIndex(Math.max(0, transcript.getLineCount() - 1));
        }
    }

    private StyleRange[] styles(TranscriptRenderer.Rendered r, int offset) {
        List<StyleRange> out = new ArrayList<>(r.spans().size());
        for (TranscriptRenderer.Span span : r.spans()) {
            StyleRange range = switch (span.style()) {
                case HEADER -> range(span.start(), span.length(), null, SWT.BOLD);
                case BOLD -> range(span.start(), span.length(), null, SWT.BOLD);
                case ITALIC -> range(span.start(), span.length(), null, SWT.ITALIC);
                case HEADING -> range(span.start(), span.length(), null, SWT.BOLD);
                case QUIET -> range(span.start(), span.length(), quiet, SWT.NORMAL);
                case FAILED -> range(span.start(), span.length(), failed, SWT.NORMAL);
                case LINK -> {
                    StyleRange l = range(span.start(), span.length(), link, SWT.NORMAL);
                    l.underline = true;
                    yield l;
                }
                case CODE -> {
                    StyleRange c = range(span.start(), span.length(), null, SWT.NORMAL);
                    c.font = codeFont;
                    yield c;
                }
            };
            range.start += offset;
            out.add(range);
        }
        // StyledText wants ranges in order and without overlap: nested styles (bold inside a header) merge later
        out.sort((a, b) -> Integer.compare(a.start, b.start));
        List<StyleRange> flat = new ArrayList<>();
        int end = -1;
        for (StyleRange range : out) {
            if (range.start >= end) {
                flat.add(range);
                end = range.start + range.length;
            }
        }
        return flat.toArray(new StyleRange[0]);
    }

    private static StyleRange range(int start, int length, Color color, int fontStyle) {
        StyleRange r = new StyleRange(start, length, color, null, fontStyle);
        return r;
    }

    private void updateStatus(AttachedSession s) {
        ConnectionState state = s.connection().state();
        String connection = switch (state) {
            case ConnectionState.Connected c -> NLS.bind(Messages.Chat_connectedTo, hostOf());
            case ConnectionState.Connecting c -> Messages.Chat_connecting;
            case ConnectionState.Reconnecting r -> NLS.bind(Messages.Chat_reconnecting, r.attempt());
            case ConnectionState.Failed f -> NLS.bind(Messages.Chat_connectionFailed, f.reason());
            case ConnectionState.Disconnected d -> Messages.Chat_notConnected;
        };
        String activity = switch (s.model().activity()) {
            case WORKING -> Messages.Status_working;
            case NEEDS_INPUT -> Messages.Status_needsInput;
            case STARTING -> Messages.Status_starting;
            case IDLE -> Messages.Status_idle;
        };
        String text = activity + "  \u00b7  " + connection;
        if (!text.equals(statusLine.getText())) {
            statusLine.setText(text);
        }
        stop.setEnabled(s.model().activity() != SessionActivity.IDLE);
        stopHandler.update();
    }

    private String hostOf() {
        String host = chatInput().host();
        return host.isEmpty() ? Messages.Chat_thisDevice : host;
    }

    private void updateParticipants(SessionModel model) {
        List<String> others = new ArrayList<>();
        for (Participant p : model.participants()) {
            if (!p.device().equals(ownDevice)) {
                others.add(p.count() > 1 ? p.device() + " \u00d7" + p.count() : p.device());
            }
        }
        String text = others.isEmpty() ? "" : NLS.bind(Messages.Chat_alsoHere, String.join("   ", others));
        if (!text.equals(participantsLine.getText())) {
            participantsLine.setText(text);
            header.layout(true);
        }
    }

    /** Blocking prompts, inline above the input: the question with its choices, or a field for the answer. */
    private void updateRequests(AttachedSession s) {
        List<InputRequest> now = s.model().pendingInputs();
        if (now.equals(shownRequests)) {
            return;
        }
        shownRequests = now;
        for (Control child : requestsArea.getChildren()) {
            child.dispose();
        }
        for (InputRequest request : now) {
            Composite row = new Composite(requestsArea, SWT.BORDER);
            GridLayoutFactory.swtDefaults().numColumns(1).applyTo(row);
            GridDataFactory.fillDefaults().grab(true, false).applyTo(row);
            Label question = new Label(row, SWT.WRAP);
            question.setText(switch (request.kind()) {
                case APPROVAL -> NLS.bind(Messages.Request_approval, request.prompt());
                case CLARIFY -> NLS.bind(Messages.Request_clarify, request.prompt());
                case SUDO -> Messages.Request_sudo;
                case SECRET -> NLS.bind(Messages.Request_secret, request.prompt());
            });
            GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(question);
            Composite answers = new Composite(row, SWT.NONE);
            GridLayoutFactory.fillDefaults().numColumns(request.choices().size() + 2).applyTo(answers);
            for (String choice : request.choices()) {
                Button b = new Button(answers, SWT.PUSH);
                b.setText(choiceLabel(choice));
                b.addListener(SWT.Selection, e -> answer(s, request, choice));
            }
            if (request.kind() != InputRequest.Kind.APPROVAL) {
                int style = request.kind() == InputRequest.Kind.CLARIFY ? SWT.BORDER : SWT.BORDER | SWT.PASSWORD;
                Text answer = new Text(answers, style);
                GridDataFactory.fillDefaults().grab(true, false).hint(160, SWT.DEFAULT).applyTo(answer);
                Button b = new Button(answers, SWT.PUSH);
                b.setText(Messages.Request_answer);
                b.addListener(SWT.Selection, e -> answer(s, request, answer.getText()));
            }
        }
        boolean any = !now.isEmpty();
        ((org.eclipse.swt.layout.GridData) requestsArea.getLayoutData()).exclude = !any;
        requestsArea.setVisible(any);
        requestsArea.getParent().layout(true, true);
    }

    private static String choiceLabel(String choice) {
        return switch (choice) {
            case "once" -> Messages.Request_once;
            case "session" -> Messages.Request_session;
            case "always" -> Messages.Request_always;
            case "deny" -> Messages.Request_deny;
            case "yes" -> Messages.Request_yes;
            case "no" -> Messages.Request_no;
            default -> choice;
        };
    }

    private void answer(AttachedSession s, InputRequest request, String answer) {
        s.answer(request, answer).exceptionally(error -> {
            ILog.of(ChatEditor.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                    "answering a request failed: " + GatewayException.of(error).getMessage()));
            return null;
        });
    }

    // ------------------------------------------------------------------ for tests

    public AttachedSession session() {
        return session;
    }

    public StyledText transcriptWidget() {
        return transcript;
    }

    public Text inputWidget() {
        return input;
    }

    public String statusText() {
        return statusLine.getText();
    }

    public String participantsText() {
        return participantsLine.getText();
    }

    public Composite requestsArea() {
        return requestsArea;
    }

    // ------------------------------------------------------------------ editor plumbing

    @Override
    public void setFocus() {
        input.setFocus();
    }

    @Override
    public void dispose() {
        if (visibility != null) {
            visibility.dispose();
        }
        AttachedSession s = session;
        if (s != null) {
            s.model().removeListener(modelListener);
            if (connector != null) {
                connector.detach(s);
            }
        }
        if (connector != null) {
            connector.removeListener(connectionListener);
        }
        if (services != null) {
            services.close();
        }
        super.dispose();
    }

    @Override
    public void doSave(IProgressMonitor monitor) {
        // a chat has nothing to save: every message lives on its gateway
    }

    @Override
    public void doSaveAs() {
    }

    @Override
    public boolean isDirty() {
        return false;
    }

    @Override
    public boolean isSaveAsAllowed() {
        return false;
    }
}
