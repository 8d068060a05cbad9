package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.NewSessionDialog;
import org.agentchannels.ui.internal.views.LocalSessionsView;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ConnectorExtension;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.IEditorReference;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eclipse.jface.action.ToolBarManager;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;

/** The Sessions view lists this device's gateway's sessions and opens them. */
@ExtendWith(NoErrorLoggedExtension.class)
class LocalSessionsViewTest {

    @TempDir
    Path dir;

    private Gateway gateway;
    private StandaloneGatewayConnector client;

    @AfterEach
    void tearDown() {
        for (IEditorReference ref : Ui.page().getEditorReferences()) {
            Ui.page().closeEditor(ref.getEditor(false), false);
        }
        var view = Ui.page().findView(AgentChannelsUi.SESSIONS_VIEW_ID);
        if (view != null) {
            Ui.page().hideView(view);
        }
        UiPreferences.node().remove(UiPreferences.LOCAL_GATEWAY);
        Ui.pump();
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void listsThisDevicesSessionsAndOpensOneInAChat() throws Exception {
        LocalSessionsView view = (LocalSessionsView) Ui.page().showView(AgentChannelsUi.SESSIONS_VIEW_ID);
        Ui.await("the hint that no gateway is set", () -> view.message().contains("not set"));

        // this device's own gateway names it, as it will for every later test of this workbench (first wins)
        gateway = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--device-name", "workbench-test",
                "--presence-dir", dir.resolve("presence").toString()), dir.resolve("gateway")), new EchoAgent("workbench-test", 0),
                () -> "workbench-test", Clock.systemUTC());
        Ui.tokens().put(gateway.localEndpoint(), gateway.token());
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.localEndpoint(), gateway.token());
        client = GatewayConnectors.standalone(tokens, "cli", ConnectorExtension.fastBackoff());
        GatewayConnection c = client.ensureGatewayForEndpoint(gateway.localEndpoint()).get(30, TimeUnit.SECONDS);
        String id = c.createSession("Local work", List.of()).get(30, TimeUnit.SECONDS).sessionId();
        c.submitPrompt(id, "hello here", "", "", GatewayConnection.DEFAULT_TIMEOUT).get(30, TimeUnit.SECONDS);

        UiPreferences.node().put(UiPreferences.LOCAL_GATEWAY, gateway.localEndpoint());
        Ui.await("the session listed", () -> {
            view.refresh();
            Ui.pump();
            return view.viewer().getTable().getItemCount() == 1;
        });
        assertEquals(true, view.viewer().getTable().getItem(0).getText().startsWith("Local work"));
        // its status mark in words, once the echo's turn is over
        Ui.await("the row's spoken name", () -> {
            view.refresh();
            Ui.pump();
            String spoken = view.accessibleName(view.viewer().getTable().getItem(0).getData());
            return spoken.startsWith("Local work") && spoken.endsWith(", Idle");
        });
        view.viewer().getTable().setSelection(0);
        view.viewer().getTable().notifyListeners(SWT.DefaultSelection, new Event());
        Ui.await("the chat", () -> Ui.page().getActiveEditor() instanceof ChatEditor);
        ChatEditor chat = (ChatEditor) Ui.page().getActiveEditor();
        Ui.await("its transcript", () -> chat.transcriptWidget().getText().contains("Echo from workbench-test: hello here"));

        // New Session from the view's toolbar while the chat is the active part: the view's commands still work
        assertEquals(chat, Ui.page().getActivePart());
        ToolBar toolbar = ((ToolBarManager) view.getViewSite().getActionBars().getToolBarManager()).getControl();
        ToolItem create = toolbar.getItem(0);
        assertTrue(create.getToolTipText().startsWith("Start a new session"), create.getToolTipText());
        // it asks which agent and directory this device's gateway offers; OK takes its defaults
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Ui.whenDialogOpens(NewSessionDialog.class, dialog -> {
            assertEquals(List.of(NLS.bind(Messages.NewSessionDialog_defaultAgent, "echo (built-in, offline)")),
                    List.of(dialog.agentCombo().getItems()));
            assertEquals(List.of(dir.resolve("gateway").resolve("workspace").toString()),
                    List.of(dialog.directoryCombo().getItems()));
            dialog.okButton().notifyListeners(SWT.Selection, new Event());
        }, failure);
        create.notifyListeners(SWT.Selection, new Event());
        Ui.rethrow(failure);
        Ui.await("a chat with a new session", () -> Ui.page().getActiveEditor() instanceof ChatEditor other && other != chat);
        Ui.await("the gateway's second session", () -> {
            try {
                return c.liveSessions().get(30, TimeUnit.SECONDS).size() == 2;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
