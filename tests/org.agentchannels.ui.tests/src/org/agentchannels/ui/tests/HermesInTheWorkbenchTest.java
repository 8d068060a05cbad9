package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.GatewayFailures;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.preferences.PairedGatewaysPreferencePage;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14 in the workbench, against a June-line Hermes gateway as it really behaves: a refused token in the
 * chat and on the Paired Gateways page, the title its results lack, its spinner, a prompt it refuses as busy,
 * a row whose session was reaped, and a session rebuilt under a new runtime id.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class HermesInTheWorkbenchTest extends WorkbenchTestCase {

    private static final String HOST = "hermes-box";
    private final List<String> pairedHere = new ArrayList<>();
    private FakeSessionHost host;

    @AfterEach
    void forgetThePairingsMadeHere() throws Exception {
        for (String endpoint : pairedHere) {
            Ui.tokens().remove(endpoint);
        }
    }

    /** A Hermes gateway, paired (with {@code token}, or trusted without one), hosting {@code s1}. */
    private ScriptedGateway hermes(String token, String pairedToken) throws Exception {
        ScriptedGateway gw = new ScriptedGateway().deviceName(HOST);
        if (token != null) {
            gw.token(token);
        }
        host = new FakeSessionHost(gw, false);
        toClose.add(gw);
        gw.start();
        pairedHere.add(gw.endpoint());
        if (pairedToken == null) {
            Ui.tokens().trustWithoutToken(gw.endpoint());
        } else {
            Ui.tokens().put(gw.endpoint(), pairedToken);
        }
        return gw;
    }

    private void record(String sessionId, String key, String title, String status, String endpoint) throws Exception {
        double now = System.currentTimeMillis() / 1000.0;
        Files.writeString(presence.resolve(HOST + "-1." + sessionId + ".json"), "{\"version\":1,\"session_id\":\"" + sessionId
                + "\",\"session_key\":\"" + key + "\",\"status\":\"" + status + "\",\"title\":\"" + title
                + "\",\"endpoint\":\"" + endpoint + "\",\"host\":\"" + HOST + "\",\"updated_at\":" + (now - 1)
                + ",\"expires_at\":" + (now + 89) + "}");
    }

    private static LiveSessionsView liveView() throws Exception {
        return (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
    }

    private static void open(LiveSessionsView view, TreeItem row) {
        view.viewer().getTree().setSelection(row);
        view.viewer().getTree().notifyListeners(SWT.Selection, new Event());
        view.viewer().getTree().notifyListeners(SWT.DefaultSelection, new Event());
    }

    private static ChatEditor attachedChat() {
        Ui.await("the chat attached", () -> Ui.page().getActiveEditor() instanceof ChatEditor c && c.session() != null);
        return (ChatEditor) Ui.page().getActiveEditor();
    }

    @Test
    void aRefusedTokenIsSaidInTheChatAndOnThePairedGatewaysPage() throws Exception {
        ScriptedGateway gw = hermes("the-right-one", "a-stale-one");
        host.add("s1", "k1");
        ChatEditor chat = ChatEditor.open(Ui.page(), gw.endpoint(), "s1", "k1", "Refused", HOST);
        assertNotNull(chat);
        String expected = NLS.bind(Messages.Chat_attachFailed,
                NLS.bind(Messages.Chat_tokenRefused, GatewayEndpoints.redact(gw.endpoint())));
        Ui.await("the refusal in the chat", () -> chat.transcriptWidget().getText().contains(expected));
        assertFalse(chat.transcriptWidget().getText().contains("a-stale-one"));

        PairedGatewaysPreferencePage page = new PairedGatewaysPreferencePage(Ui.tokens(), Ui.services().connector());
        PreferenceDialog dialog = openPreferencePage(page);
        try {
            int index = List.of(page.listedEndpoints()).indexOf(gw.endpoint());
            assertEquals(NLS.bind(Messages.Pairing_refused, gw.endpoint()), page.shownRows()[index]);
            page.select(index);
            assertEquals(GatewayFailures.refused(GatewayException.Kind.UNAUTHORIZED, GatewayEndpoints.redact(gw.endpoint())),
                    page.shownMessage());
        } finally {
            dialog.close();
        }
    }

    @Test
    void theTitleTheResultLacksComesFromTheGatewayWhenTheListWasStale() throws Exception {
        ScriptedGateway gw = hermes(null, null);
        host.add("s1", "k1").title = "Fix the flaky test";
        record("s1", "k1", "", "idle", gw.endpoint()); // the record was written before the session had its title
        LiveSessionsView view = liveView();
        Ui.await("the row", () -> findSession(view, Messages.Session_untitled) != null);
        open(view, findSession(view, Messages.Session_untitled));
        ChatEditor chat = attachedChat();
        Ui.await("the tab named", () -> chat.getPartName().equals("Fix the flaky test"));
    }

    @Test
    void theSpinnerIsAPassingStatusAndAPromptTheBusyGatewayRefusedIsSentWhenTheTurnEnds() throws Exception {
        ScriptedGateway gw = hermes(null, null);
        host.add("s1", "k1").title = "Busy desk";
        host.startTurn("s1", "the desk's long turn", HOST, "");
        ChatEditor chat = ChatEditor.open(Ui.page(), gw.endpoint(), "s1", "k1", "Busy desk", HOST);
        assertNotNull(attachedChat());
        Ui.await("the running turn", () -> chat.session().model().isTurnRunning());

        host.spinner("s1", "(\u00ac_\u00ac) pondering...");
        Ui.await("the spinner in the status line", () -> chat.statusText().contains("(\u00ac_\u00ac) pondering..."));
        assertFalse(chat.transcriptWidget().getText().contains("pondering"), "never in the transcript");

        chat.inputWidget().setText("after it, please");
        chat.sendPrompt();
        Ui.await("the prompt waiting for its turn", () -> chat.transcriptWidget().getText().contains(Messages.Chat_queued));
        assertEquals(List.of(), host.prompts(), "nothing ran during the desk's turn");

        host.complete("s1", "the desk is done", "complete");
        Ui.await("sent once the turn ended", () -> host.prompts().equals(List.of("after it, please")));
        Ui.await("the spinner gone", () -> !chat.statusText().contains("pondering"));
        host.complete("s1", "answered", "complete");
        Ui.await("the answer", () -> chat.transcriptWidget().getText().contains("answered"));
        assertEquals(List.of("after it, please"), host.prompts(), "once");
    }

    @Test
    void aRowWhoseSessionWasReapedIsDroppedAndTheChatSaysSo() throws Exception {
        ScriptedGateway gw = hermes(null, null);
        host.add("gone1", "kgone").title = "Reaped";
        host.reap("gone1"); // never prompted: neither id opens it; its record stays
        host.add("s2", "k2").title = "Still here";
        record("gone1", "kgone", "Reaped", "working", gw.endpoint());
        record("s2", "k2", "Still here", "idle", gw.endpoint());
        LiveSessionsView view = liveView();
        Ui.await("both rows", () -> findSession(view, "Reaped") != null && findSession(view, "Still here") != null);
        open(view, findSession(view, "Reaped"));
        Ui.await("the chat says so", () -> Ui.page().getActiveEditor() instanceof ChatEditor c && c.transcriptWidget()
                .getText().contains(NLS.bind(Messages.Chat_noLongerLive, HOST)));
        Ui.await("the row dropped", () -> findSession(view, "Reaped") == null);
        assertNotNull(findSession(view, "Still here"));
        Ui.services().presence().refresh().get(20, java.util.concurrent.TimeUnit.SECONDS);
        Ui.pump();
        assertTrue(findSession(view, "Reaped") == null, "not offered again at the next refresh while its record stays");
    }

    @Test
    void aSessionRebuiltUnderANewRuntimeIdIsFollowedByItsChat() throws Exception {
        ScriptedGateway gw = hermes(null, null);
        FakeSessionHost.HostedSession s = host.add("s1", "k1");
        s.title = "Long lived";
        s.rows.add(TranscriptRow.user("stored earlier", HOST));
        ChatEditor chat = ChatEditor.open(Ui.page(), gw.endpoint(), "s1", "k1", "Long lived", HOST);
        assertNotNull(attachedChat());
        int port = gw.port();

        gw.close(); // this device was away past the reap
        host.reap("s1");
        gw.start(port);
        Ui.await("the chat on the new runtime id", () -> !chat.chatInput().sessionId().equals("s1")
                && chat.chatInput().sessionId().equals(host.liveIdOf("k1")));
        assertNotEquals("s1", chat.session().sessionId());
        assertTrue(chat.transcriptWidget().getText().contains("stored earlier"));
        chat.inputWidget().setText("still there?");
        chat.sendPrompt();
        Ui.await("the prompt on the rebuilt session", () -> host.prompts().equals(List.of("still there?")));
    }
}
