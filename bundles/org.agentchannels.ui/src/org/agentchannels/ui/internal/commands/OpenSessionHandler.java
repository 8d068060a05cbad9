package org.agentchannels.ui.internal.commands;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Open Session: the selected session of the active list, in its chat. */
public final class OpenSessionHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        if (HandlerUtil.getActivePart(event) instanceof SessionListPart part && part.canOpenSelection()) {
            part.openSelection();
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        setBaseEnabled(Commands.activePart(evaluationContext) instanceof SessionListPart part && part.canOpenSelection());
    }
}
