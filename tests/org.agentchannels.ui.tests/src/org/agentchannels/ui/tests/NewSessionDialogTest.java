package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.NewSessionDialog;
import org.agentchannels.ui.internal.commands.Commands;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * New Session on a gateway that offers two agents (scripted ACP agents, real processes) and two workspaces: the
 * dialog offers what the gateway's ready frame said, the default preselected; Cancel creates nothing; the agent
 * and directory chosen are the session's. The UI thread is never kept waiting, before the gateway was dialled
 * (the dialog opens once the dial is done) or after.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class NewSessionDialogTest extends WorkbenchTestCase {

    @RegisterExtension
    final UiWatchdog watchdog = new UiWatchdog();

    @Test
    void theDialogOffersTheGatewaysAgentsAndWorkspacesAndTheSessionRunsTheOnesChosen() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("agents"));
        Path first = Files.createDirectories(dir.resolve("ws-one")).toRealPath();
        Path second = Files.createDirectories(dir.resolve("ws-two")).toRealPath();
        Path project = Files.createDirectories(second.resolve("project")).toRealPath();
        int port = freePort();
        // a loopback gateway publishes presence only with an endpoint to advertise
        Gateway gateway = Gateway.start(GatewayOptions.parse(List.of("--port", String.valueOf(port), "--device-name", "desk",
                "--advertise", "ws://127.0.0.1:" + port + "/api/ws", "--presence-dir", presence.toString(),
                "--workspace", first + java.io.File.pathSeparator + second), dir.resolve("desk")),
                List.of(new HostedAgent("alpha", "Alpha agent", new AcpAgent(ScriptedAcpAgents.command("text", scripts),
                        first, AcpAgent.START_TIMEOUT)),
                        new HostedAgent("beta", "Beta agent", new AcpAgent(ScriptedAcpAgents.command("pwd", scripts),
                                first, AcpAgent.START_TIMEOUT))),
                () -> "desk", Clock.systemUTC());
        toClose.add(gateway);
        Ui.tokens().put(gateway.localEndpoint(), gateway.token());
        GatewayConnection desk = deskClient(gateway);
        desk.createSession("Already there", List.of()).get(30, TimeUnit.SECONDS);

        LiveSessionsView view = (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        Ui.await("the desk's session", () -> findSession(view, "Already there") != null);
        view.viewer().getTree().setSelection(findSession(view, "Already there"));
        view.viewer().getTree().notifyListeners(SWT.Selection, new Event());

        watchdog.start();
        // the workbench has not dialled the desk yet: it does so in a Job, then asks; Cancel creates nothing
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        Ui.whenDialogOpens(NewSessionDialog.class, dialog -> {
            assertArrayEquals(new String[] { NLS.bind(Messages.NewSessionDialog_defaultAgent, "Alpha agent"), "Beta agent" },
                    dialog.agentCombo().getItems());
            assertEquals(0, dialog.agentCombo().getSelectionIndex(), "the gateway's default preselected");
            assertArrayEquals(new String[] { first.toString(), second.toString() }, dialog.directoryCombo().getItems());
            assertEquals("", dialog.directoryCombo().getText(), "empty: the gateway's default");
            assertTrue(dialog.okButton().isEnabled());
            cancelled.set(true);
            dialog.getShell().close(); // as the window's close box does: cancelled
        }, failure);
        handlers().executeCommand(Commands.NEW_SESSION, null);
        Ui.await("the dialog shown and cancelled", () -> failure.get() != null || cancelled.get() && !dialogOpen());
        Ui.rethrow(failure);
        assertNull(Ui.page().getActiveEditor(), "no chat for a cancelled dialog");

        // now the desk's ready frame is known here: the dialog opens at once; a relative path is refused
        Ui.whenDialogOpens(NewSessionDialog.class, dialog -> {
            dialog.directoryCombo().setText("relative/dir");
            assertEquals(NLS.bind(Messages.NewSessionDialog_notAbsolute, "desk"), dialog.getErrorMessage());
            assertFalse(dialog.okButton().isEnabled());
            dialog.directoryCombo().setText(project.toString());
            assertNull(dialog.getErrorMessage());
            dialog.agentCombo().select(1);
            dialog.okButton().notifyListeners(SWT.Selection, new Event());
        }, failure);
        handlers().executeCommand(Commands.NEW_SESSION, null);
        Ui.rethrow(failure);
        Ui.await("the new session's chat", () -> Ui.page().getActiveEditor() instanceof ChatEditor c && c.session() != null
                && c.statusText().contains("Idle"));
        ChatEditor chat = (ChatEditor) Ui.page().getActiveEditor();
        chat.inputWidget().setText("where");
        chat.sendPrompt();
        Ui.await("beta's answer", () -> chat.session().model().activity() == SessionActivity.IDLE
                && chat.session().model().rows().size() == 2);
        watchdog.assertNeverBlocked();

        assertEquals("Beta agent", chat.session().model().model(), "the chosen agent");
        assertTrue(chat.statusText().contains("Beta agent"), "named under the chat: " + chat.statusText());
        assertEquals(TranscriptRow.assistant("session/new cwd " + project + ", process in " + project, "", "complete"),
                chat.session().model().rows().get(1), "working in the chosen directory");
        assertEquals(2, desk.liveSessions().get(30, TimeUnit.SECONDS).size(), "the cancelled dialog created none");
    }

    private static boolean dialogOpen() {
        for (var shell : Ui.page().getWorkbenchWindow().getShell().getDisplay().getShells()) {
            if (!shell.isDisposed() && shell.getData() instanceof NewSessionDialog) {
                return true;
            }
        }
        return false;
    }

    private static IHandlerService handlers() {
        return Ui.page().getWorkbenchWindow().getService(IHandlerService.class);
    }
}
