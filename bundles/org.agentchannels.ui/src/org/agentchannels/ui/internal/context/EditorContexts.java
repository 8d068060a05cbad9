package org.agentchannels.ui.internal.context;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.agentchannels.core.protocol.PromptContext;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.osgi.util.NLS;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * The {@link PromptContext} of what a person hands to a chat: an editor's selection (or, with none, its whole
 * text, unsaved changes included, as it is on screen) or a file of the workspace, named as the chat's session
 * can use it: by its absolute path for a session on this device, relative to its project for one elsewhere (the
 * other device has the same project checked out, not this machine's folders). Refuses what is not text and
 * what is over {@link PromptContext#MAX_CHARS}, with a message that says so.
 */
final class EditorContexts {

    /** Thrown with a message for the person: nothing is sent. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Fence languages by extension where the extension itself is not the word Markdown highlighters know. */
    private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("md", "markdown"),
            Map.entry("py", "python"), Map.entry("rb", "ruby"), Map.entry("rs", "rust"), Map.entry("kt", "kotlin"),
            Map.entry("sh", "bash"), Map.entry("yml", "yaml"), Map.entry("mf", "text"), Map.entry("h", "c"),
            Map.entry("hpp", "cpp"), Map.entry("cc", "cpp"), Map.entry("js", "javascript"), Map.entry("ts", "typescript"));

    private EditorContexts() {
    }

    /**
     * The editor's selection, or its whole text when nothing is selected.
     *
     * @param selectionOnly the person asked for the selection: an empty one is refused rather than widened
     */
    static PromptContext fromEditor(ITextEditor editor, boolean onThisDevice, boolean selectionOnly) throws Refused {
        IDocument document = editor.getDocumentProvider() == null ? null
                : editor.getDocumentProvider().getDocument(editor.getEditorInput());
        if (document == null) {
            throw new Refused(Messages.SendToChat_noText);
        }
        String path = pathOf(editor.getEditorInput(), onThisDevice);
        ISelection selection = editor.getSelectionProvider() == null ? null : editor.getSelectionProvider().getSelection();
        if (selection instanceof ITextSelection t && t.getLength() > 0) {
            String text = checked(path, t.getText());
            int first = t.getStartLine() + 1;
            // a selection ending at the start of a line holds none of that line
            int last = Math.max(first, endLine(document, t) + 1);
            return new PromptContext(path, first, last, language(path), text);
        }
        if (selectionOnly) {
            throw new Refused(Messages.SendToChat_noSelection);
        }
        return new PromptContext(path, 0, 0, language(path), checked(path, document.get()));
    }

    private static int endLine(IDocument document, ITextSelection t) {
        int end = t.getOffset() + t.getLength();
        try {
            int line = document.getLineOfOffset(end);
            return line > t.getStartLine() && document.getLineOffset(line) == end ? line - 1 : line;
        } catch (BadLocationException e) {
            return t.getEndLine();
        }
    }

    /** A workspace file's text, read as its charset says; runs in a Job (it reads the disk). */
    static PromptContext fromFile(IFile file, boolean onThisDevice) throws Refused {
        String path = pathOf(file, onThisDevice);
        requireInsideItsProject(file, path);
        try (InputStream in = file.getContents(true)) {
            return new PromptContext(path, 0, 0, language(path), read(path, in, charsetOf(file)));
        } catch (CoreException | IOException e) {
            throw new Refused(NLS.bind(Messages.SendToChat_readFailed, path, e.getMessage()));
        }
    }

    /**
     * A checkout may hold a planted link ({@code notes.txt -> ~/.ssh/id_rsa}): a file whose real place is outside
     * its project is not sent, so what goes to an agent elsewhere is what the project holds.
     */
    private static void requireInsideItsProject(IFile file, String path) throws Refused {
        IPath location = file.getLocation();
        IPath projectLocation = file.getProject().getLocation();
        if (location == null || projectLocation == null) {
            return; // not on a local disk: the workspace's file system reads it
        }
        try {
            Path real = location.toPath().toRealPath();
            if (!real.startsWith(projectLocation.toPath().toRealPath()) || !Files.isRegularFile(real)) {
                throw new Refused(NLS.bind(Messages.SendToChat_outsideProject, path));
            }
        } catch (IOException e) {
            throw new Refused(NLS.bind(Messages.SendToChat_readFailed, path, e.getMessage()));
        }
    }

    private static Charset charsetOf(IFile file) {
        try {
            return Charset.forName(file.getCharset());
        } catch (CoreException | RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** At most {@link PromptContext#MAX_CHARS} (one more is read to know it is over), strictly decoded. */
    private static String read(String path, InputStream in, Charset charset) throws IOException, Refused {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try (Reader reader = new InputStreamReader(in, decoder)) {
            int n;
            while ((n = reader.read(buffer)) > 0) {
                text.append(buffer, 0, n);
                if (text.length() > PromptContext.MAX_CHARS) {
                    throw new Refused(NLS.bind(Messages.SendToChat_tooLarge, path, PromptContext.MAX_CHARS / 1024));
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Refused(NLS.bind(Messages.SendToChat_notText, path));
        }
        return checked(path, text.toString());
    }

    private static String checked(String path, String text) throws Refused {
        if (text.length() > PromptContext.MAX_CHARS) {
            throw new Refused(NLS.bind(Messages.SendToChat_tooLarge, path, PromptContext.MAX_CHARS / 1024));
        }
        if (text.indexOf('\0') >= 0) {
            throw new Refused(NLS.bind(Messages.SendToChat_notText, path));
        }
        return text;
    }

    private static String pathOf(IEditorInput input, boolean onThisDevice) throws Refused {
        IFile file = input.getAdapter(IFile.class);
        if (file != null) {
            return pathOf(file, onThisDevice);
        }
        if (input instanceof IURIEditorInput u && u.getURI() != null && "file".equals(u.getURI().getScheme())) {
            Path p = Path.of(URI.create(u.getURI().toString()));
            return onThisDevice ? p.toString() : p.getFileName().toString();
        }
        String name = input.getName();
        if (name == null || name.isBlank() || name.indexOf('\n') >= 0) {
            throw new Refused(Messages.SendToChat_noText);
        }
        return name;
    }

    /** The file's absolute path here, or its path in its project for a session on another device. */
    static String pathOf(IFile file, boolean onThisDevice) {
        IPath location = file.getLocation();
        if (onThisDevice && location != null) {
            return location.toOSString();
        }
        return file.getProjectRelativePath().toString();
    }

    /** The fence's language word for a file name: its extension, or the word highlighters know for it. */
    static String language(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return "";
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String word = LANGUAGES.getOrDefault(ext, ext);
        return word.matches("[\\w+#.-]*") ? word : "";
    }
}
