package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.status.SessionsAwaitingInput;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status bar counts the sessions elsewhere that wait for input, and a click on it opens the Live view. */
@ExtendWith(NoErrorLoggedExtension.class)
class AttentionStatusTest extends WorkbenchTestCase {

    @RegisterExtension
    final UiWatchdog watchdog = new UiWatchdog();

    private void write(String name, String id, String status) throws Exception {
        double now = System.currentTimeMillis() / 1000.0;
        String text = "{\"version\":1,\"session_id\":\"" + id + "\",\"session_key\":\"k-" + id + "\",\"status\":\"" + status
                + "\",\"title\":\"t " + id + "\",\"endpoint\":\"ws://127.0.0.1:9/api/ws\",\"host\":\"desk\",\"updated_at\":"
                + now + ",\"expires_at\":" + (now + 90) + "}";
        var tmp = presence.resolve("." + name + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, presence.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Link statusLink() {
        List<Control> all = new ArrayList<>();
        collect(Ui.page().getWorkbenchWindow().getShell(), all);
        return all.stream().filter(c -> c instanceof Link l && l.getData(SessionsAwaitingInput.class.getName()) != null)
                .map(Link.class::cast).findFirst().orElse(null);
    }

    private static void collect(Control control, List<Control> into) {
        into.add(control);
        if (control instanceof Composite c) {
            for (Control child : c.getChildren()) {
                collect(child, into);
            }
        }
    }

    @Test
    void theCountFollowsThePresenceRecordsAndItsClickOpensTheLiveView() throws Exception {
        assertEquals("", SessionsAwaitingInput.text(0));
        Ui.await("the status bar item", () -> statusLink() != null);
        write("desk-1.w1.json", "w1", "waiting");
        write("desk-1.w2.json", "w2", "working");
        Ui.await("one waiting", () -> statusLink().getText().equals("<a>" + SessionsAwaitingInput.text(1) + "</a>"));
        write("desk-1.w2.json", "w2", "waiting");
        Ui.await("two waiting", () -> statusLink().getText().equals("<a>" + SessionsAwaitingInput.text(2) + "</a>"));
        assertEquals("2 sessions elsewhere need your input", SessionsAwaitingInput.text(2));
        Ui.await("room for the whole text", () -> statusLink().getSize().x >= statusLink().computeSize(SWT.DEFAULT,
                SWT.DEFAULT, true).x);

        Ui.page().hideView(Ui.page().findView(AgentChannelsUi.LIVE_VIEW_ID));
        statusLink().notifyListeners(SWT.Selection, new Event());
        assertNotNull(Ui.page().findView(AgentChannelsUi.LIVE_VIEW_ID), "the click opens the Live view");

        Files.delete(presence.resolve("desk-1.w1.json"));
        Files.delete(presence.resolve("desk-1.w2.json"));
        Ui.await("none waiting", () -> statusLink().getText().isEmpty());
    }
}
