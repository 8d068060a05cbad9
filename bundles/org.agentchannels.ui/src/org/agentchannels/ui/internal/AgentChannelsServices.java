package org.agentchannels.ui.internal;

import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.presence.PresenceTracker;

/**
 * What the workbench parts use of Agent Channels: the connector, the presence tracker and the token store,
 * configured from the preferences. The start-up component provides it as an OSGi service; parts find it
 * once with {@link ServiceHandle}, never by waiting on the UI thread.
 */
public interface AgentChannelsServices {

    GatewayConnector connector();

    PresenceTracker presence();

    TokenStore tokens();

    /**
     * Completes when the preferences have been applied once (this device's name, its gateway, the presence
     * folder, the pairing file), so an attach that waits for it, off the UI thread, names this device right.
     */
    CompletableFuture<Void> configured();
}
