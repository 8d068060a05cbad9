package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.LinkOpener;
import org.agentchannels.ui.internal.chat.TranscriptRenderer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Links, code and tables in a real chat against a scripted gateway on loopback: a path in an answer opens its
 * workspace file in an editor at the line, a relative one the session's directory names too, an absolute one
 * outside the workspace, and a tool row's place; one that is nowhere says so in the status line; a web link
 * goes to the workbench's browser support (a recording stands in for the system browser), a {@code javascript:}
 * link nowhere; without the IDE's editors (the standalone product) a file goes to the system's program; a code
 * block's Copy and the context menu's Copy Code Block put exactly its text on the clipboard, and Copy of a
 * selection the blocks' text in it; a code block's long line scrolls sideways in the block's own view while the
 * prose wraps; a table's columns line up on screen. The UI thread is watched.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class LinksInTheChatTest extends WorkbenchTestCase {

    private static final String ID = "c0d0e000";
    private static final String KEY = "20261203_120000_abcdef";
    private static final String FOO = "class Foo {\n    int a;\n    int b;\n    int c;\n}\n";

    @RegisterExtension
    final UiWatchdog watchdog = new UiWatchdog();

    private ScriptedGateway gateway;
    private FakeSessionHost host;
    private FakeSessionHost.HostedSession session;

    /** What went to the browser and the system's programs instead of them. */
    private final List<String> browsed = new CopyOnWriteArrayList<>();
    private final List<Path> launched = new CopyOnWriteArrayList<>();
    private final LinkOpener.Outside recording = new LinkOpener.Outside() {
        @Override
        public void browse(URL url) {
            browsed.add(url.toString());
        }

        @Override
        public boolean launch(Path file) {
            launched.add(file);
            return true;
        }
    };

    @BeforeEach
    void startAGatewayWithASession() throws Exception {
        gateway = new ScriptedGateway().deviceName("desk").start();
        toClose.add(gateway);
        host = new FakeSessionHost(gateway, true);
        session = host.add(ID, KEY);
        session.title = "Links";
        Ui.tokens().trustWithoutToken(gateway.endpoint());
    }

    @AfterEach
    void forgetThePairing() throws Exception {
        Ui.tokens().remove(gateway.endpoint());
    }

    /** The chat, attached, with {@code answer} as the session's last row. */
    private ChatEditor openChatWith(String answer) {
        session.rows.add(TranscriptRow.user("where?", "desk"));
        session.rows.add(TranscriptRow.assistant(answer, "", "complete"));
        ChatEditor chat = ChatEditor.open(Ui.page(), gateway.endpoint(), ID, KEY, "Links", "desk");
        assertNotNull(chat);
        Ui.await("attached, the answer shown", () -> chat.session() != null && chat.statusText().contains("Idle")
                && chat.transcriptWidget().getText().contains("where?"));
        chat.linkOpener().setOutside(recording);
        return chat;
    }

    /** Clicks the transcript at {@code offset} as a person would: scrolled into view, pressed and released there. */
    private static void click(StyledText text, int offset) {
        assertTrue(offset >= 0, "nothing to click in " + text.getText());
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

    private static IProject project(String name) throws Exception {
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
        if (!project.exists()) {
            project.create(null);
        }
        project.open(null);
        return project;
    }

    private static IFile createFile(IProject project, String folder, String name, String content) throws Exception {
        if (!project.getFolder(folder).exists()) {
            project.getFolder(folder).create(true, true, null);
        }
        IFile file = project.getFolder(folder).getFile(name);
        file.create(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), true, null);
        return file;
    }

    /** The active editor, once it is a text editor on {@code input} with its caret on {@code line} (1-based). */
    private static ITextEditor awaitEditorAt(String what, java.util.function.Predicate<IEditorInput> input, int line) {
        Ui.await(what, () -> {
            IEditorPart active = Ui.page().getActiveEditor();
            return active instanceof ITextEditor editor && input.test(editor.getEditorInput())
                    && editor.getSelectionProvider().getSelection() instanceof ITextSelection s && s.getStartLine() == line - 1;
        });
        return (ITextEditor) Ui.page().getActiveEditor();
    }

    private static boolean isUriOf(IEditorInput input, Path file) {
        try {
            return input instanceof IURIEditorInput u && Path.of(u.getURI()).toRealPath().equals(file.toRealPath());
        } catch (Exception e) {
            return false;
        }
    }

    /** The texts of the status line's labels (and every other CLabel of the window). */
    private static boolean statusSays(String what) {
        return labels(Ui.page().getWorkbenchWindow().getShell()).stream().anyMatch(t -> t.contains(what));
    }

    private static List<String> labels(Control control) {
        List<String> found = new java.util.ArrayList<>();
        if (control instanceof CLabel l && !l.isDisposed() && l.getText() != null) {
            found.add(l.getText());
        }
        if (control instanceof Composite c && !c.isDisposed()) {
            for (Control child : c.getChildren()) {
                found.addAll(labels(child));
            }
        }
        return found;
    }

    private void writePresenceRecord(String cwd) throws Exception {
        double now = System.currentTimeMillis() / 1000.0;
        String json = "{\"version\":1,\"session_id\":\"" + ID + "\",\"session_key\":\"" + KEY + "\",\"status\":\"idle\","
                + "\"title\":\"Links\",\"model\":\"echo\",\"endpoint\":\"" + gateway.endpoint() + "\",\"host\":\"desk\","
                + "\"cwd\":" + new com.google.gson.JsonPrimitive(cwd) + ",\"updated_at\":" + now + ",\"expires_at\":"
                + (now + 90) + "}";
        Path tmp = presence.resolve(".desk-1." + ID + ".json.tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, presence.resolve("desk-1." + ID + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aPathInAnAnswerOpensItsFileAtItsLineWhereverItIsHereAndOneThatIsNowhereSaysSo() throws Exception {
        IProject project = project("links-test");
        toClose.add(() -> project.delete(true, true, null));
        IFile foo = createFile(project, "src", "Foo.java", FOO);
        Path checkout = Files.createDirectories(dir.resolve("checkout/lib"));
        Path util = Files.writeString(checkout.resolve("Util.txt"), "u1\nu2\nu3\n");
        Path outside = Files.writeString(dir.resolve("notes.txt"), "n1\nn2\nn3\nn4\n");
        writePresenceRecord(dir.resolve("checkout").toString());
        Ui.await("the session's record, naming its directory", () -> Ui.services().presence().current().find(ID)
                .map(s -> !s.cwd().isEmpty()).orElse(false));
        ChatEditor chat = openChatWith("The bug is in `src/Foo.java:3`; see lib/Util.txt:2, " + outside + ":4 and "
                + "missing/Nope.java:1.");
        StyledText text = chat.transcriptWidget();
        watchdog.start();

        click(text, text.getText().indexOf("missing/Nope.java:1") + 3);
        Ui.await("the status line saying so", () -> statusSays("Could not open missing/Nope.java:1"));
        assertEquals(chat, Ui.page().getActiveEditor(), "nothing else happened");
        StyleRange link = text.getStyleRangeAtOffset(text.getText().indexOf("src/Foo.java:3"));
        assertTrue(link != null && link.underline && link.font == JFaceResources.getTextFont(), "a monospace link: " + link);
        watchdog.assertNeverBlocked();

        // the editors' first opening starts their plugins on the UI thread, as any editor's first opening does
        click(text, text.getText().indexOf("src/Foo.java:3") + 2);
        awaitEditorAt("Foo.java of the workspace at line 3", in -> in instanceof IFileEditorInput f && f.getFile().equals(foo), 3);
        Ui.page().activate(chat);

        click(text, text.getText().indexOf("lib/Util.txt:2") + 2);
        awaitEditorAt("Util.txt of the session's directory at line 2", in -> isUriOf(in, util), 2);
        Ui.page().activate(chat);

        click(text, text.getText().indexOf(outside + ":4") + 2);
        awaitEditorAt("notes.txt, outside the workspace, at line 4", in -> isUriOf(in, outside), 4);
        Ui.page().activate(chat);

        // a tool row's place names its file by name; it opens the file at the place's line
        host.startTurn(ID, "read it", "desk", "");
        host.emit(session, new GatewayEvent.ToolStart("call-1", "Read Foo.java", "", ToolCall.COMPLETED, new ToolCall("call-1",
                "read", "", List.of(), List.of(new ToolCall.Location(foo.getLocation().toOSString(), 4)), false)));
        Ui.await("the tool row", () -> text.getText().contains("Read Foo.java  \u00b7 read \u00b7 Foo.java:4"));
        click(text, text.getText().indexOf("Foo.java:4") + 2);
        awaitEditorAt("Foo.java at the place's line", in -> in instanceof IFileEditorInput f && f.getFile().equals(foo), 4);
        assertTrue(browsed.isEmpty() && launched.isEmpty(), browsed + " " + launched);
    }

    @Test
    void aWebLinkGoesToTheBrowserAnotherSchemeNowhereAndWithoutEditorsAFileToItsProgram() throws Exception {
        Path outside = Files.writeString(dir.resolve("notes.txt"), "n1\nn2\n");
        ChatEditor chat = openChatWith("Read https://example.org/docs?q=1, [the guide](https://example.org/guide), "
                + "[this](javascript:alert(1)) and " + outside + ":2.");
        StyledText text = chat.transcriptWidget();
        watchdog.start();
        click(text, text.getText().indexOf("https://example.org/docs") + 3);
        Ui.await("the page in the browser", () -> browsed.equals(List.of("https://example.org/docs?q=1")));
        click(text, text.getText().indexOf("the guide") + 3);
        Ui.await("the guide in the browser", () -> browsed.size() == 2);
        assertEquals("https://example.org/guide", browsed.get(1));
        click(text, text.getText().indexOf("this") + 1);
        Ui.pump();

        // Enter on a link, as with the caret on a tool row's header
        text.setCaretOffset(text.getText().indexOf("https://example.org/docs") + 5);
        Event enter = new Event();
        enter.character = SWT.CR;
        enter.keyCode = SWT.CR;
        text.notifyListeners(SWT.KeyDown, enter);
        Ui.await("Enter follows it too", () -> browsed.size() == 3);
        assertEquals(List.of("https://example.org/docs?q=1", "https://example.org/guide", "https://example.org/docs?q=1"),
                browsed, "nothing for the javascript: link");

        chat.linkOpener().useEditors(false); // as in the standalone product, which has no editors
        click(text, text.getText().indexOf(outside.toString()) + 3);
        Ui.await("the file to the system's program", () -> launched.size() == 1);
        assertEquals(outside.toRealPath(), launched.get(0));
        assertEquals(chat, Ui.page().getActiveEditor(), "no editor opened");
        watchdog.assertNeverBlocked();
    }

    private static String clipboard() {
        Clipboard clipboard = new Clipboard(Display.getCurrent());
        try {
            return (String) clipboard.getContents(TextTransfer.getInstance());
        } finally {
            clipboard.dispose();
        }
    }

    private static void setClipboard(String s) {
        Clipboard clipboard = new Clipboard(Display.getCurrent());
        try {
            clipboard.setContents(new Object[] { s }, new Transfer[] { TextTransfer.getInstance() });
        } finally {
            clipboard.dispose();
        }
    }

    /** The context menu, shown as a right-click at {@code offset} shows it; its item named {@code name}. */
    private static MenuItem menuItemAt(StyledText text, int offset, String name) {
        text.setTopIndex(Math.max(0, text.getLineAtOffset(offset) - 1));
        Ui.pump();
        Point at = text.toDisplay(text.getLocationAtOffset(offset));
        Event detect = new Event();
        detect.x = at.x + 2;
        detect.y = at.y + text.getLineHeight() / 2;
        detect.detail = SWT.MENU_MOUSE;
        text.notifyListeners(SWT.MenuDetect, detect);
        Menu menu = text.getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        Ui.pump();
        for (MenuItem item : menu.getItems()) {
            if (name.equals(item.getText())) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in the context menu");
    }

    @Test
    void aCodeBlocksCopyAndCopyCodeBlockPutExactlyItsTextOnTheClipboard() throws Exception {
        String code = "for f in *.txt; do\n    wc -l \"$f\"\ndone";
        ChatEditor chat = openChatWith("Count them:\n\n```sh\n" + code + "\n```\n\nThen `ls`.\n\n    indented\n");
        StyledText text = chat.transcriptWidget();
        watchdog.start();
        StyledText block = awaitCodeBlockView(chat, 0);
        assertEquals(code, block.getText(), "the block's own view holds exactly its text");
        assertTrue(block.getFont() == JFaceResources.getTextFont(), "monospace: " + block.getFont());
        assertFalse(block.getBackground().equals(text.getBackground()), "shaded");
        setClipboard("before");
        click(text, text.getText().indexOf("sh  Copy") + 5);
        Ui.await("the block on the clipboard", () -> code.equals(clipboard()));

        setClipboard("before");
        MenuItem copyBlock = menuItemAt(text, text.getText().indexOf("sh  Copy") + 5, "Copy Code Block");
        assertTrue(copyBlock.isEnabled(), "on a code block's Copy line");
        copyBlock.notifyListeners(SWT.Selection, new Event());
        text.getMenu().notifyListeners(SWT.Hide, new Event());
        Ui.await("the block on the clipboard from the transcript's menu", () -> code.equals(clipboard()));

        MenuItem outsideBlock = menuItemAt(text, text.getText().indexOf("Count them") + 2, "Copy Code Block");
        assertFalse(outsideBlock.isEnabled(), "not in a code block");
        text.getMenu().notifyListeners(SWT.Hide, new Event());

        setClipboard("before");
        StyledText indented = awaitCodeBlockView(chat, 1);
        assertEquals("indented", indented.getText());
        MenuItem inTheView = itemNamed(indented.getMenu(), "Copy Code Block");
        inTheView.notifyListeners(SWT.Selection, new Event());
        Ui.await("the indented block from its own view's menu", () -> "indented".equals(clipboard()));

        setClipboard("before");
        text.setSelection(0, text.getCharCount());
        MenuItem copy = menuItemAt(text, text.getText().indexOf("Then") + 1, "Copy");
        copy.notifyListeners(SWT.Selection, new Event());
        text.getMenu().notifyListeners(SWT.Hide, new Event());
        Ui.await("the whole transcript, the blocks' text in it", () -> clipboard().contains("Count them:")
                && clipboard().contains(code) && clipboard().contains("indented")
                && clipboard().indexOf(TranscriptRenderer.CODE_BLOCK_OBJECT) < 0);
        watchdog.assertNeverBlocked();
    }

    @Test
    void aLongLineOfCodeScrollsSidewaysInItsBlockWhileTheProseAroundItWraps() throws Exception {
        String longLine = "String joined = String.join(\", \", " + "\"word\", ".repeat(60) + "\"end\");";
        String prose = "This sentence is long enough to wrap in a chat of this width, ".repeat(6);
        String after = "\n\n" + "A line after the block.\n\n".repeat(80);
        ChatEditor chat = openChatWith(prose + "\n\n```java\n" + longLine + "\nint next = 1;\n```" + after);
        StyledText text = chat.transcriptWidget();
        int blockAt = text.getText().indexOf(TranscriptRenderer.CODE_BLOCK_OBJECT);
        int blockLine = text.getLineAtOffset(blockAt);
        text.setTopIndex(0);
        watchdog.start();
        StyledText block = awaitCodeBlockView(chat, 0);
        assertFalse(block.getWordWrap(), "the block's lines stay whole");
        assertTrue(text.getWordWrap(), "the prose wraps");
        int proseLine = text.getLineAtOffset(text.getText().indexOf("This sentence"));
        assertTrue(text.getLinePixel(proseLine + 1) - text.getLinePixel(proseLine) > text.getLineHeight() * 3 / 2,
                "the prose is wrapped over several lines on screen");
        assertEquals(2, block.getLineCount());
        Ui.await("the block scrolls sideways: its long line is wider than the block",
                () -> block.getHorizontalBar() != null && block.getHorizontalBar().getMaximum()
                        > block.getHorizontalBar().getThumb());
        assertTrue(text.getLinePixel(blockLine + 1) - text.getLinePixel(blockLine) >= block.getSize().y,
                "the transcript keeps the block's height free for it");
        Ui.await("the view lies over its place", () -> Math.abs(block.getLocation().y - text.getLinePixel(blockLine)) <= 2);
        Point before = block.getLocation();
        int top = text.getTopPixel();
        block.setHorizontalPixel(block.getHorizontalBar().getMaximum());
        Ui.pump();
        assertTrue(block.getHorizontalPixel() > 0, "scrolled sideways");
        assertEquals(before, block.getLocation(), "the block scrolls in place");
        assertEquals(top, text.getTopPixel(), "the transcript not at all");

        text.setTopIndex(text.getLineCount() - 1);
        Ui.await("scrolled away, the block is not shown over other text", () -> !block.getVisible());
        text.setTopPixel(0);
        Ui.await("back, the block is shown where it belongs",
                () -> block.getVisible() && Math.abs(block.getLocation().y - text.getLinePixel(blockLine)) <= 2);
        watchdog.assertNeverBlocked();
    }

    /** The view of the chat's {@code index}th code block, once painted. */
    private static StyledText awaitCodeBlockView(ChatEditor chat, int index) {
        Ui.await("code block " + index + " shown in its own view", () -> chat.codeBlockViews().size() > index
                && chat.codeBlockViews().get(index).getVisible());
        return chat.codeBlockViews().get(index);
    }

    private static MenuItem itemNamed(Menu menu, String name) {
        menu.notifyListeners(SWT.Show, new Event());
        for (MenuItem item : menu.getItems()) {
            if (name.equals(item.getText())) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in the menu");
    }

    @Test
    void aTablesColumnsLineUpOnScreenWithItsHeaderInBold() throws Exception {
        ChatEditor chat = openChatWith("Results:\n\n| Test | Runs | Result |\n|---|--:|:-:|\n| parser | 12 | ok |\n"
                + "| the very long one | 3 | failed |\n| x | 12345 | ok |\n\nDone.");
        StyledText text = chat.transcriptWidget();
        String all = text.getText();
        int header = all.indexOf("Test ");
        List<Integer> rows = List.of(header, all.indexOf("parser"), all.indexOf("the very long one"), all.indexOf("x   "));
        Ui.pump();
        int firstBar = -1;
        int secondBar = -1;
        for (int row : rows) {
            int line = text.getLineAtOffset(row);
            String shown = text.getLine(line);
            int lineStart = text.getOffsetAtLine(line);
            int bar1 = text.getLocationAtOffset(lineStart + shown.indexOf('|')).x;
            int bar2 = text.getLocationAtOffset(lineStart + shown.lastIndexOf('|')).x;
            if (firstBar < 0) {
                firstBar = bar1;
                secondBar = bar2;
            }
            assertEquals(firstBar, bar1, "the first column's bar in line [" + shown + "]");
            assertEquals(secondBar, bar2, "the second column's bar in line [" + shown + "]");
        }
        assertTrue(secondBar > firstBar);
        StyleRange head = text.getStyleRangeAtOffset(header);
        assertEquals(JFaceResources.getFontRegistry().getBold(JFaceResources.TEXT_FONT), head.font, "the header in bold monospace");
        assertEquals(JFaceResources.getTextFont(), text.getStyleRangeAtOffset(all.indexOf("parser")).font);
    }
}
