package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.Pairing;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.preferences.PairGatewayDialog;
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
 * Issue 12, item 2, in the workbench: a row on a gateway this device has not paired says so and offers Pair...
 * instead of Open (the gateway is never dialled), the pairing dialog records a token or the person's explicit
 * trust in a gateway that asks for none, and a session claimed by two gateways is opened at neither.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class PairingFromTheLiveViewTest extends WorkbenchTestCase {

    private final List<String> pairedHere = new ArrayList<>();

    @AfterEach
    void forgetThePairingsMadeHere() throws Exception {
        for (String endpoint : pairedHere) {
            Ui.tokens().remove(endpoint);
        }
    }

    /** A gateway on loopback hosting {@code sessionId}; with {@code token}, it asks for that one. */
    private ScriptedGateway gateway(String sessionId, String token) throws Exception {
        ScriptedGateway gw = new ScriptedGateway().deviceName("hermes-box");
        if (token != null) {
            gw.token(token);
        }
        new FakeSessionHost(gw, false).add(sessionId, "k-" + sessionId);
        toClose.add(gw);
        gw.start();
        pairedHere.add(gw.endpoint());
        return gw;
    }

    private void record(String file, String sessionId, String title, String endpoint) throws Exception {
        double now = System.currentTimeMillis() / 1000.0;
        Files.writeString(presence.resolve(file), "{\"version\":1,\"session_id\":\"" + sessionId + "\",\"session_key\":\"k-"
                + sessionId + "\",\"status\":\"idle\",\"title\":\"" + title + "\",\"endpoint\":\"" + endpoint
                + "\",\"host\":\"hermes-box\",\"updated_at\":" + (now - 1) + ",\"expires_at\":" + (now + 89) + "}");
    }

    private static LiveSessionsView liveView() throws Exception {
        return (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
    }

    private static TreeItem row(LiveSessionsView view, String title) {
        TreeItem item = findSession(view, title);
        assertNotNull(item, "no row " + title + " in " + sessionLabels(view));
        return item;
    }

    /** Double-click on the row, as a person opens it. */
    private static void open(LiveSessionsView view, String title) {
        view.viewer().getTree().setSelection(row(view, title));
        view.viewer().getTree().notifyListeners(SWT.Selection, new Event());
        view.viewer().getTree().notifyListeners(SWT.DefaultSelection, new Event());
    }

    private static void rethrow(AtomicReference<Throwable> failure) throws Exception {
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    private static void press(org.eclipse.swt.widgets.Button button) {
        button.notifyListeners(SWT.Selection, new Event());
    }

    @Test
    void aRowOnAnUnpairedGatewaySaysSoAndOpenPairsItByTheExplicitTrustWithoutAToken() throws Exception {
        ScriptedGateway hermes = gateway("h1", null);
        record("hermes-1.h1.json", "h1", "Hermes on the LAN", hermes.endpoint());
        LiveSessionsView view = liveView();
        // the row and, grouped by device, its device's row (not the tree's first: a device of an earlier test may
        // still be listed there)
        Ui.await("the row and its device marked not paired", () -> findSession(view, "Hermes on the LAN") != null
                && row(view, "Hermes on the LAN").getText().contains(Messages.LiveView_notPaired)
                && (row(view, "Hermes on the LAN").getParentItem() == null
                        || row(view, "Hermes on the LAN").getParentItem().getText().contains(Messages.LiveView_notPaired)));

        // Open on it is Pair...: the dialog for its endpoint; cancelled, nothing is stored or dialled
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Ui.whenDialogOpens(PairGatewayDialog.class, dialog -> {
            assertEquals(hermes.endpoint(), dialog.endpointField().getText());
            assertFalse(dialog.endpointField().getEditable(), "the row's endpoint is the one paired");
            assertFalse(dialog.okButton().isEnabled(), "nothing to store yet");
            dialog.getShell().close(); // as the window's close box does: cancelled
        }, failure);
        open(view, "Hermes on the LAN");
        rethrow(failure);
        assertFalse(Ui.tokens().isPaired(hermes.endpoint()));
        assertNull(Ui.page().getActiveEditor(), "no chat was opened for an unpaired gateway");

        // the person says, with the warning in front of them, to trust it without a token
        Ui.whenDialogOpens(PairGatewayDialog.class, dialog -> {
            dialog.withoutTokenButton().setSelection(true);
            press(dialog.withoutTokenButton());
            assertEquals(Messages.PairDialog_withoutTokenWarning, dialog.getMessage());
            assertFalse(dialog.tokenField().isEnabled());
            assertTrue(dialog.okButton().isEnabled());
            press(dialog.okButton());
        }, failure);
        open(view, "Hermes on the LAN");
        rethrow(failure);
        assertTrue(Ui.tokens().isTrustedWithoutToken(hermes.endpoint()), "stored as explicit trust");
        assertTrue(Ui.tokens().token(hermes.endpoint()).isEmpty(), "which is no token");
        Ui.await("the row no longer marked", () -> !row(view, "Hermes on the LAN").getText().contains(Messages.LiveView_notPaired));
        assertTrue(hermes.authorizations().isEmpty(), "pairing dials nothing; only opening the session does");

        open(view, "Hermes on the LAN");
        Ui.await("the chat attached", () -> Ui.page().getActiveEditor() instanceof ChatEditor c && c.session() != null);
        assertEquals(1, hermes.requests("session.activate").size());
    }

    @Test
    void pairingWithTheLineTheOtherDevicePrintedStoresItsTokenAndTheChatThenAttaches() throws Exception {
        ScriptedGateway desk = gateway("d1", "desk-token-1234");
        record("desk-1.d1.json", "d1", "On my desktop", desk.endpoint());
        LiveSessionsView view = liveView();
        Ui.await("the row marked not paired", () -> findSession(view, "On my desktop") != null
                && row(view, "On my desktop").getText().contains(Messages.LiveView_notPaired));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Ui.whenDialogOpens(PairGatewayDialog.class, dialog -> {
            dialog.tokenField().setText("ws://192.0.2.99:8664/api/ws desk-token-1234");
            assertEquals(NLS.bind(Messages.PairDialog_otherEndpoint, "ws://192.0.2.99:8664/api/ws"), dialog.getErrorMessage());
            assertFalse(dialog.okButton().isEnabled());
            dialog.tokenField().setText(desk.endpoint() + " desk-token-1234");
            assertNull(dialog.getErrorMessage());
            press(dialog.okButton());
        }, failure);
        open(view, "On my desktop");
        rethrow(failure);
        assertEquals("desk-token-1234", Ui.tokens().token(desk.endpoint()).orElseThrow());
        Ui.await("the row no longer marked", () -> !row(view, "On my desktop").getText().contains(Messages.LiveView_notPaired));
        open(view, "On my desktop");
        Ui.await("the chat attached", () -> Ui.page().getActiveEditor() instanceof ChatEditor c && c.session() != null);
        assertEquals("Bearer desk-token-1234", desk.authorizations().get(0));
    }

    @Test
    void aSessionClaimedByTwoGatewaysIsMarkedAndOpenedAtNeither() throws Exception {
        ScriptedGateway genuine = gateway("s1", "desk-token-1234");
        ScriptedGateway planted = gateway("s1", null);
        Ui.tokens().put(genuine.endpoint(), "desk-token-1234");
        Ui.tokens().trustWithoutToken(planted.endpoint());
        record("desk-1.s1.json", "s1", "Contested", genuine.endpoint());
        record("evil-1.s1.json", "s1", "Contested", planted.endpoint());
        LiveSessionsView view = liveView();
        Ui.await("the conflicting row", () -> findSession(view, "Contested") != null);
        String label = row(view, "Contested").getText();
        assertTrue(label.contains(genuine.endpoint()) && label.contains(planted.endpoint()), label);
        assertTrue(view.viewer().getTree().getItem(0).getText().startsWith(Messages.LiveView_conflictGroup),
                view.viewer().getTree().getItem(0).getText());
        open(view, "Contested");
        Ui.pump();
        assertNull(Ui.page().getActiveEditor(), "nothing is opened");
        assertTrue(genuine.authorizations().isEmpty() && planted.authorizations().isEmpty(), "neither gateway was dialled");
    }

    @Test
    void aChatOnAnUnpairedGatewaySaysHowToPairIt() throws Exception {
        ScriptedGateway unknown = gateway("u1", null);
        ChatEditor chat = ChatEditor.open(Ui.page(), unknown.endpoint(), "u1", "k-u1", "Unknown", "hermes-box");
        assertNotNull(chat);
        String expected = NLS.bind(Messages.Chat_attachFailed, NLS.bind(Messages.Chat_notPaired, unknown.endpoint()));
        Ui.await("the failure", () -> chat.transcriptWidget().getText().contains(expected));
        assertTrue(unknown.authorizations().isEmpty());
    }

    @Test
    void theDialogBuildsAPairingOnlyFromAWholeLineATokenOrTheCheckBox() {
        String desk = "ws://192.0.2.10:8664/api/ws";
        assertEquals(new Pairing(desk, "desk-token-1234"), PairGatewayDialog.pairingOf(desk, "desk-token-1234", false));
        assertEquals(new Pairing(desk, "desk-token-1234"), PairGatewayDialog.pairingOf("", desk + " desk-token-1234", false));
        assertEquals(Pairing.withoutToken(desk), PairGatewayDialog.pairingOf(desk, "ignored", true));
        IllegalArgumentException shortToken = assertThrows(IllegalArgumentException.class,
                () -> PairGatewayDialog.pairingOf(desk, "short", false));
        assertEquals(Messages.PairDialog_noToken, shortToken.getMessage());
        assertEquals(Messages.PairDialog_noToken, assertThrows(IllegalArgumentException.class,
                () -> PairGatewayDialog.pairingOf(desk, Pairing.WITHOUT_TOKEN + " " + desk, false)).getMessage(),
                "trust without a token is given by the check box, with its warning, never by a pasted line");
        assertEquals(Messages.PairDialog_badEndpoint, assertThrows(IllegalArgumentException.class,
                () -> PairGatewayDialog.pairingOf("ws://169.254.169.254/api/ws", "", true)).getMessage());
        assertEquals(Messages.PairDialog_badEndpoint, assertThrows(IllegalArgumentException.class,
                () -> PairGatewayDialog.pairingOf("http://desk/api/ws", "desk-token-1234", false)).getMessage());

        InMemoryTokenStore store = new InMemoryTokenStore();
        PairedGatewaysPreferencePage page = new PairedGatewaysPreferencePage(store);
        PreferenceDialog dialog = openPreferencePage(page);
        try {
            assertTrue(page.pair(Pairing.withoutToken(desk)));
            assertTrue(store.isTrustedWithoutToken(desk));
            assertEquals(List.of(NLS.bind(Messages.Pairing_trustedWithoutToken, desk)), List.of(page.shownRows()));
            assertEquals(List.of(desk), List.of(page.listedEndpoints()));
        } finally {
            dialog.close();
        }
    }
}
