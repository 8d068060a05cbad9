package org.agentchannels.ui.internal.status;

import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.ServiceHandle;
import org.agentchannels.ui.internal.UiRefresher;
import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.menus.WorkbenchWindowControlContribution;

/**
 * The status bar's count of the sessions on other devices that wait for a person's input ("2 sessions elsewhere need
 * your input"), blank when none do; a click opens the Live view. It follows the presence tracker, repainting at most
 * once a frame on the UI thread.
 */
public final class SessionsAwaitingInput extends WorkbenchWindowControlContribution {

    private Link link;
    private UiRefresher refresher;
    private ServiceHandle<AgentChannelsServices> services;
    private volatile PresenceTracker tracker;
    private volatile int waiting;
    private final PresenceTracker.Listener listener = snapshot -> {
        waiting = count(snapshot);
        UiRefresher r = refresher;
        if (r != null) {
            r.request();
        }
    };

    /** How many of {@code snapshot}'s sessions wait for a person's input. */
    public static int count(RemoteSessions snapshot) {
        return (int) snapshot.sessions().stream().filter(s -> s.activity() == SessionActivity.NEEDS_INPUT).count();
    }

    /** What the item says for {@code waiting} sessions; empty for none. */
    public static String text(int waiting) {
        return waiting == 0 ? "" : waiting == 1 ? Messages.Attention_oneNeedsInput : NLS.bind(Messages.Attention_needInput, waiting);
    }

    @Override
    protected Control createControl(Composite parent) {
        // the status bar sizes its slot once: room for the longest text from the start, so no count is ever cut
        Composite holder = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(4, 0).applyTo(holder);
        link = new Link(holder, SWT.NONE);
        GC gc = new GC(link);
        int widest;
        try {
            widest = Math.max(gc.textExtent(text(1)).x, gc.textExtent(text(99)).x) + 8;
        } finally {
            gc.dispose();
        }
        GridDataFactory.fillDefaults().grab(true, true).align(SWT.END, SWT.CENTER).hint(widest, SWT.DEFAULT).applyTo(link);
        link.setData(SessionsAwaitingInput.class.getName(), this); // how tests find it
        link.addListener(SWT.Selection, e -> openLiveView());
        refresher = new UiRefresher(parent.getDisplay(), this::repaint);
        services = ServiceHandle.open(SessionsAwaitingInput.class, AgentChannelsServices.class);
        services.service().thenAccept(found -> {
            synchronized (this) {
                if (link == null || link.isDisposed()) {
                    return;
                }
                tracker = found.presence();
                tracker.addListener(listener);
            }
            listener.remoteSessionsChanged(found.presence().current());
        });
        link.addDisposeListener(e -> stopListening());
        return holder;
    }

    /** The link showing the count, for tests. */
    public Link link() {
        return link;
    }

    private void repaint() {
        if (link == null || link.isDisposed()) {
            return;
        }
        String text = text(waiting);
        link.setText(text.isEmpty() ? "" : "<a>" + text + "</a>");
        link.setToolTipText(text.isEmpty() ? null : Messages.Attention_openLive);
    }

    private void openLiveView() {
        try {
            getWorkbenchWindow().getActivePage().showView(AgentChannelsUi.LIVE_VIEW_ID);
        } catch (PartInitException e) {
            ILog.of(SessionsAwaitingInput.class).log(e.getStatus());
        }
    }

    private synchronized void stopListening() {
        PresenceTracker t = tracker;
        if (t != null) {
            t.removeListener(listener);
        }
        tracker = null;
        if (services != null) {
            services.close();
        }
    }

    @Override
    public void dispose() {
        stopListening();
        super.dispose();
    }
}
