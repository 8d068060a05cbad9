package org.agentchannels.ui.internal;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.eclipse.osgi.util.NLS;

/** What a person reads when a gateway could not be used: our words for the failures the UI can explain. */
public final class GatewayFailures {

    private GatewayFailures() {
    }

    /**
     * @param failure anything a connector future failed with
     * @param endpoint the gateway it was about; empty for this device's own
     */
    public static String describe(Throwable failure, String endpoint) {
        GatewayException e = GatewayException.of(failure);
        return switch (e.kind()) {
            case NOT_PAIRED -> NLS.bind(Messages.Chat_notPaired, GatewayEndpoints.redact(endpoint));
            case BAD_ENDPOINT -> NLS.bind(Messages.Chat_badEndpoint, GatewayEndpoints.redact(endpoint));
            default -> e.getMessage();
        };
    }
}
