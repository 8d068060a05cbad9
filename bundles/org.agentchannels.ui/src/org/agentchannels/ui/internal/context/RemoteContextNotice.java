package org.agentchannels.ui.internal.context;

import java.util.List;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Shell;

/**
 * Before a prompt carries files of this device to a session on another one, the person is told which files go
 * where and may keep them here: a selection handed to a chat is easy to forget once a question is typed around it.
 */
public final class RemoteContextNotice {

    private RemoteContextNotice() {
    }

    /** @return whether to send; UI thread (a modal question, asked in answer to the person's Send) */
    public static boolean confirm(Shell shell, List<String> labels, String host) {
        String files = String.join("\n", labels.stream().map(l -> "  \u2022 " + l).toList());
        MessageDialog dialog = new MessageDialog(shell, Messages.SendToChat_remoteTitle, null,
                NLS.bind(Messages.SendToChat_remoteMessage, host, files), MessageDialog.WARNING, 0,
                Messages.SendToChat_remoteSend, IDialogConstants.CANCEL_LABEL);
        return dialog.open() == 0;
    }
}
