package org.agentchannels.ui.internal.commands;

import org.agentchannels.ui.internal.chat.ChatEditor;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Stop Turn (Esc in a chat): interrupts the turn running in the active chat's session. */
public final class StopTurnHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        if (HandlerUtil.getActivePart(event) instanceof ChatEditor chat) {
            chat.interrupt();
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        setBaseEnabled(Commands.activePart(evaluationContext) instanceof ChatEditor chat && chat.canInterrupt());
    }
}
