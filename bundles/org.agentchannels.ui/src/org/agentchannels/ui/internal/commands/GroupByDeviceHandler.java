package org.agentchannels.ui.internal.commands;

import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

/** Group by Device, a toggle in the Live view's menu: its state is remembered across restarts. */
public final class GroupByDeviceHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        boolean grouped = !HandlerUtil.toggleCommandState(event.getCommand()); // it returns the state before
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        IViewPart view = window == null ? null : window.getActivePage().findView(AgentChannelsUi.LIVE_VIEW_ID);
        if (view instanceof LiveSessionsView live) {
            live.setGrouped(grouped);
        }
        return null;
    }
}
