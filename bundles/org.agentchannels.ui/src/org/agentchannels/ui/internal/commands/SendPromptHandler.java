package org.agentchannels.ui.internal.commands;

import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Send Prompt (Ctrl+Enter in a chat): sends what is typed in the active chat, from this device. */
public final class SendPromptHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        if (HandlerUtil.getActivePart(event) instanceof ChatEditor chat) {
            chat.sendPrompt();
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        setBaseEnabled(Commands.activePart(evaluationContext) instanceof ChatEditor);
    }
}
