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

    /** The certificate fingerprint pinned for {@code endpoint}; a store that cannot be read pins nothing. */
    Optional<String> fingerprintFor(String endpoint) {
        try {
            return tokens.fingerprint(endpoint);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the pinned certificate of " + GatewayEndpoints.redact(endpoint)
                    + " could not be read: " + e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * Notes, for the Paired Gateways page, that this device connected to the paired gateway {@code key} just now and
     * what its device is called. A store that cannot keep it is logged: the connection goes on all the same.
     */
    void noteConnected(String key, String gatewayDevice) {
        try {
            tokens.noteConnected(key, gatewayDevice, java.time.Instant.now());
        } catch (TokenStore.TokenStoreException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the connection to " + GatewayEndpoints.redact(key)
                    + " could not be noted in the token store: " + e.getClass().getSimpleName());
        }
    }

    /** Whether {@code key} is a {@code wss://} endpoint paired without a pinned fingerprint: never dialled. */
    boolean lacksPin(String key) {
        return key.regionMatches(true, 0, "wss://", 0, 6) && fingerprintFor(key).isEmpty();
    }

    /** The failure of a dial refused because {@code key} is a {@code wss://} gateway paired without its pin. */
    static GatewayException notPinned(String key) {
        return new GatewayException(GatewayException.Kind.NOT_PAIRED, "the gateway at " + GatewayEndpoints.redact(key)
                + " is paired without its certificate's fingerprint, so this device cannot tell it from an impostor;"
                + " nothing was sent to it. Pair it again with the line './agentchannels gateway pair' prints on it"
                + " (it ends with fp=sha256:...)");
    }

    /** The failure of a dial refused because {@code key} is not paired. */
    static GatewayException notPaired(String key) {
        return new GatewayException(GatewayException.Kind.NOT_PAIRED,
                "the gateway at " + GatewayEndpoints.redact(key) + " is not paired with this device; nothing was sent to it");
    }
}
