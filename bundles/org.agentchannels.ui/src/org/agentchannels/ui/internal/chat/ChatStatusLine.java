package org.agentchannels.ui.internal.chat;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.ui.internal.GatewayFailures;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.SessionStatusText;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * The line under the chat: what the session does (working, needs input, starting its agent, needs sign-in and
 * what to do, idle) with a Hermes gateway's spinner while its turn runs, which device answered the turn's last question if another did, the agent it runs and its
 * connection.
 */
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

    /**
     * @param host the gateway's device as the person knows it
     * @param ownDevice this device's name: an approval answered here needs no word, one answered elsewhere does
     */
    void update(AttachedSession session, String host, String ownDevice) {
        String connection = switch (session.connection().state()) {
            case ConnectionState.Connected c -> NLS.bind(Messages.Chat_connectedTo, host);
            case ConnectionState.Connecting c -> Messages.Chat_connecting;
            case ConnectionState.Reconnecting r -> NLS.bind(Messages.Chat_reconnecting, r.attempt());
            case ConnectionState.Failed f when f.kind() == GatewayException.Kind.UNAUTHORIZED
                    || f.kind() == GatewayException.Kind.FORBIDDEN -> GatewayFailures.refused(f.kind(), host);
            case ConnectionState.Failed f when f.kind() == GatewayException.Kind.CERTIFICATE_CHANGED ->
                NLS.bind(Messages.Chat_certificateChangedShort, host);
            case ConnectionState.Failed f -> NLS.bind(Messages.Chat_connectionFailed, f.reason());
            case ConnectionState.Disconnected d -> Messages.Chat_notConnected;
        };
        String activity = SessionStatusText.of(session.model().activity(), session.model().signIn(), host);
        String spinner = session.model().spinner(); // a Hermes gateway's passing status of the running turn
        if (!spinner.isEmpty()) {
            activity = activity + "  \u00b7  " + spinner;
        }
        SessionModel.Resolution answered = session.model().lastResolution();
        if (answered != null && !answered.answeredBy().equals(ownDevice)) {
            activity = (answered.answer().isEmpty() ? NLS.bind(Messages.Chat_answeredOn, answered.answeredBy())
                    : NLS.bind(Messages.Chat_answeredOnWith, answered.answeredBy(), answered.answer())) + "  \u00b7  "
                    + activity;
        }
        String agent = session.model().model(); // the label of the agent the session runs, when the gateway says
        String text = activity + "  \u00b7  " + (agent.isEmpty() ? "" : agent + "  \u00b7  ") + connection;
        if (!text.equals(label.getText())) {
            label.setText(text);
            label.setToolTipText(text); // a sign-in's advice may be longer than the line
        }
    }
}
