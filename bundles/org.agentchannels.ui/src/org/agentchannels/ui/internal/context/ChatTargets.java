package org.agentchannels.ui.internal.context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.dialogs.ElementListSelectionDialog;

/**
 * Which chat gets what a person sends from an editor: the only chat open; else the one last used while it is on
 * screen; else the one the person picks from a short list of the open chats, the last used first. UI thread.
 */
final class ChatTargets {

    private ChatTargets() {
    }

    /** The chat to send to, asked of the person when it is not clear; empty when none is open or they cancel. */
    static Optional<ChatEditor> pick(IWorkbenchWindow window) {
        IWorkbenchPage page = window.getActivePage();
        List<ChatEditor> chats = page == null ? List.of() : openChats(page);
        if (chats.isEmpty()) {
            MessageDialog.openInformation(window.getShell(), Messages.SendToChat_title, Messages.SendToChat_noChat);
            return Optional.empty();
        }
        if (chats.size() == 1) {
            return Optional.of(chats.get(0));
        }
        ChatEditor last = chats.get(0);
        if (last.lastFocused() > 0 && page.isPartVisible(last)) {
            return Optional.of(last);
        }
        ElementListSelectionDialog dialog = new ElementListSelectionDialog(window.getShell(), new LabelProvider() {
            @Override
            public String getText(Object element) {
                return ((ChatEditor) element).getTitleToolTip();
            }
        });
        dialog.setTitle(Messages.SendToChat_title);
        dialog.setMessage(Messages.SendToChat_pickChat);
        dialog.setElements(chats.toArray());
        dialog.setInitialSelections(last);
        dialog.setMultipleSelection(false);
        if (dialog.open() != ElementListSelectionDialog.OK || dialog.getFirstResult() == null) {
            return Optional.empty();
        }
        return Optional.of((ChatEditor) dialog.getFirstResult());
    }

    /** The chats of {@code page}, restored if need be, the last used first. */
    static List<ChatEditor> openChats(IWorkbenchPage page) {
        List<ChatEditor> chats = new ArrayList<>();
        for (IEditorReference ref : page.getEditorReferences()) {
            if (ChatEditor.ID.equals(ref.getId())) {
                IEditorPart part = ref.getEditor(true);
                if (part instanceof ChatEditor chat) {
                    chats.add(chat);
                }
            }
        }
        chats.sort(Comparator.comparingLong(ChatEditor::lastFocused).reversed());
        return chats;
    }
}
