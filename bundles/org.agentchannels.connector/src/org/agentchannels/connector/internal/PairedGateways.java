package org.agentchannels.connector.internal;

import java.util.Optional;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.GatewayEndpoints;

/**
 * What the {@link TokenStore} says of the gateways this device may dial: their tokens, and whether an endpoint
 * is paired at all (a token, or the person's explicit trust without one). A store that cannot be read pairs
 * nothing: it is logged, and the endpoint is not dialled.
 */
final class PairedGateways {

    private static final System.Logger LOG = System.getLogger(PairedGateways.class.getName());

    private final TokenStore tokens;

    PairedGateways(TokenStore tokens) {
        this.tokens = tokens;
    }

    Optional<String> tokenFor(String endpoint) {
        try {
            return tokens.token(endpoint);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the token of " + GatewayEndpoints.redact(endpoint) + " could not be read: "
                    + e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** @param key a parsed endpoint */
    boolean inTokenStore(String key) {
        try {
            return tokens.isPaired(key);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the pairing of " + GatewayEndpoints.redact(key) + " could not be read: "
                    + e.getClass().getSimpleName());
            return false;
        }
    }

    /** Whether the store says {@code key} is not paired; a store that cannot be read says nothing (false). */
    boolean knownUnpaired(String key) {
        try {
            return !tokens.isPaired(key);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code endpoint} was paired as a Hermes gateway (its token in the URL); unreadable: no, header only. */
    boolean isHermes(String endpoint) {
        try {
            return tokens.isHermes(endpoint);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The failure of a dial refused because {@code key} is not paired. */
    static GatewayException notPaired(String key) {
        return new GatewayException(GatewayException.Kind.NOT_PAIRED,
                "the gateway at " + GatewayEndpoints.redact(key) + " is not paired with this device; nothing was sent to it");
    }
}
