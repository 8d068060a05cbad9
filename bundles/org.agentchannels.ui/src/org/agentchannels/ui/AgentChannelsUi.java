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

    /** The Sessions view: this device's own sessions. */
    public static final String SESSIONS_VIEW_ID = "org.agentchannels.ui.views.sessions";

    /** The chat editor, one per session. */
    public static final String CHAT_EDITOR_ID = "org.agentchannels.ui.editors.chat";

    /** The Agent Channels preference page (with Paired Gateways under it). */
    public static final String PREFERENCE_PAGE_ID = "org.agentchannels.ui.preferences";

    private AgentChannelsUi() {
    }
}
