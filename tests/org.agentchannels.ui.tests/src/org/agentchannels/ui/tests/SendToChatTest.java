package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.core.protocol.PromptContext;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.commands.Commands;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.TextSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;
import org.eclipse.ui.navigator.CommonNavigator;
import org.eclipse.ui.part.FileEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Send Selection / Send File to Agent Chat: an editor's selection and a navigator's file go into the chat's input
 * as blocks naming their file, reach a real ACP agent (the scripted one, which takes embedded context) as
 * resources with their path, and a prompt taking them to another device asks first.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class SendToChatTest extends WorkbenchTestCase {

    private static final String SEND_SELECTION = "org.agentchannels.ui.commands.sendSelectionToChat";
    private static final String SEND_FILE = "org.agentchannels.ui.commands.sendFileToChat";
    private static final String FOO = "class Foo {\n    int a;\n    int b;\n}\n";

    private IProject project;
    private IFile foo;

    @BeforeEach
    void aProjectWithAFile() throws Exception {
        project = ResourcesPlugin.getWorkspace().getRoot().getProject("send-to-chat");
        project.create(null);
        project.open(null);
        IFolder src = project.getFolder("src");
        src.create(true, true, null);
        foo = src.getFile("Foo.java");
        foo.create(new ByteArrayInputStream(FOO.getBytes(StandardCharsets.UTF_8)), true, null);
    }

    @AfterEach
    void removeTheProject() throws Exception {
        project.delete(true, true, null);
    }

    /** A chat with a session on the desk, whose agent takes embedded context. */
    private ChatEditor chatOnTheDesk() throws Exception {
        ChatEditor chat = chatOnTheDesk("context");
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));
        return chat;
    }

    private static void execute(String command) throws Exception {
        Ui.pump(); // the part just activated is what the handlers' conditions see
        PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand(command, null);
        Ui.pump();
    }

    /** Presses the button labelled {@code label} of the next message dialog, remembering its message. */
    private static void answerNextDialog(String label, AtomicReference<String> message, AtomicReference<Throwable> failure) {
        Ui.whenDialogOpens(MessageDialog.class, dialog -> {
            message.set(dialog.getShell().getText() + ": " + messageOf(dialog));
            Button button = Ui.buttons(dialog.getShell()).stream().filter(b -> b.getText().replace("&", "").equals(label))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + label + " button"));
            button.notifyListeners(SWT.Selection, new Event());
        }, failure);
    }

    private static String messageOf(MessageDialog dialog) {
        StringBuilder text = new StringBuilder();
        collectLabels(dialog.getShell(), text);
        return text.toString();
    }

    private static void collectLabels(org.eclipse.swt.widgets.Control control, StringBuilder text) {
        if (control instanceof org.eclipse.swt.widgets.Label l) {
            text.append(l.getText()).append('\n');
        }
        if (control instanceof org.eclipse.swt.widgets.Composite c) {
            for (org.eclipse.swt.widgets.Control child : c.getChildren()) {
                collectLabels(child, text);
            }
        }
    }

    @Test
    void aSelectionGoesIntoTheChatWithItsFileAndLinesAndReachesTheAgentAsAResourceOnceThePersonSaysSo() throws Exception {
        ChatEditor chat = chatOnTheDesk();
        ITextEditor editor = (ITextEditor) Ui.page().openEditor(new FileEditorInput(foo), "org.eclipse.ui.DefaultTextEditor");
        IDocument document = editor.getDocumentProvider().getDocument(editor.getEditorInput());
        int start = document.getLineOffset(1);
        // lines 2 and 3, the selection ending at the start of line 4 as a mouse drag leaves it
        editor.getSelectionProvider().setSelection(new TextSelection(document, start, document.getLineOffset(3) - start));
        chat.inputWidget().setText("Why two fields?");
        Ui.page().activate(editor);
        execute(SEND_SELECTION);

        String block = new PromptContext("src/Foo.java", 2, 3, "java", "    int a;\n    int b;\n").fenced();
        assertEquals("Why two fields?\n\n" + block + "\n\n", chat.inputWidget().getText(),
                "the project's path, not this machine's, for a session on another device");
        assertEquals(chat, Ui.page().getActivePart(), "the chat comes forward for the question");

        // the session is on the desk: the person is asked before this device's file goes there, and may keep it
        AtomicReference<String> asked = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        answerNextDialog("Cancel", asked, failure);
        chat.sendPrompt();
        Ui.rethrow(failure);
        assertTrue(asked.get().contains("desk") && asked.get().contains("src/Foo.java:2-3"), asked.get());
        assertEquals("Why two fields?\n\n" + block + "\n\n", chat.inputWidget().getText(), "kept, not sent");
        assertEquals(0, chat.session().model().rowCount(), "nothing went");

        answerNextDialog("Send", asked, failure);
        chat.sendPrompt();
        Ui.rethrow(failure);
        Path cwd = dir.resolve("gateway/workspace").toRealPath(); // the gateway's first workspace
        Ui.await("the agent got the selection as a resource naming its file and lines",
                () -> chat.transcriptWidget().getText().contains("blocks: text resource uri="
                        + cwd.resolve("src/Foo.java").toUri() + "#L2-L3"));

        // nothing selected: Send Selection says so and changes nothing
        editor.getSelectionProvider().setSelection(new TextSelection(document, 0, 0));
        Ui.page().activate(editor);
        answerNextDialog("OK", asked, failure);
        execute(SEND_SELECTION);
        Ui.rethrow(failure);
        assertTrue(asked.get().contains("Nothing is selected"), asked.get());
        assertEquals("", chat.inputWidget().getText());

        // the key: Ctrl+Alt+A in every text editor
        assertFalse(Commands.keysFor(PlatformUI.getWorkbench().getService(IBindingService.class), SEND_SELECTION,
                "org.eclipse.ui.textEditorScope").isEmpty());
    }

    @Test
    void aFileFromTheProjectExplorerGoesWholeAndALinkOutOfItsProjectIsNotSent() throws Exception {
        ChatEditor chat = chatOnTheDesk();
        Path secret = Files.writeString(dir.resolve("secret.txt"), "id_rsa");
        Files.createSymbolicLink(project.getLocation().toPath().resolve("notes.txt"), secret);
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        IViewPart explorer = Ui.page().showView("org.eclipse.ui.navigator.ProjectExplorer");
        ((CommonNavigator) explorer).selectReveal(new StructuredSelection(foo));
        Ui.page().activate(explorer);
        execute(SEND_FILE);
        String block = new PromptContext("src/Foo.java", 0, 0, "java", FOO).fenced();
        Ui.await("the whole file in the input, read in a Job", () -> chat.inputWidget().getText().equals(block + "\n\n"));

        AtomicReference<String> told = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ((CommonNavigator) explorer).selectReveal(new StructuredSelection(project.getFile("notes.txt")));
        Ui.page().activate(explorer);
        answerNextDialog("OK", told, failure);
        execute(SEND_FILE);
        Ui.await("told why", () -> told.get() != null || failure.get() != null);
        Ui.rethrow(failure);
        assertTrue(told.get().contains("notes.txt is a link to a file outside its project"), told.get());
        assertEquals(block + "\n\n", chat.inputWidget().getText(), "the linked file's text is not in the input");
        Ui.page().hideView(explorer);
    }
}
