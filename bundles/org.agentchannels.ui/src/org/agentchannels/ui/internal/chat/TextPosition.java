package org.agentchannels.ui.internal.chat;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.texteditor.IDocumentProvider;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Puts a text editor's caret at a line and column, and shows it. Loaded only where the text editor framework is
 * installed ({@link LinkOpener}). UI thread.
 */
final class TextPosition {

    private TextPosition() {
    }

    /**
     * @param line 1-based; past the end means the last line
     * @param column 1-based, 0 for the line's start; past the line's end means its end
     * @return whether {@code part} is a text editor (and the caret moved)
     */
    static boolean reveal(IEditorPart part, int line, int column) {
        ITextEditor editor = Adapters.adapt(part, ITextEditor.class);
        if (editor == null) {
            return false;
        }
        IDocumentProvider provider = editor.getDocumentProvider();
        IDocument document = provider == null ? null : provider.getDocument(editor.getEditorInput());
        if (document == null) {
            return false;
        }
        try {
            int index = Math.max(0, Math.min(line, document.getNumberOfLines()) - 1);
            IRegion region = document.getLineInformation(index);
            int offset = region.getOffset() + Math.min(Math.max(0, column - 1), region.getLength());
            editor.selectAndReveal(offset, 0);
            return true;
        } catch (BadLocationException e) {
            return false; // the document changed under us: the editor is open, at its start
        }
    }
}
