package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.jface.viewers.CellLabelProvider;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a person sees of an agent that is still starting or needs signing in: the chat's status line (with the
 * scripted ACP agent behind a real gateway) and the Live view's rows, marks and tooltips (from presence records).
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class AgentStatesTest extends WorkbenchTestCase {

    /** Where the scripted agent of a session in the gateway's first workspace reads its signals. */
    private Path agentState() throws Exception {
        return Files.createDirectories(dir.resolve("gateway/workspace").toRealPath().resolve(".scripted-agent"));
    }

    @Test
    void theChatSaysWhileItsAgentStartsAndThenThatItIsIdle() throws Exception {
        ChatEditor chat = chatOnTheDesk("slow-init");
        Ui.await("starting agent", () -> chat.statusText().startsWith(Messages.Status_starting));
        assertEquals("Starting agent", Messages.Status_starting, "the test runs in English");
        assertFalse(chat.canInterrupt(), "an agent starting with no turn has nothing to stop");
        Files.createFile(agentState().resolve("release-init"));
        Ui.await("idle", () -> chat.statusText().startsWith(Messages.Status_idle));
    }

    @Test
    void theChatSaysOnWhichDeviceItsAgentNeedsSignInAndWhatToDo() throws Exception {
        ChatEditor chat = chatOnTheDesk("auth");
        String expected = "Needs sign-in on desk: Run 'scripted login' in a terminal";
        Ui.await("needs sign-in", () -> chat.statusText().startsWith(expected));
        assertFalse(chat.canInterrupt());
        chat.inputWidget().setText("hi");
        chat.sendPrompt();
        Ui.await("the turn ended with the error", () -> chat.transcriptWidget().getText()
                .contains("the agent needs sign-in on the gateway's device: Run 'scripted login' in a terminal"));
        Ui.await("still needs sign-in", () -> chat.statusText().startsWith(expected) && !chat.canInterrupt());
    }

    private void write(String name, String json) throws Exception {
        Path tmp = presence.resolve("." + name + ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, presence.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String record(String sessionId, String title, String status, String signIn) {
        double now = System.currentTimeMillis() / 1000.0;
        return "{\"version\":1,\"session_id\":\"" + sessionId + "\",\"session_key\":\"k-" + sessionId + "\",\"status\":\""
                + status + "\",\"title\":\"" + title + "\",\"model\":\"acp: gemini\",\"endpoint\":\"ws://127.0.0.1:9/api/ws\","
                + "\"host\":\"buildbox\",\"updated_at\":" + now + ",\"expires_at\":" + (now + 90) + signIn + "}";
    }

    @Test
    void theLiveViewMarksSessionsWhoseAgentStartsOrNeedsSignInAndSaysWhatToDo() throws Exception {
        LiveSessionsView view = (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        write("box-1.a1.json", record("a1", "Fix the build", "needs_sign_in",
                ",\"sign_in\":{\"device\":\"buildbox\",\"hint\":\"Run `gemini` and choose Log in with Google\"}"));
        write("box-1.a2.json", record("a2", "Write the docs", "needs_sign_in", ",\"sign_in\":{\"device\":\"buildbox\",\"hint\":\"\"}"));
        write("box-1.a3.json", record("a3", "Plan the release", "starting", ""));
        Ui.await("three rows", () -> sessionLabels(view).size() == 3);
        TreeItem build = findSession(view, "Fix the build");
        TreeItem docs = findSession(view, "Write the docs");
        TreeItem plan = findSession(view, "Plan the release");
        assertTrue(build.getText().contains(Messages.Status_needsSignInShort), build.getText());
        assertTrue(plan.getText().contains(Messages.Status_starting), plan.getText());
        CellLabelProvider labels = (CellLabelProvider) view.viewer().getLabelProvider();
        assertEquals("Needs sign-in on buildbox: Run `gemini` and choose Log in with Google",
                labels.getToolTipText(build.getData()));
        assertEquals(NLS.bind(Messages.Status_needsSignIn, "buildbox", Messages.Status_signInGeneric),
                labels.getToolTipText(docs.getData()), "an agent that says nothing gets our advice");
        assertEquals(Messages.Status_starting, labels.getToolTipText(plan.getData()));
        // each state has its own mark
        Image signInMark = build.getImage();
        Image startingMark = plan.getImage();
        assertFalse(signInMark.equals(startingMark));
        write("box-1.a4.json", record("a4", "Idle one", "idle", ""));
        Ui.await("four rows", () -> sessionLabels(view).size() == 4);
        TreeItem idle = findSession(view, "Idle one"); // the rows are new: the list changed
        assertFalse(idle.getImage().equals(startingMark) || idle.getImage().equals(signInMark));
        assertFalse(idle.getText().contains(Messages.Status_starting), idle.getText());
    }
}
