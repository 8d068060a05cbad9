package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chat with an Agent Client Protocol agent behind a gateway (the scripted agent, a real process): its tool
 * call is a row, its permission request shows the agent's own options as buttons, and a click answers it.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class AcpChatTest extends WorkbenchTestCase {


    @Test
    void anAgentsPermissionRequestShowsItsOwnOptionsAndAClickAnswersIt() throws Exception {
        ChatEditor chat = chatOnTheDesk("tool");
        Gateway gateway = desk;
        String id = chat.chatInput().sessionId();
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));

        chat.inputWidget().setText("ls");
        chat.sendPrompt();
        Ui.await("the agent's options as buttons", () -> Ui.buttons(chat.requestsArea()).stream().map(Button::getText)
                .toList().containsAll(List.of("Allow once", "Always allow", "Reject")));
        assertTrue(chat.transcriptWidget().getText().contains("Run ls"), "the tool call is a row: "
                + chat.transcriptWidget().getText());
        Button once = Ui.buttons(chat.requestsArea()).stream().filter(b -> b.getText().equals("Allow once")).findFirst()
                .orElseThrow();
        once.notifyListeners(SWT.Selection, new Event());
        Ui.await("the agent's answer after the approval", () -> chat.transcriptWidget().getText().contains("ran it (allow)")
                && chat.session().model().activity() == SessionActivity.IDLE);
        assertEquals(List.of(), chat.session().model().pendingInputs());
        Ui.await("the buttons gone", () -> Ui.buttons(chat.requestsArea()).stream().noneMatch(b -> b.getText().equals("Allow once")));
        assertTrue(!chat.statusText().contains("Answered on"), "answered here: nothing to say of it " + chat.statusText());

        // another device answers the next request first: the chat says which device, and with what
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.localEndpoint(), gateway.token());
        StandaloneGatewayConnector phone = GatewayConnectors.standalone(tokens, "phone", ConnectorExtension.fastBackoff());
        toClose.add(phone);
        AttachedSession onPhone = phone.attach(gateway.localEndpoint(), id, "").get(30, TimeUnit.SECONDS);
        chat.inputWidget().setText("rm");
        chat.sendPrompt();
        Ui.await("the request on the phone", () -> !onPhone.model().pendingInputs().isEmpty());
        onPhone.answer(onPhone.model().pendingInputs().get(0), "Reject").get(30, TimeUnit.SECONDS);
        Ui.await("the chat told who answered", () -> chat.statusText().contains("Answered on phone: Reject"));
        Ui.await("its buttons gone", () -> Ui.buttons(chat.requestsArea()).stream().noneMatch(b -> b.getText().equals("Reject")));
    }
}
