package org.agentchannels.ui.internal.chat;

import java.nio.file.Path;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.filesystem.IFileStore;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.content.IContentType;
import org.eclipse.ui.IEditorDescriptor;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorRegistry;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.FileStoreEditorInput;
import org.eclipse.ui.ide.IDE;

/**
 * Opens a file a link names in the workbench's editor for it: a workspace file as such ({@code IDE.openEditor}),
 * any other file through its file store. A file type no editor is associated with opens in the text editor
 * (where one is installed) rather than in a program outside the workbench: what an agent names is source,
 * mostly. Loaded only where org.eclipse.ui.ide and org.eclipse.core.resources are installed
 * ({@link LinkOpener}). UI thread.
 */
final class IdeEditors {

    /** The text editor of org.eclipse.ui.editors ({@code EditorsUI.DEFAULT_TEXT_EDITOR_ID}). */
    static final String TEXT_EDITOR_ID = "org.eclipse.ui.DefaultTextEditor";

    private IdeEditors() {
    }

    /** @param workspaceFile the file's {@code IFile} in the workspace, or {@code null} for a file outside it */
    static IEditorPart open(IWorkbenchPage page, Path file, Object workspaceFile) throws PartInitException {
        IEditorRegistry registry = PlatformUI.getWorkbench().getEditorRegistry();
        if (workspaceFile instanceof IFile f) {
            IEditorDescriptor associated = IDE.getDefaultEditor(f);
            String id = associated != null ? associated.getId() : unassociated(registry,
                    () -> IDE.getEditorDescriptor(f, true, false).getId());
            return IDE.openEditor(page, f, id, true);
        }
        IFileStore store = EFS.getLocalFileSystem().getStore(file.toUri());
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        IContentType type = Platform.getContentTypeManager().findContentTypeFor(name);
        IEditorDescriptor associated = registry.getDefaultEditor(name, type);
        String id = associated != null ? associated.getId() : unassociated(registry,
                () -> IDE.getEditorDescriptorForFileStore(store, false).getId());
        return IDE.openEditor(page, new FileStoreEditorInput(store), id, true);
    }

    private interface EditorId {
        String get() throws PartInitException;
    }

    private static String unassociated(IEditorRegistry registry, EditorId workbenchChoice) throws PartInitException {
        return registry.findEditor(TEXT_EDITOR_ID) != null ? TEXT_EDITOR_ID : workbenchChoice.get();
    }
}
