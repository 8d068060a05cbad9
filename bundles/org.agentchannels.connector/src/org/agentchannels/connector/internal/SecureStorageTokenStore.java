package org.agentchannels.connector.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.Fingerprints;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Tokens in Equinox Secure Storage, encrypted, one node per endpoint under {@value #NODE}: its {@code token}, or
 * for a gateway the person trusted without one, {@code trusted-without-token=true} (a mark, not a secret).
 * Beside them, unencrypted (not secrets): the pinned fingerprint, the gateway's device name and when this device
 * last connected to it. Endpoints are URL-encoded into node names because secure-storage paths may not contain {@code /}. The
 * workbench's {@link TokenStore} service; tests hand it a secure store of their own.
 */
@Component(service = TokenStore.class)
public final class SecureStorageTokenStore implements TokenStore {

    static final String NODE = "org.agentchannels/gateways";
    private static final String KEY = "token";
    private static final String TRUSTED_WITHOUT_TOKEN = "trusted-without-token";
    private static final String HERMES_KEY = "hermes";
    /** The pinned certificate fingerprint: not a secret, stored unencrypted. */
    private static final String FINGERPRINT_KEY = "fingerprint";
    /** The gateway's device name, as it last said: not a secret. */
    private static final String GATEWAY_DEVICE_KEY = "gateway-device";
    /** When this device last connected to it (an ISO-8601 instant): not a secret. */
    private static final String LAST_CONNECTED_KEY = "last-connected";

    /** Makes a note's check that the endpoint is paired and its write one step against a removal. */
    private final Object lock = new Object();

    private final ISecurePreferences root;

    /** For Declarative Services: the user's default secure store. */
    @Activate
    public SecureStorageTokenStore() {
        this(defaultStore());
    }

    /** @param root the secure store's root: a store of the test's own, or the default one */
    public SecureStorageTokenStore(ISecurePreferences root) {
        this.root = root;
    }

    private static ISecurePreferences defaultStore() {
        ISecurePreferences store = SecurePreferencesFactory.getDefault();
        if (store == null) {
            throw new IllegalStateException("the default secure store cannot be opened");
        }
        return store;
    }

    @Override
    public String toString() {
        return "SecureStorageTokenStore"; // never its tokens
    }

    private static String nodeName(String endpoint) {
        return URLEncoder.encode(endpoint.trim(), StandardCharsets.UTF_8);
    }

    @Override
    public Optional<String> token(String endpoint) {
        if (endpoint == null || !root.nodeExists(NODE + "/" + nodeName(endpoint))) {
            return Optional.empty();
        }
        try {
            String token = root.node(NODE).node(nodeName(endpoint)).get(KEY, null);
            return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String endpoint, String token, boolean hermes) throws TokenStoreException {
        put(endpoint, token, hermes, "");
    }

    @Override
    public void put(String endpoint, String token, boolean hermes, String fingerprint) throws TokenStoreException {
        if (endpoint == null || endpoint.isBlank() || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an endpoint and a non-empty token are required");
        }
        String pin = fingerprint == null || fingerprint.isEmpty() ? "" : Fingerprints.parse(fingerprint);
        synchronized (lock) {
            putLocked(endpoint, token, hermes, pin);
        }
    }

    private void putLocked(String endpoint, String token, boolean hermes, String pin) throws TokenStoreException {
        try {
            ISecurePreferences node = root.node(NODE).node(nodeName(endpoint));
            node.put(KEY, token, true);
            node.remove(TRUSTED_WITHOUT_TOKEN);
            node.putBoolean(HERMES_KEY, hermes, false);
            if (pin.isEmpty()) {
                node.remove(FINGERPRINT_KEY);
            } else {
                node.put(FINGERPRINT_KEY, pin, false);
            }
            root.flush();
        } catch (StorageException | IOException e) {
            throw new TokenStoreException("could not store the token for " + endpoint + " in secure storage: "
                    + e.getClass().getSimpleName(), null);
        }
    }

    @Override
    public void trustWithoutToken(String endpoint) throws TokenStoreException {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("an endpoint is required");
        }
        synchronized (lock) {
            try {
                ISecurePreferences node = root.node(NODE).node(nodeName(endpoint));
                node.put(TRUSTED_WITHOUT_TOKEN, Boolean.TRUE.toString(), false);
                node.remove(KEY);
                node.remove(FINGERPRINT_KEY);
                root.flush();
            } catch (StorageException | IOException e) {
                throw new TokenStoreException("could not store the trust in " + endpoint + " in secure storage: "
                        + e.getClass().getSimpleName(), null);
            }
        }
    }

    @Override
    public boolean isTrustedWithoutToken(String endpoint) {
        if (endpoint == null || !root.nodeExists(NODE + "/" + nodeName(endpoint))) {
            return false;
        }
        try {
            return Boolean.TRUE.toString().equals(root.node(NODE).node(nodeName(endpoint)).get(TRUSTED_WITHOUT_TOKEN, null));
        } catch (StorageException e) {
            return false;
        }
    }

    @Override
    public Optional<String> fingerprint(String endpoint) {
        if (endpoint == null || !root.nodeExists(NODE + "/" + nodeName(endpoint))) {
            return Optional.empty();
        }
        try {
            String pin = root.node(NODE).node(nodeName(endpoint)).get(FINGERPRINT_KEY, null);
            return Fingerprints.isValid(pin) ? Optional.of(pin) : Optional.empty();
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isHermes(String endpoint) {
        if (endpoint == null || !root.nodeExists(NODE + "/" + nodeName(endpoint))) {
            return false;
        }
        try {
            return root.node(NODE).node(nodeName(endpoint)).getBoolean(HERMES_KEY, false);
        } catch (StorageException e) {
            return false;
        }
    }

    @Override
    public void remove(String endpoint) throws TokenStoreException {
        synchronized (lock) {
            if (endpoint == null || !root.nodeExists(NODE + "/" + nodeName(endpoint))) {
                return;
            }
            try {
                root.node(NODE).node(nodeName(endpoint)).removeNode();
                root.flush();
            } catch (IOException e) {
                throw new TokenStoreException("could not remove the token for " + endpoint + " from secure storage", e);
            }
        }
    }

    /** Whether {@code node} holds a token or the trust without one, asked without decrypting anything. */
    private static boolean holdsPairing(ISecurePreferences node) {
        try {
            return Arrays.asList(node.keys()).contains(KEY)
                    || Boolean.TRUE.toString().equals(node.get(TRUSTED_WITHOUT_TOKEN, null));
        } catch (StorageException e) {
            return false;
        }
    }

    @Override
    public GatewayDetails details(String endpoint) {
        if (endpoint == null || !root.nodeExists(NODE + "/" + nodeName(endpoint))) {
            return GatewayDetails.NONE;
        }
        ISecurePreferences node = root.node(NODE).node(nodeName(endpoint));
        try {
            String device = node.get(GATEWAY_DEVICE_KEY, "");
            String last = node.get(LAST_CONNECTED_KEY, "");
            Optional<Instant> when;
            try {
                when = last.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(last));
            } catch (DateTimeParseException e) {
                when = Optional.empty(); // written by someone else: as good as never
            }
            return new GatewayDetails(device, when);
        } catch (StorageException e) {
            return GatewayDetails.NONE;
        }
    }

    @Override
    public void noteGatewayDevice(String endpoint, String gatewayDevice) throws TokenStoreException {
        note(endpoint, gatewayDevice, null);
    }

    @Override
    public void noteConnected(String endpoint, String gatewayDevice, Instant when) throws TokenStoreException {
        note(endpoint, gatewayDevice, when);
    }

    private void note(String endpoint, String gatewayDevice, Instant when) throws TokenStoreException {
        if (endpoint == null || endpoint.isBlank()) {
            return;
        }
        synchronized (lock) {
            // a note never creates a node: that would list an endpoint nobody paired
            if (!root.nodeExists(NODE + "/" + nodeName(endpoint))) {
                return;
            }
            ISecurePreferences node = root.node(NODE).node(nodeName(endpoint));
            if (!holdsPairing(node)) {
                return;
            }
            try {
                if (gatewayDevice != null && !gatewayDevice.isEmpty()) {
                    node.put(GATEWAY_DEVICE_KEY, gatewayDevice, false);
                }
                if (when != null) {
                    node.put(LAST_CONNECTED_KEY, when.toString(), false);
                }
                root.flush();
            } catch (StorageException | IOException e) {
                throw new TokenStoreException("could not note the connection to " + endpoint + " in secure storage: "
                        + e.getClass().getSimpleName(), null);
            }
        }
    }

    @Override
    public List<String> endpoints() {
        if (!root.nodeExists(NODE)) {
            return List.of();
        }
        List<String> endpoints = new ArrayList<>();
        for (String child : root.node(NODE).childrenNames()) {
            endpoints.add(URLDecoder.decode(child, StandardCharsets.UTF_8));
        }
        endpoints.sort(null);
        return endpoints;
    }
}
