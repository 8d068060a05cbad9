package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.internal.RemoteNotifications;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.jface.notifications.NotificationPopup;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A notification of another device's session: its link opens the session's chat, and none is shown for a session
 * whose chat is in front of the person.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class NotificationPopupTest extends WorkbenchTestCase {

    @RegisterExtension
    final UiWatchdog watchdog = new UiWatchdog();

    private static RemoteSession session(String id, String title) {
        double now = System.currentTimeMillis() / 1000.0;
        return new RemoteSession(id, "k-" + id, "ws://127.0.0.1:9/api/ws", title, "desk", "echo", "idle", "", now, now + 90, 3);
    }

    @Test
    void thePopupSaysWhatHappenedAndItsLinkOpensTheChat() {
        RemoteSession release = session("n1", "Release checklist");
        NotificationPopup popup = RemoteNotifications.popUp(Ui.page().getWorkbenchWindow().getShell().getDisplay(), release,
                RemoteNotifications.Event.FINISHED);
        assertNotNull(popup, "no chat of it is in front");
        try {
            List<Control> controls = new ArrayList<>();
            collect(popup.getShell(), controls);
            assertTrue(controls.stream().anyMatch(c -> c instanceof Label l && l.getText().contains("Release checklist")
                    && l.getText().contains("desk")), "it names the session and its device");
            Link open = (Link) controls.stream().filter(c -> c instanceof Link).findFirst().orElseThrow();
            open.notifyListeners(SWT.Selection, new Event());
            Ui.await("the chat open", () -> Ui.page().getActiveEditor() instanceof ChatEditor chat
                    && chat.chatInput().sessionId().equals("n1"));
            assertTrue(popup.getShell() == null || popup.getShell().isDisposed(), "the popup closes");
        } finally {
            if (popup.getShell() != null && !popup.getShell().isDisposed()) {
                popup.close();
            }
        }
    }

    @Test
    void noPopupForTheSessionWhoseChatIsInFront() {
        RemoteSession release = session("n2", "Release checklist");
        ChatEditor chat = ChatEditor.open(Ui.page(), release.endpoint(), release.sessionId(), release.sessionKey(),
                release.title(), release.host());
        assertNotNull(chat);
        assertTrue(RemoteNotifications.isInFront(true, chat, release), "its chat, in the focused window");
        assertFalse(RemoteNotifications.isInFront(false, chat, release), "the window has not the focus: say it");
        assertFalse(RemoteNotifications.isInFront(true, chat, session("other", "Nightly")), "another session's chat");
        assertFalse(RemoteNotifications.isInFront(true, null, release));
    }

    private static void collect(Control control, List<Control> into) {
        into.add(control);
        if (control instanceof Composite c) {
            for (Control child : c.getChildren()) {
                collect(child, into);
            }
        }
    }
}
