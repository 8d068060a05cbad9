package org.agentchannels.ui.internal;

import org.agentchannels.ui.AgentChannelsUi;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/** The Agent Channels preferences (instance scope). Tokens are never here: they live in Secure Storage. */
public final class UiPreferences {

    public static final String DEVICE_NAME = "deviceName";
    /** The endpoint of this device's gateway, e.g. {@code ws://127.0.0.1:8664/api/ws}. */
    public static final String LOCAL_GATEWAY = "localGateway";
    public static final String PRESENCE_DIRECTORY = "presenceDirectory";
    public static final String NOTIFICATIONS = "notifications";

    private UiPreferences() {
    }

    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(AgentChannelsUi.PLUGIN_ID);
    }

    public static String deviceName() {
        return node().get(DEVICE_NAME, "");
    }

    public static String localGateway() {
        return node().get(LOCAL_GATEWAY, "");
    }

    public static String presenceDirectory() {
        return node().get(PRESENCE_DIRECTORY, "");
    }

    public static boolean notifications() {
        return node().getBoolean(NOTIFICATIONS, true);
    }
}
