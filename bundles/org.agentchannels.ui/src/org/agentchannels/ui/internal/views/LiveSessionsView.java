package org.agentchannels.ui.internal.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AccessibleNames;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.BenchReport;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.PartVisibility;
import org.agentchannels.ui.internal.StatusImages;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.ui.internal.UiRefresher;
import org.agentchannels.ui.internal.ServiceHandle;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.NewSessionFlow;
import org.agentchannels.ui.internal.commands.Commands;
import org.agentchannels.ui.internal.commands.PartHandler;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.commands.State;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.DelegatingStyledCellLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.handlers.RegistryToggleState;
import org.eclipse.ui.menus.CommandContributionItem;
import org.eclipse.ui.menus.CommandContributionItemParameter;
import org.eclipse.ui.part.ViewPart;

/**
 * Live on other devices (the seed's section): one row per session live on another device's gateway, grouped
 * by device, newest first, with a working dot that pulses and a mark for sessions that need input. It follows
 * the presence tracker live, coalesced to at most one repaint per frame and none while hidden, keeping the
 * selection. Double-click, Enter or Open resumes a session in a chat editor; on a gateway this device has not
 * paired, they open the pairing dialog instead (Pair...), and a session claimed by more than one gateway is
 * opened at none. While nothing is live it says how sessions from other devices appear, with a link to the
 * preferences.
 */
public final class LiveSessionsView extends ViewPart {

    static final int PULSE_MILLIS = 600;
    static final int AGE_MILLIS = 30_000;

    private Composite stack;
    private StackLayout layout;
    private Composite emptyPage;
    private Composite listPage;
    private Text filter;
    private TreeViewer viewer;
    private StatusImages images;
    /** What a screen reader says for a row (its status in words). */
    private java.util.function.Function<Object, String> accessibleNames = element -> null;
    private UiRefresher refresher;
    private volatile RemoteSessions snapshot = RemoteSessions.empty();
    private RemoteSessions shown;
    private final LiveSessionsContentProvider content = new LiveSessionsContentProvider();
    private volatile boolean pulse;
    private PartVisibility visibility;
    private boolean openedFirst;
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private ServiceHandle<AgentChannelsServices> services;
    /** Guards the listeners' registration against a close that comes first. */
    private final Object listening = new Object();
    private boolean closed;
    private volatile PresenceTracker tracker;
    private volatile GatewayConnector connector;
    private volatile TokenStore tokens;
    /** Pair with a Device...: enabled once the token store is there. */
    private PartHandler pairDevice;
    private final LivePairings pairings = new LivePairings(() -> refresher.request());
    private final PresenceTracker.Listener presenceListener = s -> {
        snapshot = s;
        pairings.update(connector, s);
        refresher.request();
    };
    private final GatewayConnector.Listener connectionListener = new GatewayConnector.Listener() {
        @Override
        public void connectionStateChanged(GatewayConnection connection, ConnectionState state) {
            boolean changed = state instanceof ConnectionState.Failed || state instanceof ConnectionState.Reconnecting
                    ? unreachable.add(connection.endpoint()) : unreachable.remove(connection.endpoint());
            if (changed) {
                refresher.request();
            }
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        images = new StatusImages(parent.getDisplay());
        refresher = new UiRefresher(parent.getDisplay(), this::repaint);
        stack = new Composite(parent, SWT.NONE);
        layout = new StackLayout();
        stack.setLayout(layout);
        emptyPage = LiveEmptyPage.create(stack, () -> getSite().getShell());
        listPage = createListPage(stack);
        layout.topControl = emptyPage;
        content.setGrouped(groupedState());
        activateCommands();
        visibility = PartVisibility.track(this, () -> refresher.request());
        connectServices();
        parent.getDisplay().timerExec(PULSE_MILLIS, this::pulse);
        parent.getDisplay().timerExec(AGE_MILLIS, this::refreshAges);
    }

    /** The services arrive when Declarative Services has them: the UI thread never waits for them. */
    private void connectServices() {
        services = ServiceHandle.open(LiveSessionsView.class, AgentChannelsServices.class);
        services.service().thenAccept(found -> {
            synchronized (listening) {
                if (closed) {
                    return;
                }
                connector = found.connector();
                tokens = found.tokens();
                connector.addListener(connectionListener);
                tracker = found.presence();
                tracker.addListener(presenceListener);
            }
            snapshot = found.presence().current();
            pairings.update(found.connector(), snapshot);
            refresher.request();
            stack.getDisplay().asyncExec(() -> {
                if (!stack.isDisposed()) {
                    pairDevice.update();
                }
            });
        });
    }

    private Composite createListPage(Composite parent) {
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(page);
        filter = new Text(page, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage(Messages.LiveView_filterHint);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(filter);
        viewer = new TreeViewer(page, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
        viewer.setUseHashlookup(true);
        viewer.setComparer(new LiveSessionsComparer());
        viewer.setContentProvider(content);
        org.eclipse.jface.viewers.ColumnViewerToolTipSupport.enableFor(viewer);
        LiveSessionsLabelProvider labels = new LiveSessionsLabelProvider(content, images, unreachable, () -> pulse,
                pairings::isKnownUnpaired);
        viewer.setLabelProvider(new DelegatingStyledCellLabelProvider(labels));
        accessibleNames = labels::accessibleName;
        AccessibleNames.forRows(viewer.getTree(), accessibleNames);
        viewer.addFilter(new LiveSessionsFilter(filter::getText, content));
        viewer.setAutoExpandLevel(TreeViewer.ALL_LEVELS);
        viewer.addOpenListener(e -> openSelection());
        filter.addModifyListener(e -> viewer.refresh());
        MenuManager menu = new MenuManager();
        menu.setRemoveAllWhenShown(true);
        menu.addMenuListener(this::fillContextMenu);
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        getSite().registerContextMenu(menu, viewer);
        getSite().setSelectionProvider(viewer);
        return page;
    }

    /** The Group by Device toggle's remembered state (the command declared in plugin.xml owns it). */
    private boolean groupedState() {
        ICommandService commands = getSite().getService(ICommandService.class);
        State state = commands == null ? null : commands.getCommand(Commands.GROUP_BY_DEVICE).getState(RegistryToggleState.STATE_ID);
        return state == null || !(state.getValue() instanceof Boolean b) || b;
    }

    /** The commands of the menus, the toolbar and F5, handled by this view; enabled by what is selected. */
    private void activateCommands() {
        getSite().getService(IContextService.class).activateContext(Commands.SESSION_LISTS_CONTEXT);
        PartHandler open = PartHandler.activate(getSite(), Commands.OPEN_SESSION, this::openSelection, this::canOpenSelection);
        PartHandler create = PartHandler.activate(getSite(), Commands.NEW_SESSION, this::createSession, this::canCreateSession);
        PartHandler.activate(getSite(), Commands.REFRESH_SESSIONS, this::refreshSessions);
        PartHandler.activate(getSite(), Commands.GROUP_BY_DEVICE, this::toggleGrouped);
        pairDevice = PartHandler.activate(getSite(), Commands.PAIR_DEVICE, this::pairWithDevice, () -> tokens != null);
        viewer.addSelectionChangedListener(e -> {
            open.update();
            create.update();
        });
    }

    /** Group by Device, a toggle whose state the command keeps (and the workbench remembers). */
    private void toggleGrouped() {
        ICommandService commands = getSite().getService(ICommandService.class);
        try {
            setGrouped(!HandlerUtil.toggleCommandState(commands.getCommand(Commands.GROUP_BY_DEVICE)));
        } catch (ExecutionException e) {
            ILog.of(getClass()).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID, e.getMessage(), e));
        }
    }

    /** Shows the sessions under their devices, or as one list. */
    private void setGrouped(boolean grouped) {
        content.setGrouped(grouped);
        shown = null;
        repaint();
    }

    /**
     * Open, and New Session on the selected row's device: the commands, labelled for what is selected; Pair...
     * instead for a gateway this device has not paired; nothing to dial for a session more than one gateway claims.
     */
    private void fillContextMenu(IMenuManager menu) {
        RemoteDevice device = selectedDevice();
        if (device != null && pairings.isKnownUnpaired(device.endpoint())) {
            menu.add(new Action(Messages.LiveView_pair) {
                @Override
                public void run() {
                    pair(device.endpoint());
                }
            });
        } else if (device != null) {
            if (canOpenSelection()) {
                menu.add(commandItem(Commands.OPEN_SESSION, Messages.LiveView_open));
            }
            menu.add(commandItem(Commands.NEW_SESSION, NLS.bind(Messages.LiveView_newSessionOn, device.host())));
        }
        menu.add(new Separator("additions"));
    }

    /** Pair... for the gateway at {@code endpoint}: the pairing dialog, then the rows say what changed. */
    void pair(String endpoint) {
        GatewayConnector c = connector;
        pairings.pair(getSite().getShell(), tokens, endpoint, c == null ? "" : c.localDeviceName());
    }

    /** Pair with a Device...: the pairing dialog for any gateway, for the line its device printed. */
    public void pairWithDevice() {
        pair("");
    }

    private CommandContributionItem commandItem(String commandId, String label) {
        CommandContributionItemParameter p = new CommandContributionItemParameter(getSite(), null, commandId,
                CommandContributionItem.STYLE_PUSH);
        p.label = label;
        return new CommandContributionItem(p);
    }

    /** The gateway of the selected row; null for none, or for a session (or group) more than one gateway claims. */
    private RemoteDevice selectedDevice() {
        Object selected = viewer.getStructuredSelection().getFirstElement();
        RemoteDevice device = selected instanceof RemoteDevice d ? d
                : selected instanceof RemoteSession s ? LiveSessionsContentProvider.deviceOf(s) : null;
        return device == null || device.endpoint().isEmpty() ? null : device;
    }

    private boolean canOpenSelection() {
        return viewer != null && viewer.getStructuredSelection().getFirstElement() instanceof RemoteSession s
                && !s.isConflicting();
    }

    private boolean canCreateSession() {
        return viewer != null && selectedDevice() != null && !pairings.isKnownUnpaired(selectedDevice().endpoint());
    }

    private void createSession() {
        RemoteDevice device = selectedDevice();
        if (device != null) {
            NewSessionFlow.start(getSite().getPage(), services, device.endpoint(), device.host());
        }
    }

    private void refreshSessions() {
        PresenceTracker t = tracker;
        if (t != null) {
            t.refresh();
        }
    }

    /** Opens the selected session; Pair... first when its gateway is not paired; nothing when it has no endpoint. */
    private void openSelection() {
        if (!canOpenSelection() || !(viewer.getStructuredSelection().getFirstElement() instanceof RemoteSession s)) {
            return;
        }
        if (pairings.isKnownUnpaired(s.endpoint())) {
            pair(s.endpoint());
            return;
        }
        // the title as the record has it, empty too: the chat shows its own label and asks the gateway
        ChatEditor.open(getSite().getPage(), s.endpoint(), s.sessionId(), s.sessionKey(), s.title(), s.host());
    }

    // ------------------------------------------------------------------ painting (UI thread)

    private void repaint() {
        if (stack.isDisposed() || !visibility.isVisible()) {
            return; // a hidden view lays nothing out; it repaints when shown
        }
        RemoteSessions next = snapshot;
        boolean empty = next.isEmpty();
        Composite top = empty ? emptyPage : listPage;
        if (layout.topControl != top) {
            layout.topControl = top;
            stack.layout();
        }
        if (next != shown) {
            shown = next;
            if (!empty && !openedFirst && UiPreferences.openFirstLiveSession()) {
                openedFirst = true;
                // never a session without an endpoint: an empty one would open this device's own
                next.sessions().stream().filter(x -> !x.isConflicting())
                        .sorted(java.util.Comparator.comparing(x -> x.activity() != SessionActivity.WORKING)).findFirst()
                        .ifPresent(first -> getSite().getShell().getDisplay().asyncExec(() -> ChatEditor.open(
                                getSite().getPage(), first.endpoint(), first.sessionId(), first.sessionKey(), first.title(),
                                first.host())));
            }
            IStructuredSelection selection = viewer.getStructuredSelection();
            viewer.getTree().setRedraw(false);
            try {
                viewer.setInput(next);
                viewer.expandAll();
                if (!selection.isEmpty()) {
                    viewer.setSelection(new StructuredSelection(selection.toList()), true);
                }
            } finally {
                viewer.getTree().setRedraw(true);
            }
            BenchReport.livePainted(viewer.getTree(), next.size());
        } else {
            viewer.refresh(true);
        }
    }

    private void pulse() {
        if (stack.isDisposed()) {
            return;
        }
        pulse = !pulse;
        if (visibility.isVisible() && shown != null) {
            List<Object> working = new ArrayList<>();
            for (RemoteSession s : shown.sessions()) {
                if (s.activity() == SessionActivity.WORKING) {
                    working.add(s);
                }
            }
            if (!working.isEmpty()) {
                viewer.update(working.toArray(), null);
            }
        }
        stack.getDisplay().timerExec(PULSE_MILLIS, this::pulse);
    }

    private void refreshAges() {
        if (stack.isDisposed()) {
            return;
        }
        if (visibility.isVisible() && shown != null && !shown.isEmpty()) {
            viewer.refresh(true);
            pairings.recheck(); // a gateway may have been paired in the preferences meanwhile
        }
        stack.getDisplay().timerExec(AGE_MILLIS, this::refreshAges);
    }

    /** Whether the view shows its empty state (no remote session known). */
    public boolean isShowingEmptyState() {
        return layout != null && layout.topControl == emptyPage && !emptyPage.isDisposed();
    }

    /** What a screen reader is told for a row's element (the accessible name the tree gives it). */
    public String accessibleName(Object element) {
        return accessibleNames.apply(element);
    }

    /** For tests: the viewer of the list. */
    public TreeViewer viewer() {
        return viewer;
    }

    /** For tests: the filter box. */
    public Text filter() {
        return filter;
    }

    @Override
    public void setFocus() {
        if (layout.topControl == listPage) {
            viewer.getControl().setFocus();
        } else {
            emptyPage.setFocus();
        }
    }

    @Override
    public void dispose() {
        if (visibility != null) {
            visibility.dispose();
        }
        pairings.cancel();
        synchronized (listening) {
            closed = true;
            if (tracker != null) {
                tracker.removeListener(presenceListener);
            }
            if (connector != null) {
                connector.removeListener(connectionListener);
            }
        }
        if (services != null) {
            services.close();
        }
        if (images != null) {
            images.dispose();
        }
        super.dispose();
    }
}
