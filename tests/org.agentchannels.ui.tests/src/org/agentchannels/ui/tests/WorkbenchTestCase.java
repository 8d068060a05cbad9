package org.agentchannels.ui.tests;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.agentchannels.ui.internal.chat.ChatEditor;

import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AgentChannelsStartup;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.agentchannels.tests.support.ConnectorExtension;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IViewPart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the workbench tests share: this device named "workbench-test", a presence folder the Live view
 * reads, notifications off; and afterwards every chat and the Live view closed, the preferences removed and
 * whatever the test started stopped, the latest first.
 */
abstract class WorkbenchTestCase {

    @TempDir
    Path dir;

    Path presence;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    final void nameThisDeviceAndShareAPresenceFolder() throws Exception {
        presence = dir.resolve("presence");
        Files.createDirectories(presence);
        UiPreferences.node().put(UiPreferences.DEVICE_NAME, "workbench-test");
        UiPreferences.node().put(UiPreferences.PRESENCE_DIRECTORY, presence.toString());
        UiPreferences.node().putBoolean(UiPreferences.NOTIFICATIONS, false);
    }

    @AfterEach
    final void closeEverythingTheTestOpened() throws Exception {
        for (IEditorReference ref : Ui.page().getEditorReferences()) {
            Ui.page().closeEditor(ref.getEditor(false), false);
        }
        IViewPart view = Ui.page().findView(AgentChannelsUi.LIVE_VIEW_ID);
        if (view != null) {
            Ui.page().hideView(view);
        }
        UiPreferences.node().remove(UiPreferences.PRESENCE_DIRECTORY);
        UiPreferences.node().remove(UiPreferences.DEVICE_NAME);
        UiPreferences.node().remove(UiPreferences.NOTIFICATIONS);
        Ui.pump();
        // the preferences applied once more and the tracker past it: an application still on its way from the
        // test's start would otherwise watch (and make again) the presence folder while the test's folder is deleted
        CompletableFuture<Void> applied = CompletableFuture.runAsync(((AgentChannelsStartup) Ui.services())::applyPreferences);
        Ui.await("the preferences applied", applied::isDone);
        Ui.services().presence().refresh().get(30, TimeUnit.SECONDS);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** The gateway {@link #chatOnTheDesk} started. */
    Gateway desk;

    /**
     * A gateway named "desk" (another device, as the chat knows it) in {@code dir/gateway}, whose sessions' agent is
     * the scripted ACP agent playing {@code scenario}, and a new session on it open in a chat (maybe still attaching).
     */
    ChatEditor chatOnTheDesk(String scenario) throws Exception {
        AcpAgent agent = new AcpAgent(ScriptedAcpAgents.command(scenario, Files.createDirectories(dir.resolve("agent"))),
                dir.resolve("workspace"), AcpAgent.START_TIMEOUT);
        desk = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--device-name", "desk",
                "--presence-dir", dir.resolve("other-presence").toString()), dir.resolve("gateway")), agent,
                () -> "desk", Clock.systemUTC());
        toClose.add(desk);
        Ui.tokens().put(desk.localEndpoint(), desk.token());
        String id = deskClient(desk).createSession("", List.of()).get(30, TimeUnit.SECONDS).sessionId();
        return ChatEditor.open(Ui.page(), desk.localEndpoint(), id, "", "Agent", "desk");
    }

    /** A client on the desk itself, to set sessions up as the desk's user would. */
    GatewayConnection deskClient(Gateway gateway) throws Exception {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.localEndpoint(), gateway.token());
        StandaloneGatewayConnector desk = GatewayConnectors.standalone(tokens, "desk", ConnectorExtension.fastBackoff());
        toClose.add(desk);
        return desk.ensureGatewayForEndpoint(gateway.localEndpoint()).get(30, TimeUnit.SECONDS);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The session rows of the Live view, under their devices. */
    static List<String> sessionLabels(LiveSessionsView view) {
        List<String> labels = new ArrayList<>();
        for (TreeItem device : view.viewer().getTree().getItems()) {
            for (TreeItem session : device.getItems()) {
                labels.add(session.getText());
            }
        }
        return labels;
    }

    /** The Live view's row whose label starts with {@code prefix}, or null. */
    static TreeItem findSession(LiveSessionsView view, String prefix) {
        for (TreeItem device : view.viewer().getTree().getItems()) {
            for (TreeItem session : device.getItems()) {
                if (session.getText().startsWith(prefix)) {
                    return session;
                }
            }
        }
        return null;
    }

    /** A preference page in a dialog of its own, open and not blocking; the caller closes it. */
    static PreferenceDialog openPreferencePage(PreferencePage page) {
        PreferenceManager manager = new PreferenceManager();
        manager.addToRoot(new PreferenceNode("page", page));
        PreferenceDialog dialog = new PreferenceDialog(Ui.page().getWorkbenchWindow().getShell(), manager);
        dialog.create();
        dialog.setBlockOnOpen(false);
        dialog.open();
        Ui.pump();
        return dialog;
    }
}
