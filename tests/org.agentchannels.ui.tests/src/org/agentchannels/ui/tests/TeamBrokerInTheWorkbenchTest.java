package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.tests.support.Mosquitto;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AgentChannelsStartup;
import org.agentchannels.ui.internal.BrokerPasswords;
import org.agentchannels.ui.internal.LocalGatewayLauncher;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.ui.internal.preferences.AgentChannelsPreferencePage;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The workbench on a team's MQTT broker, with a real Mosquitto (passwords for each device) on loopback: the team
 * broker set in the preferences (its password typed on the page goes to Secure Storage, never the preferences)
 * makes the gateway the workbench starts announce and read the team's sessions there; its Live view then follows
 * a session of another device's gateway known only through the broker as it starts, works, waits for input, ends,
 * and as that gateway dies (cut off: the broker's Will).
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class TeamBrokerInTheWorkbenchTest extends WorkbenchTestCase {

    private static final String TEAM = "platform";
    private static final String WORKBENCH_PASSWORD = "workbench's secret";
    private static final String DESK_PASSWORD = "desk's secret";
    private static final String PIN = "sha256:LQBp2o_zdBJYOuMqLyD_htgsO1FviB_lfLAiSayjXO4";

    private Path startedHome;

    @BeforeEach
    void mosquittoIsInstalled() {
        assertTrue(Mosquitto.isInstalled(), "needs Eclipse Mosquitto (" + Mosquitto.PROGRAM
                + "; ./agentchannels installs the Debian package mosquitto)");
        startedHome = dir.resolve("started-gateway");
    }

    @AfterEach
    void stopTheStartedGatewayAndForgetTheBroker() throws Exception {
        String broker = UiPreferences.presenceBroker();
        for (String key : new String[] { UiPreferences.START_GATEWAY, UiPreferences.GATEWAY_HOME, UiPreferences.GATEWAY_PORT,
                UiPreferences.GATEWAY_BIND, UiPreferences.PRESENCE_BROKER, UiPreferences.PRESENCE_BROKER_CA_FILE,
                UiPreferences.PRESENCE_BROKER_FINGERPRINT }) {
            UiPreferences.node().remove(key);
        }
        if (!broker.isBlank()) {
            BrokerPasswords.ofDefaultStore().put(broker, "");
        }
        new GatewayHome(startedHome).recorded().flatMap(r -> ProcessHandle.of(r.pid())).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
    }

    private static String brokerUrl(String user, int port) {
        return "mqtt://" + user + "@127.0.0.1:" + port + "/" + TEAM;
    }

    @Test
    void thePreferencePageKeepsTheBrokerInThePreferencesAndItsPasswordInSecureStorageOnly() throws Exception {
        String url = brokerUrl("workbench-test", 1883);
        AgentChannelsPreferencePage page = new AgentChannelsPreferencePage();
        page.init(null);
        PreferenceDialog dialog = openPreferencePage(page);
        try {
            Text broker = textAfter(page.getControl(), Messages.Preferences_presenceBroker);
            Text password = textAfter(page.getControl(), Messages.Preferences_presenceBrokerPassword);
            assertTrue(password.getEchoChar() != 0, "typed hidden");
            assertFalse(broker.isEnabled() || password.isEnabled(), "the started gateway's: greyed out while connecting to one");
            type(broker, "http://broker.example/" + TEAM);
            Ui.await("a URL that is no broker's is refused", () -> !page.isValid());
            type(broker, "mqtt://user:pw@127.0.0.1:1883/" + TEAM);
            Ui.await("a password in the URL is refused", () -> !page.isValid());
            type(broker, url);
            Ui.await("the broker's URL taken", page::isValid);
            type(password, WORKBENCH_PASSWORD);
            Text pin = textAfter(page.getControl(), Messages.Preferences_presenceBrokerFingerprint);
            type(pin, "sha256:not-a-key");
            Ui.await("a pin not in the fingerprints' form is refused", () -> !page.isValid());
            type(pin, PIN);
            Ui.await("a key's pin taken", page::isValid);
            assertTrue(page.performOk());
        } finally {
            dialog.close();
        }
        assertEquals(url, UiPreferences.presenceBroker());
        assertEquals(Optional.of(WORKBENCH_PASSWORD), BrokerPasswords.ofDefaultStore().password(url));
        for (String key : UiPreferences.node().keys()) {
            assertFalse(UiPreferences.node().get(key, "").contains(WORKBENCH_PASSWORD), "no password in the preferences: " + key);
        }
        assertTrue(UiPreferences.startedGatewayOptions().containsAll(List.of("--presence-broker", url)));
        assertFalse(UiPreferences.startedGatewayOptions().contains("--presence-broker-fingerprint"),
                "a pin is for a TLS broker: not passed with mqtt://, which the gateway would refuse");
        UiPreferences.node().put(UiPreferences.PRESENCE_BROKER, url.replace("mqtt://", "mqtts://"));
        assertTrue(String.join(" ", UiPreferences.startedGatewayOptions()).contains("--presence-broker-fingerprint " + PIN));
        UiPreferences.node().put(UiPreferences.PRESENCE_BROKER, url);
        assertFalse(String.join(" ", UiPreferences.startedGatewayOptions()).contains(WORKBENCH_PASSWORD),
                "nor on the gateway's command line");

        // opened again, the field is empty and an OK keeps the password stored
        AgentChannelsPreferencePage again = new AgentChannelsPreferencePage();
        again.init(null);
        PreferenceDialog second = openPreferencePage(again);
        try {
            assertEquals("", textAfter(again.getControl(), Messages.Preferences_presenceBrokerPassword).getText());
            assertTrue(again.performOk());
        } finally {
            second.close();
        }
        assertEquals(Optional.of(WORKBENCH_PASSWORD), BrokerPasswords.ofDefaultStore().password(url));
    }

    /** Types {@code text} into {@code field} as a person would, for the page to check it. */
    private static void type(Text field, String text) {
        field.setText(text);
        field.notifyListeners(SWT.KeyUp, new Event());
    }

    /** The text field beside the label reading {@code label}, anywhere under {@code root}. */
    private static Text textAfter(Control root, String label) {
        Text found = findTextAfter(root, label);
        if (found == null) {
            throw new AssertionError("no field labelled " + label);
        }
        return found;
    }

    private static Text findTextAfter(Control control, String label) {
        if (control instanceof org.eclipse.swt.widgets.Composite composite) {
            Control[] children = composite.getChildren();
            for (int i = 0; i < children.length; i++) {
                if (children[i] instanceof Label l && label.equals(l.getText()) && i + 1 < children.length
                        && children[i + 1] instanceof Text t) {
                    return t;
                }
                Text inner = findTextAfter(children[i], label);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    @Test
    void theLiveViewFollowsASessionKnownOnlyThroughTheTeamBrokerFromItsStartToItsGatewaysDeath() throws Exception {
        Mosquitto broker = Mosquitto.startWithUsers(dir.resolve("broker"),
                Map.of("workbench-test", WORKBENCH_PASSWORD, "desk", DESK_PASSWORD));
        toClose.add(broker);

        // this device's gateway, started by the workbench on the team's broker, with no presence folder
        String url = brokerUrl("workbench-test", broker.port());
        UiPreferences.node().remove(UiPreferences.PRESENCE_DIRECTORY);
        UiPreferences.node().put(UiPreferences.GATEWAY_HOME, startedHome.toString());
        UiPreferences.node().put(UiPreferences.GATEWAY_PORT, String.valueOf(freePort()));
        UiPreferences.node().put(UiPreferences.GATEWAY_BIND, "127.0.0.1");
        BrokerPasswords.ofDefaultStore().put(url, WORKBENCH_PASSWORD);
        UiPreferences.node().put(UiPreferences.PRESENCE_BROKER, url);
        UiPreferences.node().putBoolean(UiPreferences.START_GATEWAY, true);
        CompletableFuture<Void> applied = CompletableFuture.runAsync(((AgentChannelsStartup) Ui.services())::applyPreferences);
        Ui.await("the preferences applied", applied::isDone);
        assertTrue(LocalGatewayLauncher.running(startedHome).isPresent(), "a gateway runs from " + startedHome);
        Ui.await("it is on the team's broker with its password", () -> gatewayLog().contains("team broker " + url));
        assertFalse(gatewayLog().contains(WORKBENCH_PASSWORD), "the password is in no log");

        // another device's gateway, on the same broker through a cable the test can cut, with a folder of its own
        FaultProxy cable = new FaultProxy(broker.port());
        toClose.add(cable);
        Path deskPassword = dir.resolve("desk-broker-password");
        OwnerOnlyFiles.replace(deskPassword, DESK_PASSWORD);
        Path agentDir = Files.createDirectories(dir.resolve("agent"));
        int deskPort = freePort();
        Gateway desk = Gateway.start(GatewayOptions.parse(List.of("--port", String.valueOf(deskPort), "--device-name", "desk",
                "--advertise", "ws://127.0.0.1:" + deskPort + "/api/ws",
                "--presence-dir", dir.resolve("desk-presence").toString(), "--presence-broker",
                brokerUrl("desk", cable.port()), "--presence-broker-password-file", deskPassword.toString(),
                "--presence-broker-keepalive", "2"), dir.resolve("desk")),
                List.of(HostedAgent.of("slow", new AcpAgent(ScriptedAcpAgents.command("slow", agentDir),
                        dir.resolve("workspace"), AcpAgent.START_TIMEOUT)),
                        HostedAgent.of("tool", new AcpAgent(ScriptedAcpAgents.command("tool", agentDir),
                                dir.resolve("workspace"), AcpAgent.START_TIMEOUT))),
                () -> "desk", Clock.systemUTC());
        toClose.add(desk);
        GatewayConnection onDesk = deskClient(desk);

        LiveSessionsView view = (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        String slow = onDesk.createSession("Long build", List.of(), "", "slow").get(30, TimeUnit.SECONDS).sessionId();
        try {
            Ui.await("it starts: the desk's session in the Live view, from the broker", () -> row(view, "Long build") != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the started gateway said:\n" + gatewayLog(), e);
        }
        assertFalse(presenceFolderNames(slow), "no folder links the two: only the broker");

        onDesk.submitPrompt(slow, "build it", "", "", Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
        Ui.await("it works", () -> spoken(view, "Long build").contains(Messages.Status_working));

        String tool = onDesk.createSession("Run a tool", List.of(), "", "tool").get(30, TimeUnit.SECONDS).sessionId();
        onDesk.submitPrompt(tool, "ls", "", "", Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
        Ui.await("it waits for input", () -> spoken(view, "Run a tool").contains(Messages.Status_needsInput));

        onDesk.closeSession(slow).get(30, TimeUnit.SECONDS);
        Ui.await("it ends: gone from the Live view", () -> row(view, "Long build") == null);
        assertTrue(row(view, "Run a tool") != null, "the other session stays");

        cable.refuse(true);
        cable.cutAll(); // the desk is cut off mid-connection: no clean stop, the broker's Will says it died
        Ui.await("its gateway dies: its sessions leave the Live view", () -> row(view, "Run a tool") == null);
    }

    private String gatewayLog() {
        try {
            GatewayHome home = new GatewayHome(startedHome);
            StringBuilder both = new StringBuilder();
            for (Path file : List.of(home.processOutput(), home.log())) {
                if (Files.exists(file)) {
                    both.append(Files.readString(file));
                }
            }
            return both.toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private boolean presenceFolderNames(String sessionId) throws Exception {
        if (!Files.isDirectory(presence)) {
            return false;
        }
        try (var files = Files.list(presence)) {
            return files.anyMatch(f -> f.getFileName().toString().contains(sessionId));
        }
    }

    /** The Live view's row of the session titled {@code title}, or null. */
    private static TreeItem row(LiveSessionsView view, String title) {
        return findSession(view, title);
    }

    /** What a screen reader says for that row: its title and its status in words; empty without the row. */
    private static String spoken(LiveSessionsView view, String title) {
        TreeItem item = findSession(view, title);
        return item == null ? "" : String.valueOf(view.accessibleName(item.getData()));
    }
}
