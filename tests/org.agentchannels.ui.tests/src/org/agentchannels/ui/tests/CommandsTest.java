package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.gateway.PacedAgent;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.ChatEditorInput;
import org.agentchannels.ui.internal.chat.ChatEditorInputFactory;
import org.agentchannels.ui.internal.chat.NewSessionDialog;
import org.agentchannels.ui.internal.commands.Commands;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.protocol.SessionSummary;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.IMemento;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.XMLMemento;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * The workbench's commands: declared with their key bindings in their own contexts, in the views' menus, and
 * driving a real session: Open Session from the Live view, Ctrl+Enter and Esc typed in the chat, New Session
 * on a device from the context menu, Group by Device. Chats are saved with the workbench and come back.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class CommandsTest extends WorkbenchTestCase {

    @Test
    void theKeysAreBoundInTheirOwnContexts() throws Exception {
        IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
        assertEquals("Ctrl+Enter", Commands.keysFor(bindings, Commands.SEND_PROMPT, Commands.CHAT_CONTEXT));
        assertEquals("Esc", Commands.keysFor(bindings, Commands.STOP_TURN, Commands.CHAT_CONTEXT));
        assertEquals("F5", Commands.keysFor(bindings, Commands.REFRESH_SESSIONS, Commands.SESSION_LISTS_CONTEXT));
        assertEquals("", Commands.keysFor(bindings, Commands.SEND_PROMPT, Commands.SESSION_LISTS_CONTEXT));
        ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
        for (String id : List.of(Commands.OPEN_SESSION, Commands.NEW_SESSION, Commands.REFRESH_SESSIONS, Commands.GROUP_BY_DEVICE,
                Commands.SEND_PROMPT, Commands.STOP_TURN)) {
            assertTrue(commands.getCommand(id).isDefined(), id);
            assertEquals("Agent Channels", commands.getCommand(id).getCategory().getName(), id);
        }
    }

    @Test
    void openSessionCtrlEnterEscAndNewSessionOnADeviceDriveARealGateway() throws Exception {
        PacedAgent agent = new PacedAgent("word", 10_000, 20);
        int port = freePort();
        // a loopback gateway publishes presence only with an endpoint to advertise
        Gateway gateway = Gateway.start(GatewayOptions.parse(List.of("--port", String.valueOf(port), "--device-name", "desk",
                "--advertise", "ws://127.0.0.1:" + port + "/api/ws", "--presence-dir", presence.toString()), dir.resolve("desk")),
                agent, () -> "desk",
                Clock.systemUTC());
        toClose.add(gateway);
        Ui.tokens().put(gateway.localEndpoint(), gateway.token());
        var desk = deskClient(gateway);
        String id = desk.createSession("Write the notes", List.of()).get(30, TimeUnit.SECONDS).sessionId();

        LiveSessionsView view = (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        Ui.await("the desk's session", () -> findSession(view, "Write the notes") != null);
        view.viewer().getTree().setSelection(findSession(view, "Write the notes"));
        view.viewer().getTree().notifyListeners(SWT.Selection, new Event());

        // the context menu offers the commands, labelled for the selected device
        List<String> items = menuItems(view.viewer().getControl());
        assertTrue(items.contains("Open") && items.contains("New Session on desk"), items.toString());

        handlers().executeCommand(Commands.OPEN_SESSION, null);
        Ui.await("the chat", () -> Ui.page().getActiveEditor() instanceof ChatEditor);
        ChatEditor chat = (ChatEditor) Ui.page().getActiveEditor();
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));

        chat.inputWidget().setFocus();
        chat.inputWidget().setText("take notes");
        press(chat.inputWidget(), SWT.CR, '\r', SWT.MOD1);
        Ui.await("the prompt sent by Ctrl+Enter and the turn streaming",
                () -> chat.inputWidget().getText().isEmpty() && chat.transcriptWidget().getText().contains("word3 "));
        press(chat.inputWidget(), SWT.ESC, (char) 27, 0);
        Ui.await("the turn stopped by Esc", () -> agent.wasInterrupted() && chat.session().model().activity() == SessionActivity.IDLE);

        List<TranscriptRow> rows = desk.history(id).get(30, TimeUnit.SECONDS).messages();
        assertEquals(1, rows.stream().filter(r -> "take notes".equals(r.text())).count(), rows.toString());

        // New Session on the desk, from the Live view: the dialog asks which agent and directory; OK takes the defaults
        Ui.page().activate(view);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Ui.whenDialogOpens(NewSessionDialog.class, dialog -> dialog.okButton().notifyListeners(SWT.Selection, new Event()),
                failure);
        handlers().executeCommand(Commands.NEW_SESSION, null);
        Ui.rethrow(failure);
        Ui.await("a second chat", () -> Ui.page().getEditorReferences().length == 2
                && Ui.page().getActiveEditor() instanceof ChatEditor c && c != chat);
        List<SessionSummary> live = desk.liveSessions().get(30, TimeUnit.SECONDS);
        assertEquals(2, live.size(), live.toString());
    }

    @Test
    void groupByDeviceIsAToggleInTheViewMenu() throws Exception {
        double now = System.currentTimeMillis() / 1000.0;
        Files.writeString(presence.resolve("desk-1.a1.json"), "{\"version\":1,\"session_id\":\"a1\",\"session_key\":\"k-a1\","
                + "\"status\":\"idle\",\"title\":\"Alpha\",\"endpoint\":\"ws://127.0.0.1:9/api/ws\",\"host\":\"desk\","
                + "\"updated_at\":" + now + ",\"expires_at\":" + (now + 90) + "}");
        LiveSessionsView view = (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        Ui.await("the device row", () -> view.viewer().getTree().getItemCount() == 1
                && view.viewer().getTree().getItem(0).getText().startsWith("desk"));
        handlers().executeCommand(Commands.GROUP_BY_DEVICE, null);
        try {
            Ui.await("the session at the top", () -> view.viewer().getTree().getItemCount() == 1
                    && view.viewer().getTree().getItem(0).getText().startsWith("Alpha"));
        } finally {
            handlers().executeCommand(Commands.GROUP_BY_DEVICE, null);
        }
        Ui.await("grouped again", () -> view.viewer().getTree().getItem(0).getText().startsWith("desk"));
    }

    @Test
    void aChatIsSavedWithTheWorkbenchAndMadeAgainFromItsMemento() throws Exception {
        ChatEditorInput input = new ChatEditorInput("ws://127.0.0.1:8664/api/ws", "rt-1", "stored-1", "Plan", "desk");
        assertNotNull(input.getPersistable());
        XMLMemento memento = XMLMemento.createWriteRoot("editor");
        input.getPersistable().saveState(memento);
        StringWriter saved = new StringWriter();
        memento.save(saved);
        IMemento read = XMLMemento.createReadRoot(new StringReader(saved.toString()));
        ChatEditorInput again = (ChatEditorInput) new ChatEditorInputFactory().createElement(read);
        assertEquals(input.endpoint(), again.endpoint());
        assertEquals(input.sessionKey(), again.sessionKey());
        assertEquals(input.title(), again.title());
        assertEquals(input.host(), again.host());
        assertEquals(input, again);
        assertEquals(ChatEditorInputFactory.ID, input.getPersistable().getFactoryId());
        assertNull(new ChatEditorInputFactory().createElement(XMLMemento.createWriteRoot("editor")),
                "a memento that names no session makes no chat");
    }

    private static IHandlerService handlers() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(IHandlerService.class);
    }

    /** A key press as the keyboard delivers it: through the display's filters, where the key bindings live. */
    private static void press(Control control, int keyCode, char character, int stateMask) {
        Event down = new Event();
        down.keyCode = keyCode;
        down.character = character;
        down.stateMask = stateMask;
        control.notifyListeners(SWT.KeyDown, down);
        Ui.pump();
    }

    private static List<String> menuItems(Control control) {
        Menu menu = control.getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        List<String> labels = new ArrayList<>();
        for (MenuItem item : menu.getItems()) {
            labels.add(item.getText().replace("&", ""));
        }
        menu.notifyListeners(SWT.Hide, new Event());
        return labels;
    }

}
