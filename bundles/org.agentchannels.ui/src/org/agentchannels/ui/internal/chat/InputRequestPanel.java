package org.agentchannels.ui.internal.chat;

import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The blocking prompts of a session, inline above the chat's input: each question with its choices, or a
 * field for the answer (hidden for secrets). Hidden, and taking no room, while nothing is asked.
 */
final class InputRequestPanel {

    private final Composite area;
    private List<InputRequest> shown = List.of();

    InputRequestPanel(Composite parent) {
        area = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(4, 4).applyTo(area);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(area);
        area.setVisible(false);
    }

    Composite control() {
        return area;
    }

    /** Shows the requests the session waits on now; nothing is rebuilt while they stay the same. */
    void update(AttachedSession session) {
        List<InputRequest> now = session.model().pendingInputs();
        if (now.equals(shown)) {
            return;
        }
        shown = now;
        for (Control child : area.getChildren()) {
            child.dispose();
        }
        for (InputRequest request : now) {
            addRow(session, request);
        }
        boolean any = !now.isEmpty();
        ((GridData) area.getLayoutData()).exclude = !any;
        area.setVisible(any);
        area.getParent().layout(true, true);
    }

    private void addRow(AttachedSession session, InputRequest request) {
        Composite row = new Composite(area, SWT.BORDER);
        GridLayoutFactory.swtDefaults().numColumns(1).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(row);
        Label question = new Label(row, SWT.WRAP);
        question.setText(switch (request.kind()) {
            case APPROVAL -> NLS.bind(Messages.Request_approval, request.prompt());
            case CLARIFY -> NLS.bind(Messages.Request_clarify, request.prompt());
            case SUDO -> Messages.Request_sudo;
            case SECRET -> NLS.bind(Messages.Request_secret, request.prompt());
        });
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(question);
        Composite answers = new Composite(row, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(request.choices().size() + 2).applyTo(answers);
        for (String choice : request.choices()) {
            Button b = new Button(answers, SWT.PUSH);
            b.setText(choiceLabel(choice));
            b.addListener(SWT.Selection, e -> answer(session, request, choice));
        }
        if (request.kind() != InputRequest.Kind.APPROVAL) {
            int style = request.kind() == InputRequest.Kind.CLARIFY ? SWT.BORDER : SWT.BORDER | SWT.PASSWORD;
            Text answer = new Text(answers, style);
            GridDataFactory.fillDefaults().grab(true, false).hint(160, SWT.DEFAULT).applyTo(answer);
            Button b = new Button(answers, SWT.PUSH);
            b.setText(Messages.Request_answer);
            b.addListener(SWT.Selection, e -> answer(session, request, answer.getText()));
        }
    }

    private static String choiceLabel(String choice) {
        return switch (choice) {
            case "once" -> Messages.Request_once;
            case "session" -> Messages.Request_session;
            case "always" -> Messages.Request_always;
            case "deny" -> Messages.Request_deny;
            case "yes" -> Messages.Request_yes;
            case "no" -> Messages.Request_no;
            default -> choice;
        };
    }

    private static void answer(AttachedSession session, InputRequest request, String answer) {
        session.answer(request, answer).exceptionally(error -> {
            ILog.of(InputRequestPanel.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                    "answering a request failed: " + GatewayException.of(error).getMessage()));
            return null;
        });
    }
}
