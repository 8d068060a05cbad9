package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.ConnectionState;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.gateway.PacedAgent;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * Faults as the workbench meets them: a presence folder full of broken files, and a chat whose connection
 * is cut mid-turn. The views show what is good and say what is not, and no error dialog ever opens.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class WorkbenchFaultTest extends WorkbenchTestCase {

    /** Every shell that is showing apart from the workbench window: a dialog, if any opened. */
    private static List<String> dialogs() {
        Shell workbench = Ui.page().getWorkbenchWindow().getShell();
        List<String> open = new ArrayList<>();
        for (Shell shell : Display.getCurrent().getShells()) {
            if (shell != workbench && shell.isVisible()) {
                open.add(shell.getText());
            }
        }
        return open;
    }

    private static String record(String id, String title, double expiresIn) {
        double now = System.currentTimeMillis() / 1000.0;
        return "{\"version\":1,\"session_id\":\"" + id + "\",\"session_key\":\"k-" + id + "\",\"status\":\"idle\",\"title\":\""
                + title + "\",\"endpoint\":\"ws://127.0.0.1:9/api/ws\",\"host\":\"desk\",\"updated_at\":" + now
                + ",\"expires_at\":" + (now + expiresIn) + "}";
    }

    @Test
    void aPresenceFolderOfBrokenFilesShowsTheGoodRecordsAndNoDialog() throws Exception {
        Files.writeString(presence.resolve("desk-1.good.json"), record("good", "The good one", 90));
        Files.writeString(presence.resolve("desk-1.truncated.json"), record("cut", "Cut short", 90).substring(0, 60));
        Files.writeString(presence.resolve("desk-1.garbage.json"), "\u0000\u0001 not json at all \uFFFD");
        Files.writeString(presence.resolve("desk-1.huge.json"), "{\"title\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
        Files.writeString(presence.resolve("desk-1.deep.json"), "[".repeat(5000) + "]".repeat(5000));
        Files.writeString(presence.resolve("desk-1.expired.json"), record("old", "Long gone", -60));
        Files.writeString(presence.resolve("desk-1.wrongtypes.json"), "{\"version\":\"one\",\"session_id\":7,\"expires_at\":\"soon\"}");

        LiveSessionsView view = (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        Ui.await("the good record", () -> sessionLabels(view).size() == 1);
        assertTrue(sessionLabels(view).get(0).startsWith("The good one"), sessionLabels(view).toString());
        // a broken file written later changes nothing either
        Files.writeString(presence.resolve("desk-1.late.json"), "{\"session_id\":");
        Files.writeString(presence.resolve("desk-1.second.json"), record("second", "Another good one", 90));
        Ui.await("the second good record", () -> sessionLabels(view).size() == 2);
        assertEquals(List.of(), dialogs());
    }

    @Test
    void aChatCutOffMidTurnShowsReconnectingThenExactlyTheGatewaysTranscriptAndNoDialog() throws Exception {
        Gateway gateway = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--device-name", "desk",
                "--presence-dir", dir.resolve("desk-presence").toString()), dir.resolve("desk")), new PacedAgent("w", 120, 15),
                () -> "desk", Clock.systemUTC());
        toClose.add(gateway);
        FaultProxy proxy = new FaultProxy(gateway.port());
        toClose.add(proxy);
        Ui.tokens().put(proxy.endpoint(), gateway.token());
        var desk = deskClient(gateway);
        String id = desk.createSession("", List.of()).get(30, TimeUnit.SECONDS).sessionId();

        ChatEditor chat = ChatEditor.open(Ui.page(), proxy.endpoint(), id, "", "Cut", "desk");
        assertNotNull(chat);
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));
        chat.inputWidget().setText("keep going");
        chat.sendPrompt();
        Ui.await("the turn streaming", () -> chat.transcriptWidget().getText().contains("w10 "));

        proxy.refuse(true);
        proxy.cutAll();
        Ui.await("the status line saying it reconnects", () -> chat.statusText().contains("Reconnecting")
                && chat.session().connection().state() instanceof ConnectionState.Reconnecting);
        Thread.sleep(500); // the turn goes on at the gateway meanwhile
        proxy.refuse(false);

        Ui.await("the finished turn, the same as the gateway's", () -> chat.session().model().activity() == SessionActivity.IDLE
                && chat.statusText().contains("Connected") && chat.transcriptWidget().getText().contains("w119"));
        List<TranscriptRow> stored = desk.history(id).get(30, TimeUnit.SECONDS).messages();
        assertEquals(stored, chat.session().model().rows());
        String text = chat.transcriptWidget().getText();
        assertEquals(1, text.split("keep going", -1).length - 1, "the prompt once: " + text);
        assertEquals(1, text.split("w119", -1).length - 1, "the last word once: " + text);
        assertEquals(List.of(), dialogs());
    }
}
