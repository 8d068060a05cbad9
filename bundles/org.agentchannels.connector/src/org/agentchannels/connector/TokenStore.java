package org.agentchannels.connector;

import java.util.Optional;

/**
 * The pairing tokens of the gateways this device may dial, one per endpoint. Implementations keep tokens
 * out of preferences and logs; {@code toString()} of anything holding a token must not print it. In the
 * workbench the {@code TokenStore} service keeps them in Equinox Secure Storage; the command line and tests
 * use an {@link InMemoryTokenStore}.
 */
public interface TokenStore {

    /** @return the token paired with {@code endpoint}, if any */
    Optional<String> token(String endpoint);

    /**
     * Pairs {@code endpoint} with {@code token}, replacing an earlier pairing; the gateway gets the token in the
     * {@code Authorization} header only.
     *
     * @throws TokenStoreException when the token could not be stored; nothing was changed then
     */
    default void put(String endpoint, String token) throws TokenStoreException {
        put(endpoint, token, false);
    }

    /**
     * Pairs {@code endpoint} with {@code token}, replacing an earlier pairing.
     *
     * @param hermes whether the user paired it as a Hermes gateway, which takes the token only as
     *        {@code ?token=} in the URL; every other gateway gets it in the {@code Authorization} header only, so
     *        that it never lands in a URL (and in the logs of whatever answers at that address)
     * @throws TokenStoreException when the token could not be stored; nothing was changed then
     */
    void put(String endpoint, String token, boolean hermes) throws TokenStoreException;

    /** @return whether {@code endpoint} was paired as a Hermes gateway (see {@link #put(String, String, boolean)}) */
    boolean isHermes(String endpoint);

    /** Forgets the token of {@code endpoint}; nothing happens when there is none. */
    void remove(String endpoint) throws TokenStoreException;

    /** @return the endpoints that have a token, sorted */
    java.util.List<String> endpoints() throws TokenStoreException;

    /** Storing or reading a token failed (for example, the secure store is locked or its file unwritable). */
    final class TokenStoreException extends Exception {
        private static final long serialVersionUID = 1L;

        public TokenStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
