package org.agentchannels.ui;

/** Identifiers of what this bundle contributes to the workbench, for products and other bundles. */
public final class AgentChannelsUi {

    public static final String PLUGIN_ID = "org.agentchannels.ui";

    /** The Agent Channels perspective: the Live on other devices view beside the editor area. */
    public static final String PERSPECTIVE_ID = "org.agentchannels.ui.perspective";

    /** The view category every Agent Channels view belongs to. */
    public static final String VIEW_CATEGORY_ID = "org.agentchannels.ui.category";

    /** The Live on other devices view. */
    public static final String LIVE_VIEW_ID = "org.agentchannels.ui.views.live";

    private AgentChannelsUi() {
    }
}
