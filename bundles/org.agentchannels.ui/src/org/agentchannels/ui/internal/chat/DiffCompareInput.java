package org.agentchannels.ui.internal.chat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.compare.CompareConfiguration;
import org.eclipse.compare.CompareEditorInput;
import org.eclipse.compare.CompareUI;
import org.eclipse.compare.IEncodedStreamContentAccessor;
import org.eclipse.compare.ITypedElement;
import org.eclipse.compare.structuremergeviewer.DiffNode;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.graphics.Image;

/**
 * An agent's change to a file in Eclipse's compare editor: the text after it on the left, before it on the right
 * (as the compare editor shows the working copy against an earlier version), both read-only and typed by the
 * file's extension so a language's compare viewer is used where one is installed. Loaded only where
 * org.eclipse.compare is installed ({@link TranscriptPane#canCompare}): the chat's dependency on it is optional.
 */
final class DiffCompareInput extends CompareEditorInput {

    private final ToolCall.Diff diff;

    private DiffCompareInput(ToolCall.Diff diff) {
        super(configuration(diff));
        this.diff = diff;
        setTitle(NLS.bind(Messages.Compare_title, fileName(diff.path())));
    }

    private static CompareConfiguration configuration(ToolCall.Diff diff) {
        CompareConfiguration c = new CompareConfiguration();
        String name = fileName(diff.path());
        c.setLeftLabel(NLS.bind(Messages.Compare_after, name));
        c.setRightLabel(NLS.bind(Messages.Compare_before, name));
        c.setLeftEditable(false);
        c.setRightEditable(false);
        return c;
    }

    /** Opens the compare editor on {@code diff}; UI thread. */
    static void open(ToolCall.Diff diff) {
        CompareUI.openCompareEditor(new DiffCompareInput(diff));
    }

    @Override
    protected Object prepareInput(IProgressMonitor monitor) {
        String name = fileName(diff.path());
        return new DiffNode(new Side(name, diff.newText()), new Side(name, diff.oldText()));
    }

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    /** One side of the comparison: a text held in memory. */
    private record Side(String name, String text) implements ITypedElement, IEncodedStreamContentAccessor {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Image getImage() {
            return null;
        }

        @Override
        public String getType() {
            int dot = name.lastIndexOf('.');
            return dot > 0 && dot < name.length() - 1 ? name.substring(dot + 1) : ITypedElement.TEXT_TYPE;
        }

        @Override
        public InputStream getContents() {
            return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String getCharset() {
            return StandardCharsets.UTF_8.name();
        }
    }
}
