package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.preferences.PairGatewayDialog;
import org.agentchannels.ui.internal.preferences.PairedGatewaysPreferencePage;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15 in the workbench: Pair with a Device... takes the line {@code ./agentchannels gateway pair} prints
 * ({@code agentchannels://host:port?fp=...&code=...}), shows the gateway and its fingerprint to compare, redeems the
 * code with a real gateway off the UI thread, stores the device token with the gateway's device name, and says why
 * when the code is refused; the Paired Gateways page then lists device, fingerprint and last connection.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class PairWithADeviceTest extends WorkbenchTestCase {

    private static final String FP = "sha256:" + "B".repeat(42) + "A";

    private static void press(Button button) {
        button.notifyListeners(SWT.Selection, new Event());
    }

    /** A gateway other devices can reach (so TLS only), named "desktop", on a free port. */
    private Gateway reachableGateway() throws Exception {
        Gateway gateway = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--bind", "0.0.0.0", "--device-name",
                "desktop", "--presence-dir", dir.resolve("desk-presence").toString()), dir.resolve("desk")),
                new EchoAgent("desktop", 0), () -> "desk-host", Clock.systemUTC());
        toClose.add(gateway);
        return gateway;
    }

    /** What {@code gateway pair} prints on the desk, pointed at loopback (where this test reaches it, over TLS). */
    private String pairLine(Gateway gateway) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GatewayMain.run(new String[] {"pair", "--home", dir.resolve("desk").toString(), "--no-qr"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                dir.resolve("desk"));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        PairingInvitation printed = PairingInvitation.parse(out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(gateway.fingerprint(), printed.fingerprint());
        return new PairingInvitation("127.0.0.1", printed.port(), printed.fingerprint(), printed.code()).toLine();
    }

    @Test
    void pairWithADeviceInTheLiveViewsMenuOpensTheDialogForAnyGateway() throws Exception {
        org.agentchannels.ui.internal.views.LiveSessionsView view = (org.agentchannels.ui.internal.views.LiveSessionsView) Ui
                .page().showView(org.agentchannels.ui.AgentChannelsUi.LIVE_VIEW_ID);
        Ui.services();
        org.eclipse.ui.handlers.IHandlerService handlers = org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow()
                .getService(org.eclipse.ui.handlers.IHandlerService.class);
        org.eclipse.core.commands.Command command = org.eclipse.ui.PlatformUI.getWorkbench()
                .getService(org.eclipse.ui.commands.ICommandService.class)
                .getCommand(org.agentchannels.ui.internal.commands.Commands.PAIR_DEVICE);
        assertEquals(NLS.bind("{0}", "Pair with a Device..."), command.getName(), "declared, and named");
        Ui.await("Pair with a Device... enabled", command::isEnabled);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Ui.whenDialogOpens(PairGatewayDialog.class, dialog -> {
            assertEquals("", dialog.endpointField().getText());
            assertTrue(dialog.endpointField().getEditable(), "any gateway: the line names it");
            dialog.getShell().close();
        }, failure);
        handlers.executeCommand(org.agentchannels.ui.internal.commands.Commands.PAIR_DEVICE, null);
        Ui.rethrow(failure);
        assertNotNull(view.viewer());
    }

    @Test
    void theDialogShowsTheGatewayAndTheFingerprintOfAPastedLineAndRefusesAnotherGatewaysOrABrokenOne() {
        InMemoryTokenStore store = new InMemoryTokenStore();
        String line = "agentchannels://192.0.2.10:8664?fp=" + FP + "&code=ABCD-EFGH-JKMN";
        PairGatewayDialog dialog = new PairGatewayDialog(Ui.page().getWorkbenchWindow().getShell(), "", store, "workbench-test");
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            assertFalse(dialog.showsInvitation());
            dialog.tokenField().setText(line);
            assertTrue(dialog.showsInvitation());
            assertEquals("192.0.2.10:8664", dialog.shownGateway());
            assertEquals(FP, dialog.shownFingerprint());
            assertEquals(NLS.bind(Messages.PairDialog_compareFingerprint, "192.0.2.10:8664"), dialog.getMessage());
            assertNull(dialog.getErrorMessage());
            assertTrue(dialog.okButton().isEnabled());
            assertNull(dialog.pairing(), "nothing to store before the code is redeemed");

            dialog.tokenField().setText(line.replace("&code=ABCD-EFGH-JKMN", ""));
            assertEquals(Messages.PairDialog_badInvitation, dialog.getErrorMessage());
            assertFalse(dialog.okButton().isEnabled());
            assertFalse(dialog.showsInvitation());
            assertFalse(dialog.getErrorMessage().contains("ABCD"), "the code is never quoted");

            // the legacy line still pairs, now with its pin
            dialog.tokenField().setText("wss://192.0.2.10:8664/api/ws desk-token-1234 fp=" + FP);
            assertNull(dialog.getErrorMessage());
            assertEquals(FP, dialog.pairing().fingerprint());
        } finally {
            dialog.close();
        }
        assertEquals(NLS.bind(Messages.PairDialog_otherEndpoint, "wss://192.0.2.10:8664/api/ws"),
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> PairGatewayDialog.invitationOf("wss://192.0.2.99:8664/api/ws", line)).getMessage(),
                "Pair... on a row pairs that row's gateway only");
        assertEquals("wss://192.0.2.10:8664/api/ws", PairGatewayDialog.invitationOf("wss://192.0.2.10:8664/api/ws", line).endpoint());
        assertTrue(store.endpoints().isEmpty());
    }

    @Test
    void aLineFromTheOtherDevicePairsTheWorkbenchAWrongCodeSaysSoAndThePageListsDeviceFingerprintAndLastConnection()
            throws Exception {
        Gateway desk = reachableGateway();
        String line = pairLine(desk);
        PairingInvitation invitation = PairingInvitation.parse(line);
        String wrongCode = invitation.code().equals("ABCDEFGHJKMN") ? "ABCDEFGHJKMP" : "ABCDEFGHJKMN";
        String wrongLine = new PairingInvitation("127.0.0.1", invitation.port(), invitation.fingerprint(), wrongCode).toLine();
        String where = "127.0.0.1:" + invitation.port();

        InMemoryTokenStore store = new InMemoryTokenStore();
        PairedGatewaysPreferencePage page = new PairedGatewaysPreferencePage(store, Ui.services().connector());
        PreferenceDialog preferences = openPreferencePage(page);
        try {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Ui.whenDialogOpens(PairGatewayDialog.class, dialog -> {
                dialog.tokenField().setText(wrongLine);
                assertEquals(invitation.fingerprint(), dialog.shownFingerprint());
                press(dialog.okButton());
                assertTrue(dialog.isRedeeming());
                assertFalse(dialog.okButton().isEnabled(), "one redemption at a time");
                Ui.await("the refusal", () -> !dialog.isRedeeming());
                assertEquals(NLS.bind(Messages.PairDialog_codeRefused, where), dialog.getErrorMessage());
                assertNotNull(dialog.getShell(), "the dialog stays open");
                assertTrue(store.endpoints().isEmpty());

                dialog.tokenField().setText(line);
                assertNull(dialog.getErrorMessage());
                assertTrue(dialog.okButton().isEnabled(), "OK again once the refusal is said");
                press(dialog.okButton()); // closes once the device token is stored
                try {
                    Ui.await("the pairing stored and the dialog closed", () -> dialog.getShell() == null);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; the dialog says: " + dialog.getErrorMessage(), e);
                }
            }, failure);
            page.add(); // Add... opens the same dialog as Pair with a Device...
            Ui.rethrow(failure);

            String endpoint = invitation.endpoint();
            assertEquals(List.of(endpoint), store.endpoints());
            String token = store.token(endpoint).orElseThrow();
            assertNotEquals(desk.token(), token, "a device token of this device's own, not the gateway's");
            assertEquals(desk.fingerprint(), store.fingerprint(endpoint).orElseThrow());
            assertEquals("desktop", store.details(endpoint).gatewayDevice());
            assertEquals(List.of(endpoint, "desktop", desk.fingerprint(), Messages.Pairing_never), List.of(page.shownRow(0)));

            // the first connection over the device token is noted
            try (StandaloneGatewayConnector workbench = GatewayConnectors.standalone(store, "workbench-test",
                    ConnectorExtension.fastBackoff())) {
                workbench.ensureGatewayForEndpoint(endpoint).get(30, TimeUnit.SECONDS);
                Ui.await("the connection noted", () -> store.details(endpoint).lastConnected().isPresent());
            }
        } finally {
            preferences.close();
        }
        PairedGatewaysPreferencePage again = new PairedGatewaysPreferencePage(store, Ui.services().connector());
        preferences = openPreferencePage(again);
        try {
            String[] row = again.shownRow(0);
            assertEquals("desktop", row[1]);
            assertNotEquals(Messages.Pairing_never, row[3]);
            assertFalse(row[3].isBlank());
            again.removeRow(0);
            assertTrue(store.endpoints().isEmpty(), "Remove forgets");
            assertEquals(0, again.listedEndpoints().length);
        } finally {
            preferences.close();
        }
    }
}
