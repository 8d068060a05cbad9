package org.agentchannels.connector;

/** A {@link GatewayConnector} made outside OSGi (the command line, tests): its maker closes it. */
public interface StandaloneGatewayConnector extends GatewayConnector, AutoCloseable {

    /** Closes every connection and stops the connector's threads. */
    @Override
    void close();
}
