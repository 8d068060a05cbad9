package org.agentchannels.ui.internal;

import java.util.HashMap;
import java.util.Map;

import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.presence.PresenceTracker;
import org.eclipse.jface.notifications.NotificationPopup;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

/**
 * A notification when a session on another device finishes a turn or starts waiting for a person, found by
 * comparing each presence snapshot with the one before. Off when the preference says so, and while no
 * workbench runs to show it.
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
        String title = s.title().isEmpty() ? Messages.Session_untitled : s.title();
        String text = event == Event.FINISHED ? NLS.bind(Messages.Notification_finished, title, s.host())
                : NLS.bind(Messages.Notification_needsInput, title, s.host());
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> NotificationPopup.forDisplay(display).title(Messages.Notification_title, true)
                .text(text).delay(8000).open());
    }
}
