package org.agentchannels.ui.internal;

import org.agentchannels.ui.AgentChannelsUi;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * Lays out the Agent Channels perspective: the sessions on other devices on the left, this device's own below
 * them, the chats in the editor area beside.
 */
public final class AgentChannelsPerspective implements IPerspectiveFactory {

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.addView(AgentChannelsUi.LIVE_VIEW_ID, IPageLayout.LEFT, 0.32f, layout.getEditorArea());
        layout.addView(AgentChannelsUi.SESSIONS_VIEW_ID, IPageLayout.BOTTOM, 0.62f, AgentChannelsUi.LIVE_VIEW_ID);
        layout.addShowViewShortcut(AgentChannelsUi.LIVE_VIEW_ID);
        layout.addShowViewShortcut(AgentChannelsUi.SESSIONS_VIEW_ID);
    }
}
