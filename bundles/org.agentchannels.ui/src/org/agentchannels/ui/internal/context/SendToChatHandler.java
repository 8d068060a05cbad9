package org.agentchannels.ui.internal.context;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.protocol.PromptContext;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Send Selection / Send File to Agent Chat: what the active text editor shows, or the files selected in a
 * navigator, goes into the input of a chat ({@link ChatTargets}) as fenced blocks naming their files, for the
 * person to add a question and send. Editors are read at once (their text is in memory); files in a Job.
 * Declared in plugin.xml with the ids of its two commands; loaded only where text editors and resources exist.
 */
public abstract class SendToChatHandler extends AbstractHandler {

    /** Send Selection to Agent Chat: the editor's selection. */
    public static final class Selection extends SendToChatHandler {
        public Selection() {
            super(true);
        }
    }

    /** Send File to Agent Chat: the editor's whole text, or the selected files. */
    public static final class File extends SendToChatHandler {
        public File() {
            super(false);
        }
    }

    /** The most files one Send File puts into a chat. */
    static final int MAX_FILES = 20;

    private final boolean selectionOnly;

    SendToChatHandler(boolean selectionOnly) {
        this.selectionOnly = selectionOnly;
    }

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        if (window == null) {
            return null;
        }
        IWorkbenchPart part = HandlerUtil.getActivePart(event);
        ITextEditor editor = part == null ? null : Adapters.adapt(part, ITextEditor.class);
        List<IFile> files = editor != null ? List.of() : selectedFiles(HandlerUtil.getCurrentSelection(event));
        if (editor == null && files.isEmpty()) {
            return null;
        }
        if (files.size() > MAX_FILES) {
            MessageDialog.openInformation(window.getShell(), Messages.SendToChat_title,
                    NLS.bind(Messages.SendToChat_tooManyFiles, files.size(), MAX_FILES));
            return null;
        }
        ChatEditor chat = ChatTargets.pick(window).orElse(null);
        if (chat == null) {
            return null;
        }
        boolean here = chat.isOnThisDevice();
        if (editor != null) {
            try {
                chat.addContexts(List.of(EditorContexts.fromEditor(editor, here, selectionOnly)));
            } catch (EditorContexts.Refused e) {
                MessageDialog.openInformation(window.getShell(), Messages.SendToChat_title, e.getMessage());
            }
            return null;
        }
        readInBackground(files, chat, here, window.getShell());
        return null;
    }

    private static void readInBackground(List<IFile> files, ChatEditor chat, boolean here, Shell shell) {
        Display display = shell.getDisplay();
        Job job = Job.create(Messages.SendToChat_reading, (IProgressMonitor monitor) -> {
            List<PromptContext> contexts = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (IFile file : files) {
                if (monitor.isCanceled()) {
                    return Status.CANCEL_STATUS;
                }
                try {
                    contexts.add(EditorContexts.fromFile(file, here));
                } catch (EditorContexts.Refused e) {
                    refused.add(e.getMessage());
                }
            }
            if (display.isDisposed()) {
                return Status.CANCEL_STATUS;
            }
            display.asyncExec(() -> { // the window may have closed meanwhile: each part checks
                if (!contexts.isEmpty() && !chat.isDisposed()) {
                    chat.addContexts(contexts);
                }
                if (!refused.isEmpty() && !shell.isDisposed()) {
                    MessageDialog.openInformation(shell, Messages.SendToChat_title,
                            String.join("\n", refused));
                }
            });
            return Status.OK_STATUS;
        });
        job.setUser(false);
        job.schedule();
    }

    /** The files of a navigator's selection (anything that adapts to a workspace file). */
    static List<IFile> selectedFiles(ISelection selection) {
        List<IFile> files = new ArrayList<>();
        if (selection instanceof IStructuredSelection s) {
            for (Object o : s.toList()) {
                IFile file = Adapters.adapt(o, IFile.class);
                if (file != null && !files.contains(file)) {
                    files.add(file);
                }
            }
        }
        return files;
    }
}
