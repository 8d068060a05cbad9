package org.agentchannels.ui.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;

/**
 * The passwords of team presence brokers, one per broker URL ({@code mqtt[s]://user@host:port/TEAM}), encrypted
 * in Secure Storage; never in the preferences or a log. The started gateway gets its broker's in its environment.
 * Secure Storage may ask for its master password: call off the UI thread, except for a person's own OK.
 */
public final class BrokerPasswords {

    private static final String NODE = "org.agentchannels.ui/presence-broker";
    private static final String PASSWORD = "password";

    /** Why a password could not be read or kept; the message names no password. */
    public static final class BrokerPasswordException extends Exception {
        private static final long serialVersionUID = 1L;

        public BrokerPasswordException(String message) {
            super(message);
        }
    }

    private final ISecurePreferences root;

    /** @param root the secure store's root: a store of the test's own, or the default one */
    public BrokerPasswords(ISecurePreferences root) {
        this.root = root;
    }

    /** The user's default secure store; {@code null} when it cannot be opened. */
    public static BrokerPasswords ofDefaultStore() {
        ISecurePreferences store = SecurePreferencesFactory.getDefault();
        return store == null ? null : new BrokerPasswords(store);
    }

    private static String nodeName(String brokerUrl) {
        return NODE + "/" + URLEncoder.encode(brokerUrl.strip(), StandardCharsets.UTF_8);
    }

    /** The password kept for the broker at {@code brokerUrl}, if any. */
    public Optional<String> password(String brokerUrl) throws BrokerPasswordException {
        if (brokerUrl.isBlank() || !root.nodeExists(nodeName(brokerUrl))) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(root.node(nodeName(brokerUrl)).get(PASSWORD, null)).filter(p -> !p.isEmpty());
        } catch (StorageException e) {
            throw new BrokerPasswordException("the team broker's password cannot be read from Secure Storage: "
                    + e.getMessage());
        }
    }

    /** Keeps {@code password} (encrypted) for the broker at {@code brokerUrl}; an empty one forgets it. */
    public void put(String brokerUrl, String password) throws BrokerPasswordException {
        if (brokerUrl.isBlank()) {
            return;
        }
        try {
            if (password.isEmpty()) {
                if (root.nodeExists(nodeName(brokerUrl))) {
                    root.node(nodeName(brokerUrl)).removeNode();
                }
            } else {
                root.node(nodeName(brokerUrl)).put(PASSWORD, password, true);
            }
            root.flush();
        } catch (StorageException | IOException e) {
            throw new BrokerPasswordException("the team broker's password cannot be kept in Secure Storage: "
                    + e.getMessage());
        }
    }
}
