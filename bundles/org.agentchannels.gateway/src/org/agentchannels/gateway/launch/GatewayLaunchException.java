package org.agentchannels.gateway.launch;

/** Why no gateway process could be had; the message says what happened and where its log is. */
public final class GatewayLaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    public GatewayLaunchException(String message) {
        super(message);
    }
}
