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
     * Pairs {@code endpoint} with {@code token}, replacing an earlier token.
     *
     * @throws TokenStoreException when the token could not be stored; nothing was changed then
     */
    void put(String endpoint, String token) throws TokenStoreException;

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
