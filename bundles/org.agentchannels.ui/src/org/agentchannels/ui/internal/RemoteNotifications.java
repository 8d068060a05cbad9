package org.agentchannels.ui.internal;

import java.util.HashMap;
import java.util.Map;

import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.notifications.NotificationPopup;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * A notification when a session on another device finishes a turn or starts waiting for a person, found by
 * comparing each presence snapshot with the one before. Off when the preference says so, while no workbench runs
 * to show it, and for a session whose chat is in front of the person; its link opens the session's chat.
 */
public final class RemoteNotifications implements PresenceTracker.Listener {

    /** What happened to a session between two snapshots, if it is worth telling. */
    public enum Event {
        FINISHED, NEEDS_INPUT
    }

    private final Map<String, SessionActivity> last = new HashMap<>();
    private boolean primed;

    @Override
    public synchronized void remoteSessionsChanged(RemoteSessions snapshot) {
        Map<String, SessionActivity> now = new HashMap<>();
        for (RemoteSession s : snapshot.sessions()) {
            now.put(s.sessionId(), s.activity());
            Event event = primed ? eventFor(last.get(s.sessionId()), s.activity()) : null;
            if (event != null && UiPreferences.notifications()) {
                show(s, event);
            }
        }
        last.clear();
        last.putAll(now);
        primed = true; // the first snapshot is what already was, not news
    }

    /** @return what to tell for a session that went from {@code before} to {@code after}, or {@code null} */
    public static Event eventFor(SessionActivity before, SessionActivity after) {
        if (after == SessionActivity.NEEDS_INPUT && before != SessionActivity.NEEDS_INPUT) {
            return Event.NEEDS_INPUT;
        }
        if (before == SessionActivity.WORKING && after == SessionActivity.IDLE) {
            return Event.FINISHED;
        }
        return null;
    }

    private void show(RemoteSession s, Event event) {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            if (!display.isDisposed()) {
                popUp(display, s, event);
            }
        });
    }

    /**
     * Shows the notification of {@code event}, unless the session's chat is in front of the person (the active part of
     * the focused workbench window), who sees it happen there. Its link opens the chat. On the UI thread.
     *
     * @return the popup shown, or {@code null} when none was needed
     */
    public static NotificationPopup popUp(Display display, RemoteSession s, Event event) {
        if (isInFront(s)) {
            return null;
        }
        String title = s.title().isEmpty() ? Messages.Session_untitled : s.title();
        String text = event == Event.FINISHED ? NLS.bind(Messages.Notification_finished, title, s.host())
                : NLS.bind(Messages.Notification_needsInput, title, s.host());
        NotificationPopup[] popup = new NotificationPopup[1];
        popup[0] = NotificationPopup.forDisplay(display).title(Messages.Notification_title, true).content(parent -> {
            Composite body = new Composite(parent, SWT.NONE);
            GridLayoutFactory.fillDefaults().applyTo(body);
            Label said = new Label(body, SWT.WRAP);
            said.setText(text);
            GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(said);
            Link open = new Link(body, SWT.NONE);
            open.setText("<a>" + Messages.Notification_openChat + "</a>");
            open.addListener(SWT.Selection, e -> {
                popup[0].close();
                openChat(s);
            });
            return body;
        }).delay(8000).build();
        popup[0].open();
        return popup[0];
    }

    /** Whether the chat of {@code s} is the active part of the workbench window that has the focus. */
    static boolean isInFront(RemoteSession s) {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null) {
            return false;
        }
        boolean focused = !window.getShell().getMinimized() && window.getShell().getDisplay().getActiveShell() == window.getShell();
        IWorkbenchPage page = window.getActivePage();
        return isInFront(focused, page == null ? null : page.getActivePart(), s);
    }

    /** Whether a person sees {@code s} happen: its chat is {@code activePart} of a window that has the focus. */
    public static boolean isInFront(boolean windowFocused, IWorkbenchPart activePart, RemoteSession s) {
        return windowFocused && activePart instanceof ChatEditor chat && chat.chatInput().sessionId().equals(s.sessionId());
    }

    private static void openChat(RemoteSession s) {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
            window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        }
        if (window == null || window.getActivePage() == null) {
            return;
        }
        window.getShell().setMinimized(false);
        window.getShell().forceActive();
        ChatEditor.open(window.getActivePage(), s.endpoint(), s.sessionId(), s.sessionKey(), s.title(), s.host());
    }
}
