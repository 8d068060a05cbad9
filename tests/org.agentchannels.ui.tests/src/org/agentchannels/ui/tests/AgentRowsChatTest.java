package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.compare.CompareEditorInput;
import org.eclipse.jface.resource.ColorRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat with an agent that reports its tool calls, plans and commands, driven by a scripted gateway on loopback
 * sending our gateway's events ({@code tool.start}, {@code tool.update}, {@code plan.update},
 * {@code session.commands}): a tool row updated in place from pending to completed stays one row and shows its
 * new state, closes once completed and opens on a click onto a coloured diff whose file, being on this machine,
 * opens in the compare editor; the plan is a checklist; the colours are the theme's; {@code /} at the start of
 * the prompt offers the agent's commands. And behind a real gateway with the scripted ACP agent, an edit first
 * described in its permission request is one row from the request to its end. The UI thread is watched.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class AgentRowsChatTest extends WorkbenchTestCase {

    private static final String ID = "a0b0c000";

    @RegisterExtension
    final UiWatchdog watchdog = new UiWatchdog();

    private ScriptedGateway gateway;
    private FakeSessionHost host;
    private FakeSessionHost.HostedSession session;

    @BeforeEach
    void startAGatewayWithASession() throws Exception {
        gateway = new ScriptedGateway().deviceName("desk").start();
        toClose.add(gateway);
        host = new FakeSessionHost(gateway, true);
        session = host.add(ID, "20261202_120000_abcdef");
        session.title = "Fix the answer";
        Ui.tokens().trustWithoutToken(gateway.endpoint()); // paired, as a gateway that asks for no token is
    }

    @AfterEach
    void forgetThePairing() throws Exception {
        Ui.tokens().remove(gateway.endpoint());
    }

    private ChatEditor openChat() {
        ChatEditor chat = ChatEditor.open(Ui.page(), gateway.endpoint(), ID, "", "Fix the answer", "desk");
        assertNotNull(chat);
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));
        return chat;
    }

    /** Clicks the transcript at {@code offset} as a person would: scrolled into view, pressed and released there. */
    private static void click(StyledText text, int offset) {
        text.setTopIndex(Math.max(0, text.getLineAtOffset(offset) - 1));
        Ui.pump();
        Point at = text.getLocationAtOffset(offset);
        for (int type : new int[] { SWT.MouseDown, SWT.MouseUp }) {
            Event e = new Event();
            e.button = 1;
            e.count = 1;
            e.x = at.x + 2;
            e.y = at.y + text.getLineHeight() / 2;
            text.notifyListeners(type, e);
        }
        Ui.pump();
    }

    private static int occurrences(String text, String of) {
        return text.split(java.util.regex.Pattern.quote(of), -1).length - 1;
    }

    private static final String OLD = "class Main {\n    int answer() {\n        return 1;\n    }\n}\n";
    private static final String NEW = "class Main {\n    int answer() {\n        return 42;\n    }\n}\n";

    @Test
    void aToolCallUpdatedInPlaceIsOneRowThatClosesOnceCompletedAndOpensOntoAColouredDiff() throws Exception {
        Path file = Files.writeString(Files.createDirectories(dir.resolve("project")).resolve("Main.java"), OLD);
        ToolCall call = new ToolCall("call-1", "edit", "", List.of(new ToolCall.Diff(file.toString(), OLD, NEW)),
                List.of(new ToolCall.Location(file.toString(), 3)), false);
        ChatEditor chat = openChat();
        StyledText text = chat.transcriptWidget();
        watchdog.start();
        host.startTurn(ID, "make it 42", "desk", "");
        host.emit(session, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Find the answer", "high", "completed"),
                new PlanEntry("Change it", "medium", "in_progress"), new PlanEntry("Run the tests", "low", "pending"))));
        host.emit(session, new GatewayEvent.ToolStart("call-1", "Edit Main.java", "", ToolCall.PENDING, call));
        Ui.await("the pending call, open onto its diff", () -> text.getText().contains("\u25be \u25cb Edit Main.java")
                && text.getText().contains("+        return 42;"));
        assertTrue(text.getText().contains("Plan  1 of 3 done\n\u2713 Find the answer  \u00b7 high priority\n"
                + "\u25d0 Change it  \u00b7 medium priority\n\u25cb Run the tests  \u00b7 low priority\n"), text.getText());

        host.emit(session, new GatewayEvent.ToolUpdate("call-1", "Edit Main.java", "", ToolCall.COMPLETED, call));
        Ui.await("the completed call, closed", () -> text.getText().contains(
                "\u25b8 \u2713 Edit Main.java  \u00b7 edit \u00b7 Main.java:3 \u2014 completed"));
        assertEquals(1, occurrences(text.getText(), "Edit Main.java"), "one row, updated in place: " + text.getText());
        assertFalse(text.getText().contains("pending"), text.getText());
        assertFalse(text.getText().contains("return 42"), "closed once completed");
        assertEquals(1, chat.session().model().rows().stream().filter(r -> TranscriptRow.TOOL.equals(r.role())).count());

        click(text, text.getText().indexOf("Edit Main.java"));
        Ui.await("the diff, on a click", () -> text.getText().contains("+        return 42;"));
        assertTrue(text.getText().contains("\u25be \u2713 Edit Main.java"), text.getText());
        ColorRegistry theme = PlatformUI.getWorkbench().getThemeManager().getCurrentTheme().getColorRegistry();
        StyleRange added = text.getStyleRangeAtOffset(text.getText().indexOf("+        return 42;"));
        assertNotNull(added, "the added line is styled");
        assertEquals(new RGB(20, 115, 45), added.foreground.getRGB(), "green, the theme's colour for added lines");
        assertEquals(theme.get("org.agentchannels.ui.chat.added"), added.foreground);
        assertEquals(theme.get("org.agentchannels.ui.chat.addedBackground"), added.background);
        assertEquals(JFaceResources.getTextFont(), added.font, "monospace");
        StyleRange removed = text.getStyleRangeAtOffset(text.getText().indexOf("-        return 1;"));
        assertEquals(new RGB(178, 30, 40), removed.foreground.getRGB(), "red, the theme's colour for removed lines");
        StyleRange hunk = text.getStyleRangeAtOffset(text.getText().indexOf("@@ -1,5 +1,5 @@"));
        assertEquals(theme.get("org.agentchannels.ui.chat.quiet"), hunk.foreground, "the hunk header is quiet");

        // the file is on this machine: once that is known, its diff opens in the compare editor
        Ui.await("the compare link", () -> text.getText().contains("Open in Compare Editor"));
        // what the chat does is watched; the compare editor's first opening starts its plugins on the UI thread,
        // as any editor's first opening does
        watchdog.assertNeverBlocked();
        click(text, text.getText().indexOf("Open in Compare Editor") + 3);
        Ui.await("the compare editor", () -> Ui.page().getActiveEditor() != null
                && Ui.page().getActiveEditor().getEditorInput() instanceof CompareEditorInput);
        IEditorPart compare = Ui.page().getActiveEditor();
        assertEquals("Main.java: the agent's change", compare.getEditorInput().getName());
        Ui.page().closeEditor(compare, false);

        host.complete(ID, "The answer is 42 now.", "complete");
        Ui.await("the answer", () -> text.getText().contains("The answer is 42 now."));
        assertEquals(1, occurrences(text.getText(), "Edit Main.java"));
        assertTrue(text.getText().contains("+        return 42;"), "still open: the person opened it");
    }


    @Test
    void anEditAskedForBehindARealGatewayIsOneRowFromItsPermissionRequestToItsEnd() throws Exception {
        AcpAgent agent = new AcpAgent(ScriptedAcpAgents.command("permission-edit",
                Files.createDirectories(dir.resolve("agent"))), dir.resolve("workspace"), AcpAgent.START_TIMEOUT);
        Gateway real = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--device-name", "desk",
                "--presence-dir", dir.resolve("other-presence").toString()), dir.resolve("acp-gateway")), agent,
                () -> "desk", Clock.systemUTC());
        toClose.add(real);
        Ui.tokens().put(real.localEndpoint(), real.token());
        toClose.add(() -> Ui.tokens().remove(real.localEndpoint()));
        GatewayConnection c = deskClient(real);
        String id = c.createSession("", List.of()).get(30, TimeUnit.SECONDS).sessionId();
        ChatEditor chat = ChatEditor.open(Ui.page(), real.localEndpoint(), id, "", "Agent", "desk");
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));
        StyledText text = chat.transcriptWidget();
        watchdog.start();
        chat.inputWidget().setText("make b.txt");
        chat.sendPrompt();
        Ui.await("the edit asked for, open onto its diff", () -> text.getText().contains("\u25be \u25cb Edit b.txt")
                && text.getText().contains("@@ -0,0 +1,1 @@\n+new file")
                && Ui.buttons(chat.requestsArea()).stream().anyMatch(b -> b.getText().equals("Allow once")));
        Button allow = Ui.buttons(chat.requestsArea()).stream().filter(b -> b.getText().equals("Allow once")).findFirst()
                .orElseThrow();
        allow.notifyListeners(SWT.Selection, new Event());
        Ui.await("the edit done, closed, and the answer", () -> text.getText().contains("\u25b8 \u2713 Edit b.txt")
                && text.getText().contains("created b.txt"));
        assertEquals(1, occurrences(text.getText(), "Edit b.txt"), "one row from the request to its end: " + text.getText());
        assertFalse(text.getText().contains("+new file"), "closed once completed");
        watchdog.assertNeverBlocked();
    }

    /** The rows of the proposal list that is open, if one is. */
    private static List<String> proposalsShown() {
        for (Shell shell : Display.getCurrent().getShells()) {
            if (shell.isVisible() && shell.getParent() != null) {
                Table table = find(shell, Table.class);
                if (table != null && !table.isDisposed()) {
                    List<String> rows = new ArrayList<>();
                    for (TableItem item : table.getItems()) {
                        rows.add(item.getText());
                    }
                    return rows;
                }
            }
        }
        return List.of();
    }

    private static <T extends Control> T find(Control control, Class<T> type) {
        if (type.isInstance(control)) {
            return type.cast(control);
        }
        if (control instanceof Composite c) {
            for (Control child : c.getChildren()) {
                T found = find(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static void type(Text input, char c) {
        input.insert(String.valueOf(c));
        Event e = new Event();
        e.character = c;
        e.keyCode = c;
        input.notifyListeners(SWT.KeyDown, e);
        Ui.pump();
    }

    @Test
    void slashAtTheStartOfThePromptOffersTheAgentsCommandsNarrowedAsItIsTyped() throws Exception {
        ChatEditor chat = openChat();
        Text input = chat.inputWidget();
        input.setFocus();
        type(input, '/');
        Ui.pump();
        assertFalse(chat.commandCompletion().isProposalPopupOpen(), "an agent that offers no commands gets no list");
        input.setText("");

        host.emit(session, new GatewayEvent.SessionCommands(List.of(new SlashCommand("review", "Review the changes", "<file>"),
                new SlashCommand("init", "Write AGENTS.md", ""), new SlashCommand("reset", "Start over", ""))));
        Ui.await("the agent's commands", () -> chat.session().model().commands().size() == 3);
        type(input, '/');
        Ui.await("the list", () -> chat.commandCompletion().isProposalPopupOpen() && proposalsShown().size() == 3);
        assertEquals(List.of("/review  <file>  \u2014  Review the changes", "/init  \u2014  Write AGENTS.md",
                "/reset  \u2014  Start over"), proposalsShown());
        type(input, 'r');
        Ui.await("the list narrowed", () -> proposalsShown().size() == 2);
        type(input, 'e');
        type(input, 'v');
        Ui.await("one left", () -> proposalsShown().equals(List.of("/review  <file>  \u2014  Review the changes")));
        Event enter = new Event();
        enter.character = SWT.CR;
        enter.keyCode = SWT.CR;
        input.notifyListeners(SWT.KeyDown, enter);
        Ui.await("the command in the prompt", () -> input.getText().equals("/review "));
        assertEquals("/review ".length(), input.getCaretPosition());
        Ui.await("the list closed", () -> !chat.commandCompletion().isProposalPopupOpen());

        input.setText("tell me about ");
        input.setSelection(input.getText().length());
        type(input, '/');
        Ui.pump();
        assertFalse(chat.commandCompletion().isProposalPopupOpen(), "only at the start of the prompt");
    }

    /** The chat's colour definitions (plugin.xml) and the values the Dark theme's stylesheet gives them. */
    private static java.util.Map<String, RGB> darkThemeColours() throws Exception {
        Path bundle = LocalizationCompletenessTest.checkoutRoot().resolve("bundles/org.agentchannels.ui");
        java.util.regex.Matcher defined = java.util.regex.Pattern.compile("colorDefinition id=\"(org\\.agentchannels\\.[^\"]+)\"")
                .matcher(Files.readString(bundle.resolve("plugin.xml")));
        String css = Files.readString(bundle.resolve("css/agentchannels-dark.css"));
        java.util.Map<String, RGB> dark = new java.util.LinkedHashMap<>();
        while (defined.find()) {
            java.util.regex.Matcher value = java.util.regex.Pattern.compile("'" + java.util.regex.Pattern.quote(defined.group(1))
                    + "=(\\d+),(\\d+),(\\d+)'").matcher(css);
            assertTrue(value.find(), "the Dark theme gives " + defined.group(1) + " no colour");
            dark.put(defined.group(1), new RGB(Integer.parseInt(value.group(1)), Integer.parseInt(value.group(2)),
                    Integer.parseInt(value.group(3))));
        }
        return dark;
    }

    @Test
    void theChatsColoursComeFromTheThemeAndTheDarkThemeSetsEachOfThem() throws Exception {
        java.util.Map<String, RGB> dark = darkThemeColours();
        assertEquals(8, dark.size(), dark.toString());
        ToolCall call = new ToolCall("call-1", "edit", "", List.of(new ToolCall.Diff("/src/Main.java", OLD, NEW)),
                List.of(), false);
        ChatEditor chat = openChat();
        StyledText text = chat.transcriptWidget();
        host.emit(session, new GatewayEvent.ToolStart("call-1", "Edit Main.java", "", ToolCall.FAILED, call));
        Ui.await("the failed call, open", () -> text.getText().contains("+        return 42;"));
        org.osgi.service.prefs.Preferences workbench = org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE
                .getNode("org.eclipse.ui.workbench");
        try {
            // what the Dark theme's stylesheet does: it sets the colours as the workbench's preferences
            dark.forEach((id, rgb) -> workbench.put(id, rgb.red + "," + rgb.green + "," + rgb.blue));
            Ui.await("the transcript in the Dark theme's colours", () -> {
                StyleRange added = text.getStyleRangeAtOffset(text.getText().indexOf("+        return 42;"));
                StyleRange failed = text.getStyleRangeAtOffset(text.getText().indexOf("\u2717"));
                return added != null && added.foreground.getRGB().equals(dark.get("org.agentchannels.ui.chat.added"))
                        && added.background.getRGB().equals(dark.get("org.agentchannels.ui.chat.addedBackground"))
                        && failed != null && failed.foreground.getRGB().equals(dark.get("org.agentchannels.ui.chat.failed"));
            });
        } finally {
            dark.keySet().forEach(workbench::remove);
        }
        Ui.await("the light colours again", () -> text.getStyleRangeAtOffset(text.getText().indexOf("+        return 42;"))
                .foreground.getRGB().equals(new RGB(20, 115, 45)));
    }
}
