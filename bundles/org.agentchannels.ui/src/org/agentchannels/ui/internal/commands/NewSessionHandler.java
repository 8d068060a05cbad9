package org.agentchannels.ui.internal.commands;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** New Session: on the device selected in Live on other devices, or on this device from Sessions. */
public final class NewSessionHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        if (HandlerUtil.getActivePart(event) instanceof SessionListPart part && part.canCreateSession()) {
            part.createSession();
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        setBaseEnabled(Commands.activePart(evaluationContext) instanceof SessionListPart part && part.canCreateSession());
    }
}
