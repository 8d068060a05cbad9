package org.agentchannels.ui.internal.views;

import java.util.List;

import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.ui.internal.AccessibleNames;
import org.agentchannels.ui.internal.Ages;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.StatusImages;
import org.agentchannels.ui.internal.ServiceHandle;
import org.agentchannels.ui.internal.SessionStatusText;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.NewSessionFlow;
import org.agentchannels.ui.internal.commands.Commands;
import org.agentchannels.ui.internal.commands.PartHandler;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.DelegatingStyledCellLabelProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StyledString;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.part.ViewPart;


/**
 * Sessions: this device's own sessions, from its gateway ({@code session.list}, with {@code session.active_list}
 * for which are live and what they do). Open one to chat; New Session starts one here. Refreshed in a Job
 * when shown and every 10 s while visible.
 */
public final class LocalSessionsView extends ViewPart {

    static final int REFRESH_MILLIS = 10_000;

    /** A row: a stored session and, when it is live, its runtime id and status. */
    public record Row(SessionSummary stored, String liveId, SessionActivity activity) {
    }

    private TableViewer viewer;
    private Label message;
    private StatusImages images;
    private final Labels labels = new Labels();
    private volatile boolean refreshing;
    private PartHandler create;
    private ServiceHandle<AgentChannelsServices> services;
    /** Guards the listener's registration against a close that comes first. */
    private final Object listening = new Object();
    private boolean closed;
    private volatile GatewayConnector connector;
    /** This device's gateway connecting (at start, after a preference change) is the moment to ask it. */
    private final GatewayConnector.Listener localConnected = new GatewayConnector.Listener() {
        @Override
        public void connectionStateChanged(GatewayConnection connection, ConnectionState state) {
            GatewayConnector c = connector;
            if (state instanceof ConnectionState.Connected && c != null
                    && c.localGateway().filter(local -> local == connection).isPresent()) {
                refresh();
            }
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        images = new StatusImages(parent.getDisplay());
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(page);
        message = new Label(page, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(message);
        viewer = new TableViewer(page, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setLabelProvider(new DelegatingStyledCellLabelProvider(labels));
        AccessibleNames.forRows(viewer.getControl(), labels::accessibleName);
        viewer.addOpenListener(e -> {
            if (viewer.getStructuredSelection().getFirstElement() instanceof Row row) {
                open(row);
            }
        });
        MenuManager menu = new MenuManager();
        menu.add(new Separator(IWorkbenchActionConstants.MB_ADDITIONS)); // Open and New Session come from plugin.xml
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        getSite().registerContextMenu(menu, viewer);
        getSite().setSelectionProvider(viewer);
        getSite().getService(IContextService.class).activateContext(Commands.SESSION_LISTS_CONTEXT);
        PartHandler open = PartHandler.activate(getSite(), Commands.OPEN_SESSION, this::openSelection, this::canOpenSelection);
        create = PartHandler.activate(getSite(), Commands.NEW_SESSION, this::createSession, this::canCreateSession);
        PartHandler.activate(getSite(), Commands.REFRESH_SESSIONS, this::refresh);
        viewer.addSelectionChangedListener(e -> open.update());
        services = ServiceHandle.open(LocalSessionsView.class, AgentChannelsServices.class);
        services.service().thenAccept(found -> {
            synchronized (listening) {
                if (!closed) {
                    connector = found.connector();
                    connector.addListener(localConnected);
                }
            }
        });
        refresh();
        parent.getDisplay().timerExec(REFRESH_MILLIS, this::tick);
    }

    private void tick() {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        if (getSite().getPage().isPartVisible(this)) {
            refresh();
        }
        viewer.getControl().getDisplay().timerExec(REFRESH_MILLIS, this::tick);
    }

    private boolean canOpenSelection() {
        return viewer.getStructuredSelection().getFirstElement() instanceof Row;
    }

    private void openSelection() {
        if (viewer.getStructuredSelection().getFirstElement() instanceof Row row) {
            open(row);
        }
    }

    private boolean canCreateSession() {
        GatewayConnector c = connector;
        return c != null && c.localGateway().isPresent();
    }

    /** A new session on this device's gateway, whether it was dialled or started here. */
    private void createSession() {
        if (canCreateSession()) {
            NewSessionFlow.start(getSite().getPage(), services, "", Messages.Chat_thisDevice);
        }
    }

    private void open(Row row) {
        ChatEditor.open(getSite().getPage(), "", row.liveId(), row.stored().id(),
                row.stored().title().isEmpty() ? Messages.Session_untitled : row.stored().title(), Messages.Chat_thisDevice);
    }

    /** Asks this device's gateway in a Job and shows the answer (or why there is none). */
    public void refresh() {
        if (refreshing) {
            return;
        }
        refreshing = true;
        Job job = Job.create(Messages.Job_connecting, (IProgressMonitor monitor) -> {
            List<Row> rows = List.of();
            String problem = "";
            try {
                AgentChannelsServices found = services.awaitInJob().orElse(null);
                if (found != null) {
                    found.configured().get(); // this device's gateway comes from the preferences
                }
                GatewayConnection local = found == null ? null : found.connector().localGateway().orElse(null);
                if (local == null) {
                    problem = Messages.SessionsView_noGateway;
                } else {
                    local.connect().get(20, java.util.concurrent.TimeUnit.SECONDS);
                    rows = local.sessions().get(20, java.util.concurrent.TimeUnit.SECONDS).stream()
                            .filter(session -> session.stored() != null)
                            .map(session -> new Row(session.stored(), session.liveId(), session.activity())).toList();
                    if (rows.isEmpty()) {
                        problem = Messages.SessionsView_none;
                    }
                }
            } catch (Exception e) {
                problem = NLS.bind(Messages.SessionsView_unreachable,
                        org.agentchannels.connector.GatewayException.of(e).getMessage());
            } finally {
                refreshing = false;
            }
            List<Row> shown = rows;
            String said = problem;
            if (!viewer.getControl().isDisposed()) {
                viewer.getControl().getDisplay().asyncExec(() -> show(shown, said));
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void show(List<Row> rows, String problem) {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        create.update(); // this device's gateway may have been set since
        message.setText(problem);
        ((org.eclipse.swt.layout.GridData) message.getLayoutData()).exclude = problem.isEmpty();
        message.setVisible(!problem.isEmpty());
        message.getParent().layout(true);
        viewer.setInput(rows);
    }

    /** For tests. */
    /** What a screen reader is told for a row's element (the accessible name the table gives it). */
    public String accessibleName(Object element) {
        return labels.accessibleName(element);
    }

    public TableViewer viewer() {
        return viewer;
    }

    public String message() {
        return message.getText();
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        synchronized (listening) {
            closed = true;
            if (connector != null) {
                connector.removeListener(localConnected);
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

    private final class Labels extends LabelProvider implements DelegatingStyledCellLabelProvider.IStyledLabelProvider {
        @Override
        public StyledString getStyledText(Object element) {
            Row row = (Row) element;
            StyledString text = new StyledString(row.stored().title().isEmpty() ? Messages.Session_untitled : row.stored().title());
            String age = Ages.since(row.stored().startedAt(), System.currentTimeMillis() / 1000.0);
            text.append("  " + NLS.bind(Messages.SessionsView_details, row.stored().messageCount(), age),
                    StyledString.QUALIFIER_STYLER);
            return text;
        }

        @Override
        public Image getImage(Object element) {
            Row row = (Row) element;
            return row.liveId().isEmpty() ? null : images.of(row.activity(), false);
        }

        /** The row's text and, for a live session, its status in words: its mark is only a colour. */
        String accessibleName(Object element) {
            if (!(element instanceof Row row)) {
                return null;
            }
            String text = getStyledText(row).getString();
            return row.liveId().isEmpty() ? text : text + ", " + SessionStatusText.of(row.activity(), null, Messages.Chat_thisDevice);
        }
    }
}
