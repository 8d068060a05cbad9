package org.agentchannels.ui.internal.commands;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/** Refresh Sessions (F5 in a session list): asks the gateways now. */
public final class RefreshSessionsHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        if (HandlerUtil.getActivePart(event) instanceof SessionListPart part) {
            part.refreshSessions();
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        setBaseEnabled(Commands.activePart(evaluationContext) instanceof SessionListPart);
    }
}
