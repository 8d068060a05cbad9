package org.agentchannels.ui.internal.preferences;

import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.UiPreferences;
import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;

/** Defaults: notifications on; no gateway and no presence folder until the person says. */
public final class PreferenceDefaults extends AbstractPreferenceInitializer {

    @Override
    public void initializeDefaultPreferences() {
        IEclipsePreferences defaults = DefaultScope.INSTANCE.getNode(AgentChannelsUi.PLUGIN_ID);
        defaults.putBoolean(UiPreferences.NOTIFICATIONS, true);
        defaults.putBoolean(UiPreferences.START_GATEWAY, false);
    }
}
