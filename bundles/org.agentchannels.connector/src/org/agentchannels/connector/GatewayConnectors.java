package org.agentchannels.connector;

import java.time.Duration;

import org.agentchannels.connector.internal.DefaultGatewayConnector;
import org.agentchannels.core.Backoff;

/** Makes a {@link GatewayConnector} outside OSGi; inside it, the connector is a Declarative Services component. */
public final class GatewayConnectors {

    private GatewayConnectors() {
    }

    /**
     * @param configuredDeviceName the name to use when the local gateway does not name this device; empty for
     *        the host name
     */
    public static StandaloneGatewayConnector standalone(TokenStore tokens, String configuredDeviceName, Backoff backoff) {
        return new DefaultGatewayConnector(tokens, configuredDeviceName, backoff);
    }

    /** @param heartbeat how often to send {@code gateway.ping} to gateways that ask for it */
    public static StandaloneGatewayConnector standalone(TokenStore tokens, String configuredDeviceName, Backoff backoff,
            Duration heartbeat) {
        return new DefaultGatewayConnector(tokens, configuredDeviceName, backoff, heartbeat);
    }
}
