package org.agentchannels.ui.internal.chat;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/** The line under the chat: what the session does (working, needs input, idle), the agent it runs and its connection. */
final class ChatStatusLine {

    private final Label label;

    ChatStatusLine(Composite parent) {
        label = new Label(parent, SWT.NONE);
        label.setData(ChatEditor.CSS_ID, "AgentChannelsStatus");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(label);
        label.setText(Messages.Chat_attaching);
    }

    String text() {
        return label.getText();
    }

    void showNotConnected() {
        label.setText(Messages.Chat_notConnected);
    }

    /** @param host the gateway's device as the person knows it */
    void update(AttachedSession session, String host) {
        String connection = switch (session.connection().state()) {
            case ConnectionState.Connected c -> NLS.bind(Messages.Chat_connectedTo, host);
            case ConnectionState.Connecting c -> Messages.Chat_connecting;
            case ConnectionState.Reconnecting r -> NLS.bind(Messages.Chat_reconnecting, r.attempt());
            case ConnectionState.Failed f -> NLS.bind(Messages.Chat_connectionFailed, f.reason());
            case ConnectionState.Disconnected d -> Messages.Chat_notConnected;
        };
        String activity = switch (session.model().activity()) {
            case WORKING -> Messages.Status_working;
            case NEEDS_INPUT -> Messages.Status_needsInput;
            case STARTING -> Messages.Status_starting;
            case IDLE -> Messages.Status_idle;
        };
        String agent = session.model().model(); // the label of the agent the session runs, when the gateway says
        String text = activity + "  \u00b7  " + (agent.isEmpty() ? "" : agent + "  \u00b7  ") + connection;
        if (!text.equals(label.getText())) {
            label.setText(text);
        }
    }
}
