package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.ui.internal.preferences.AgentChannelsPreferencePage;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Agent Channels page: this device's gateway is started here (with its port, bind, endpoint) or dialled. */
@ExtendWith(NoErrorLoggedExtension.class)
class PreferencePageTest {

    /** Where the gateway that OK starts lives: never the real home of whoever runs the tests. */
    @TempDir
    Path home;

    @BeforeEach
    void aHomeOfTheTestsOwn() {
        UiPreferences.node().put(UiPreferences.GATEWAY_HOME, home.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        UiPreferences.node().remove(UiPreferences.START_GATEWAY); // first: nothing is started once the home goes
        UiPreferences.node().remove(UiPreferences.GATEWAY_PORT);
        UiPreferences.node().remove(UiPreferences.GATEWAY_HOME);
        UiPreferences.node().flush();
        new GatewayHome(home).recorded().flatMap(r -> ProcessHandle.of(r.pid())).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
    }

    @Test
    void theGatewaySettingsFollowTheChosenWayAndABadPortIsRefused() throws Exception {
        AgentChannelsPreferencePage page = new AgentChannelsPreferencePage();
        page.init(PlatformUI.getWorkbench());
        PreferenceDialog dialog = WorkbenchTestCase.openPreferencePage(page);
        try {
            Composite root = (Composite) page.getControl();
            Button start = radio(root, Messages.Preferences_startGateway);
            Button connect = radio(root, Messages.Preferences_connectGateway);
            assertTrue(connect.getSelection(), "by default the workbench connects to a gateway it did not start");
            assertFalse(fieldOf(root, Messages.Preferences_gatewayPort).isEnabled(), "the port is for a gateway started here");
            assertTrue(fieldOf(root, Messages.Preferences_localGateway).isEnabled());

            choose(connect, start);
            assertTrue(fieldOf(root, Messages.Preferences_gatewayPort).isEnabled());
            assertFalse(fieldOf(root, Messages.Preferences_localGateway).isEnabled());

            Text port = fieldOf(root, Messages.Preferences_gatewayPort);
            type(port, "99999");
            assertFalse(page.isValid());
            assertEquals(Messages.Preferences_badPort, page.getErrorMessage());
            String free = String.valueOf(WorkbenchTestCase.freePort());
            type(port, free);
            assertTrue(page.isValid(), page.getErrorMessage());

            assertTrue(page.performOk());
            assertEquals(free, UiPreferences.node().get(UiPreferences.GATEWAY_PORT, ""));
            assertTrue(UiPreferences.startGateway());
            assertTrue(UiPreferences.startedGatewayOptions().containsAll(List.of("--port", free)),
                    UiPreferences.startedGatewayOptions().toString());
            // OK starts it, in the home of the preferences (this test's), so that tearDown stops it
            Ui.await("the gateway started in the test's home", () -> new GatewayHome(home).running().isPresent());
        } finally {
            dialog.close();
        }
    }

    /** Text as typed: the field editor checks it when a key is released. */
    private static void type(Text field, String text) {
        field.setText(text);
        field.notifyListeners(SWT.KeyUp, new Event());
        Ui.pump();
    }

    private static void choose(Button from, Button to) {
        from.setSelection(false);
        to.setSelection(true);
        to.notifyListeners(SWT.Selection, new Event());
        Ui.pump();
    }

    private static Button radio(Composite root, String label) {
        return all(root).stream().filter(c -> c instanceof Button b && (b.getStyle() & SWT.RADIO) != 0
                && b.getText().equals(label)).map(Button.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no radio button " + label));
    }

    /** The text field that follows a label, as field editors lay them out. */
    private static Text fieldOf(Composite root, String label) {
        List<Control> controls = all(root);
        for (int i = 0; i < controls.size() - 1; i++) {
            if (controls.get(i) instanceof Label l && l.getText().equals(label) && controls.get(i + 1) instanceof Text t) {
                return t;
            }
        }
        throw new AssertionError("no field labelled " + label);
    }

    private static List<Control> all(Composite parent) {
        List<Control> out = new ArrayList<>();
        for (Control child : parent.getChildren()) {
            out.add(child);
            if (child instanceof Composite c) {
                out.addAll(all(c));
            }
        }
        return out;
    }
}
