package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.PromptContext;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.BenchReport;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.PartVisibility;
import org.agentchannels.ui.internal.ServiceHandle;
import org.agentchannels.ui.internal.UiRefresher;
import org.agentchannels.ui.internal.commands.Commands;
import org.agentchannels.ui.internal.commands.PartHandler;
import org.agentchannels.ui.internal.context.RemoteContextNotice;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.keys.IBindingService;
import org.eclipse.ui.part.EditorPart;

/**
 * A chat with one session, as an editor: a session is a document-like thing a person opens, keeps several
 * of side by side, and closes; editors give that (one per session, tabs, the editor area) where a view would
 * be a single panel. The editor holds the lifecycle and the layout: the other devices taking part above the
 * {@link TranscriptPane}, blocking prompts answered inline in the {@link InputRequestPanel}, an input box
 * (Ctrl+Enter sends, Esc stops the turn, {@code /} completes the agent's commands), the {@link ChatStatusLine};
 * its {@link SessionController} attaches
 * and detaches. Model changes repaint at most once a frame, and not at all while the editor is hidden.
 */
public final class ChatEditor extends EditorPart {

    public static final String ID = AgentChannelsUi.CHAT_EDITOR_ID;

    /** The key under which the CSS engine finds a widget's id (the Dark theme's stylesheet styles these). */
    static final String CSS_ID = "org.eclipse.e4.ui.css.id";

    private ServiceHandle<AgentChannelsServices> services;
    private SessionController controller;
    private TranscriptPane transcript;
    private InputRequestPanel requests;
    private ChatStatusLine statusLine;
    private Composite header;
    private Label participantsLine;
    private Text input;
    private CommandCompletion commandCompletion;
    private Button stop;
    private PartHandler stopHandler;
    private UiRefresher refresher;
    private final BenchReport.Chat bench = new BenchReport.Chat();
    private PartVisibility visibility;
    private String ownDevice = "";
    /** Counts focus changes of all chats, so the last used one is known (Send to Agent Chat picks it). */
    private static final AtomicLong FOCUS_ORDER = new AtomicLong();
    /** When this chat last had the focus, on {@link #FOCUS_ORDER}; 0 when never. */
    private long focusedAt;
    /** Context blocks handed to this chat from this device's editors and not yet sent; a few at most. */
    private final Set<PromptContext> contextsFromHere = new LinkedHashSet<>();
    /** The most context blocks remembered for the notice before a prompt takes them to another device. */
    static final int MAX_REMEMBERED_CONTEXTS = 64;
    private final AtomicReference<Set<SessionModel.Change>> pending = new AtomicReference<>(EnumSet.noneOf(SessionModel.Change.class));

    /** Opens (or brings forward) the chat of a session. */
    public static ChatEditor open(IWorkbenchPage page, String endpoint, String sessionId, String sessionKey, String title,
            String host) {
        try {
            long started = System.nanoTime();
            ChatEditor chat = (ChatEditor) page.openEditor(new ChatEditorInput(endpoint, sessionId, sessionKey, title, host), ID);
            BenchReport.chatOpened(sessionId, started);
            return chat;
        } catch (PartInitException e) {
            ILog.of(ChatEditor.class).log(e.getStatus());
            return null;
        }
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
        refresher = new UiRefresher(parent.getDisplay(), this::repaint);
        Composite root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 6).spacing(4, 4).applyTo(root);

        // one header row that never changes height, so updating it never re-wraps the transcript below
        header = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(header);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(header);
        participantsLine = new Label(header, SWT.NONE);
        participantsLine.setData(CSS_ID, "AgentChannelsParticipants");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(participantsLine);

        transcript = new TranscriptPane(root, header, getSite(), refresher::request, this::sessionDirectory);
        requests = new InputRequestPanel(root);
        createInputRow(root);
        statusLine = new ChatStatusLine(root);

        visibility = PartVisibility.track(this, refresher::request);
        ChatEditorInput in = chatInput();
        services = ServiceHandle.open(ChatEditor.class, AgentChannelsServices.class);
        controller = new SessionController(in.endpoint(), in.sessionId(), in.sessionKey(), in.getName(), in.title(),
                in.host(), services.service(), this::sessionChanged);
        controller.attach();
    }

    /** The input box with Send and Stop beside it and the keys under it; the keys are the commands' bindings. */
    private void createInputRow(Composite root) {
        Composite inputRow = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(4, 4).applyTo(inputRow);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(inputRow);
        input = new Text(inputRow, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        input.setData(CSS_ID, "AgentChannelsInput");
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, input.getLineHeight() * 3).applyTo(input);
        commandCompletion = new CommandCompletion(input, () -> {
            AttachedSession s = controller == null ? null : controller.session();
            return s == null ? List.of() : s.model().commands();
        });
        Composite buttons = new Composite(inputRow, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(2, 2).applyTo(buttons);
        Button send = new Button(buttons, SWT.PUSH);
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
        inputHint.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
        inputHint.setData(CSS_ID, "AgentChannelsInputHint");
        GridDataFactory.fillDefaults().span(2, 1).applyTo(inputHint);
        // Ctrl+Enter and Esc are key bindings of the Send Prompt and Stop Turn commands in this context
        getSite().getService(IContextService.class).activateContext(Commands.CHAT_CONTEXT);
        PartHandler.activate(getSite(), Commands.SEND_PROMPT, this::sendPrompt);
        stopHandler = PartHandler.activate(getSite(), Commands.STOP_TURN, this::interrupt, this::canInterrupt);
    }

    /** From the controller, on any thread: remember what changed and ask for one repaint. */
    private void sessionChanged(Set<SessionModel.Change> changes) {
        pending.accumulateAndGet(EnumSet.noneOf(SessionModel.Change.class), (shown, none) -> {
            EnumSet<SessionModel.Change> all = EnumSet.noneOf(SessionModel.Change.class);
            all.addAll(shown);
            all.addAll(changes);
            return all;
        });
        refresher.request();
    }

    // ------------------------------------------------------------------ actions

    /**
     * Sends what is typed, from this device; the input clears at once and the prompt shows as sending. A prompt
     * that takes this device's files to a session on another device asks first.
     */
    public void sendPrompt() {
        AttachedSession s = controller.session();
        String text = input.getText().strip();
        if (s == null || text.isEmpty()) {
            return;
        }
        List<String> leaving = contextsLeavingThisDevice(text);
        if (!leaving.isEmpty() && !RemoteContextNotice.confirm(input.getShell(), leaving, hostOf())) {
            return;
        }
        contextsFromHere.clear();
        input.setText("");
        // submit() only queues work; its result arrives on a network thread and shows through the model
        s.submit(text).exceptionally(error -> null);
    }

    /** The labels of the context blocks in {@code text} that this device's editors put there, when it goes elsewhere. */
    private List<String> contextsLeavingThisDevice(String text) {
        if (isOnThisDevice() || contextsFromHere.isEmpty() || !PromptContext.hasContext(text)) {
            return List.of();
        }
        List<String> labels = new ArrayList<>();
        for (PromptContext.Part part : PromptContext.split(text)) {
            if (part instanceof PromptContext.ContextPart c && contextsFromHere.contains(c.context())) {
                labels.add(c.context().label());
            }
        }
        return labels;
    }

    /**
     * Puts context blocks (a selection, files) at the end of the input, each on lines of its own, and brings the
     * chat forward with the caret after them, for the person to ask their question.
     */
    public void addContexts(List<PromptContext> contexts) {
        if (input.isDisposed() || contexts.isEmpty()) {
            return;
        }
        StringBuilder added = new StringBuilder();
        String typed = input.getText();
        if (!typed.isBlank()) {
            added.append(typed.endsWith("\n\n") ? "" : typed.endsWith("\n") ? "\n" : "\n\n");
        }
        for (PromptContext c : contexts) {
            added.append(c.fenced()).append("\n\n");
            if (contextsFromHere.size() < MAX_REMEMBERED_CONTEXTS) {
                contextsFromHere.add(c);
            }
        }
        if (typed.isBlank()) {
            input.setText(added.toString());
        } else {
            input.append(added.toString());
        }
        input.setSelection(input.getCharCount());
        getSite().getPage().activate(this);
        input.setFocus();
    }

    /** Whether the session runs on this device's own gateway (a chat opened from the Sessions view or New Session here). */
    public boolean isOnThisDevice() {
        return chatInput().endpoint().isEmpty();
    }

    /** When this chat last had the focus (a later focus is a larger number), 0 when it never had it. */
    public long lastFocused() {
        return focusedAt;
    }

    public boolean isDisposed() {
        return input == null || input.isDisposed();
    }

    /** Stops the running turn. */
    public void interrupt() {
        AttachedSession s = controller.session();
        if (s != null && turnRuns(s.model())) {
            s.interrupt().exceptionally(error -> null);
        }
    }

    /** Whether a turn runs that Stop would end. */
    public boolean canInterrupt() {
        AttachedSession s = controller == null ? null : controller.session();
        return s != null && turnRuns(s.model());
    }

    /** A session that starts its agent or needs sign-in has nothing to stop unless a turn runs too. */
    private static boolean turnRuns(SessionModel model) {
        return model.isTurnRunning() || model.activity() == SessionActivity.NEEDS_INPUT;
    }

    private String keysFor(String commandId) {
        return Commands.keysFor(getSite().getService(IBindingService.class), commandId, Commands.CHAT_CONTEXT);
    }

    /** Shows {@link TranscriptDocument#WINDOW} more of the older rows, keeping the view at the top where they appear. */
    public void showEarlier() {
        transcript.showEarlier();
    }

    public void setShowReasoning(boolean show) {
        transcript.setShowReasoning(show);
    }

    // ------------------------------------------------------------------ painting (UI thread)

    private void repaint() {
        if (transcript.isDisposed() || !visibility.isVisible()) {
            return;
        }
        AttachedSession s = controller.session();
        if (s == null) {
            String failure = controller.failure();
            if (!failure.isEmpty()) {
                transcript.showAttachFailure(failure);
                statusLine.showNotConnected();
            }
            return;
        }
        Set<SessionModel.Change> changes = pending.getAndSet(EnumSet.noneOf(SessionModel.Change.class));
        String name = controller.localDeviceName(); // the preferences may name this device after the attach
        boolean renamed = !name.equals(ownDevice);
        ownDevice = name;
        SessionModel model = s.model();
        transcript.repaint(model, renamed || changes.contains(SessionModel.Change.HYDRATED), ownDevice);
        bench.shown(s.sessionId(), model.rowCount(), model.isTurnRunning(), transcript.isRenderingAll());
        statusLine.update(s, hostOf(), ownDevice);
        stop.setEnabled(turnRuns(model));
        stopHandler.update();
        updateParticipants(model);
        requests.update(s);
        String title = model.title();
        if (!title.isEmpty() && !title.equals(getPartName())) {
            setPartName(title);
        }
        followIds(s, title);
    }

    /**
     * The session may live under a new runtime id now (a Hermes gateway reaped it and {@code session.resume}
     * rebuilt it): the chat follows, so that it is found, and reopened with the workbench, under that one.
     */
    private void followIds(AttachedSession s, String title) {
        ChatEditorInput in = chatInput();
        if (!s.sessionId().isEmpty() && !s.sessionId().equals(in.sessionId())
                || !s.sessionKey().isEmpty() && !s.sessionKey().equals(in.sessionKey())) {
            setInputWithNotify(new ChatEditorInput(in.endpoint(), s.sessionId(), s.sessionKey(),
                    title.isEmpty() ? in.title() : title, in.host()));
        }
    }

    /**
     * The session's working directory on its gateway's machine, as its presence record names it (a session on
     * another device); empty when no record names one. Links to relative paths are looked for there first.
     */
    private String sessionDirectory() {
        AgentChannelsServices s = services == null ? null : services.now().orElse(null);
        if (s == null) {
            return "";
        }
        return s.presence().current().find(chatInput().sessionId()).map(RemoteSession::cwd).orElse("");
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

    // ------------------------------------------------------------------ for tests

    public AttachedSession session() {
        return controller.session();
    }

    public StyledText transcriptWidget() {
        return transcript.widget();
    }

    /** The views of the transcript's code blocks shown so far, in their order, for tests. */
    public java.util.List<StyledText> codeBlockViews() {
        return transcript.codeBlockViews();
    }

    /** What opens the transcript's links, for tests. */
    public LinkOpener linkOpener() {
        return transcript.links();
    }

    public Text inputWidget() {
        return input;
    }

    /** The {@code /} completion of the input, for tests. */
    public org.eclipse.jface.fieldassist.ContentProposalAdapter commandCompletion() {
        return commandCompletion.adapter();
    }

    public String statusText() {
        return statusLine.text();
    }

    public String participantsText() {
        return participantsLine.getText();
    }

    public Composite requestsArea() {
        return requests.control();
    }

    /** For tests: the controller that attaches this chat. */
    public SessionController controller() {
        return controller;
    }

    // ------------------------------------------------------------------ editor plumbing

    @Override
    public void setFocus() {
        focusedAt = FOCUS_ORDER.incrementAndGet();
        input.setFocus();
    }

    @Override
    public void dispose() {
        if (visibility != null) {
            visibility.dispose();
        }
        if (controller != null) {
            controller.close();
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
