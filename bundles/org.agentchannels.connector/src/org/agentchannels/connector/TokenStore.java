package org.agentchannels.connector;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.Pairing;

/**
 * The gateways this device has paired, one entry per endpoint: its token, or the person's explicit trust in a
 * gateway that asks for no token (a Hermes gateway on a LAN may). Only a paired gateway is ever dialled.
 * Implementations keep tokens out of preferences and logs; {@code toString()} of anything holding a token must
 * not print it. In the workbench the {@code TokenStore} service keeps them in Equinox Secure Storage; the
 * command line and tests use an {@link InMemoryTokenStore}.
 */
public interface TokenStore {

    /** @return the token paired with {@code endpoint}, if any */
    Optional<String> token(String endpoint);

    /**
     * Pairs {@code endpoint} with {@code token}, replacing an earlier token or trust without one; the gateway
     * gets the token in the {@code Authorization} header only.
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
    default void put(String endpoint, String token, boolean hermes) throws TokenStoreException {
        put(endpoint, token, hermes, "");
    }

    /**
     * Pairs {@code endpoint} with {@code token} and pins its certificate's fingerprint, replacing an earlier pairing.
     *
     * @param fingerprint the fingerprint ({@code org.agentchannels.core.Fingerprints}) a {@code wss://} gateway must
     *        show, {@code ""} for none: a {@code wss://} endpoint without one is not dialled
     * @throws TokenStoreException when the token could not be stored; nothing was changed then
     */
    void put(String endpoint, String token, boolean hermes, String fingerprint) throws TokenStoreException;

    /** @return the certificate fingerprint pinned for {@code endpoint}, if any (not a secret) */
    Optional<String> fingerprint(String endpoint);

    /** @return whether {@code endpoint} was paired as a Hermes gateway (see {@link #put(String, String, boolean)}) */
    boolean isHermes(String endpoint);

    /**
     * Records the person's explicit trust in the gateway at {@code endpoint}, which asks for no token, replacing
     * a token paired with it. Never called without the person asking for it.
     *
     * @throws TokenStoreException when the trust could not be stored; nothing was changed then
     */
    void trustWithoutToken(String endpoint) throws TokenStoreException;

    /** @return whether the person trusted {@code endpoint} without a token */
    boolean isTrustedWithoutToken(String endpoint);

    /**
     * Forgets the token of {@code endpoint}, or the trust without one, and its {@linkplain #details details};
     * nothing happens when there is none.
     */
    void remove(String endpoint) throws TokenStoreException;

    /** @return the endpoints that are paired (with a token or trusted without one), sorted */
    List<String> endpoints() throws TokenStoreException;

    /** @return whether {@code endpoint} is paired: it has a token, or is trusted without one */
    default boolean isPaired(String endpoint) {
        return token(endpoint).isPresent() || isTrustedWithoutToken(endpoint);
    }

    /**
     * What this device knows of a paired gateway besides its secrets, for the person to recognize it by.
     *
     * @param gatewayDevice the name of the gateway's device, as it last said; {@code ""} when not known yet
     * @param lastConnected when this device last connected to it; empty when it never did
     */
    record GatewayDetails(String gatewayDevice, Optional<Instant> lastConnected) {
        public static final GatewayDetails NONE = new GatewayDetails("", Optional.empty());

        public GatewayDetails {
            gatewayDevice = gatewayDevice == null ? "" : gatewayDevice;
            lastConnected = lastConnected == null ? Optional.empty() : lastConnected;
        }
    }

    /** @return what is known of the paired gateway at {@code endpoint}; {@link GatewayDetails#NONE} when nothing or not paired */
    GatewayDetails details(String endpoint);

    /**
     * Records the name of the paired gateway's device (what pairing with a code answers), keeping when it last
     * connected. Nothing happens when {@code endpoint} is not paired. Not a secret: stored unencrypted.
     *
     * @throws TokenStoreException when it could not be stored
     */
    void noteGatewayDevice(String endpoint, String gatewayDevice) throws TokenStoreException;

    /**
     * Records that this device connected to the paired gateway at {@code endpoint} at {@code when}, which named its
     * device {@code gatewayDevice} ({@code ""}: keep the name known). Nothing happens when it is not paired.
     *
     * @throws TokenStoreException when it could not be stored
     */
    void noteConnected(String endpoint, String gatewayDevice, Instant when) throws TokenStoreException;

    /** Stores {@code pairing}: its token, or the trust without one it records. */
    default void put(Pairing pairing) throws TokenStoreException {
        if (pairing.isWithoutToken()) {
            trustWithoutToken(pairing.endpoint());
        } else {
            put(pairing.endpoint(), pairing.token(), pairing.hermes(), pairing.fingerprint());
        }
    }

    /** Storing or reading a token failed (for example, the secure store is locked or its file unwritable). */
    final class TokenStoreException extends Exception {
        private static final long serialVersionUID = 1L;

        public TokenStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
