package org.agentchannels.connector;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.Pairing;

/** Tokens held in memory only: for the command line's token file and for tests. */
public final class InMemoryTokenStore implements TokenStore {

    /** What an endpoint trusted without a token maps to: no token is empty, so this cannot be one. */
    private static final String WITHOUT_TOKEN = "";

    private final ConcurrentMap<String, String> tokens = new ConcurrentHashMap<>();
    private final Set<String> hermes = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<String, String> fingerprints = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, GatewayDetails> details = new ConcurrentHashMap<>();

    @Override
    public Optional<String> token(String endpoint) {
        String token = endpoint == null ? null : tokens.get(endpoint.trim());
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    @Override
    public void put(String endpoint, String token) {
        put(endpoint, token, false);
    }

    @Override
    public void put(String endpoint, String token, boolean asHermes) {
        put(endpoint, token, asHermes, "");
    }

    @Override
    public void put(String endpoint, String token, boolean asHermes, String fingerprint) {
        if (endpoint == null || endpoint.isBlank() || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an endpoint and a non-empty token are required");
        }
        String key = endpoint.trim();
        if (asHermes) {
            hermes.add(key);
        } else {
            hermes.remove(key);
        }
        if (fingerprint == null || fingerprint.isEmpty()) {
            fingerprints.remove(key);
        } else {
            fingerprints.put(key, Fingerprints.parse(fingerprint));
        }
        tokens.put(key, token);
    }

    @Override
    public Optional<String> fingerprint(String endpoint) {
        return endpoint == null ? Optional.empty() : Optional.ofNullable(fingerprints.get(endpoint.trim()));
    }

    @Override
    public boolean isHermes(String endpoint) {
        return endpoint != null && hermes.contains(endpoint.trim());
    }

    @Override
    public void trustWithoutToken(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("an endpoint is required");
        }
        fingerprints.remove(endpoint.trim());
        tokens.put(endpoint.trim(), WITHOUT_TOKEN);
    }

    @Override
    public boolean isTrustedWithoutToken(String endpoint) {
        return endpoint != null && WITHOUT_TOKEN.equals(tokens.get(endpoint.trim()));
    }

    @Override
    public void put(Pairing pairing) {
        if (pairing.isWithoutToken()) {
            trustWithoutToken(pairing.endpoint());
        } else {
            put(pairing.endpoint(), pairing.token(), pairing.hermes(), pairing.fingerprint());
        }
    }

    @Override
    public void remove(String endpoint) {
        if (endpoint != null) {
            // under the entry's lock, so that a note arriving meanwhile cannot outlive the pairing
            tokens.computeIfPresent(endpoint.trim(), (key, token) -> {
                details.remove(key);
                return null;
            });
            hermes.remove(endpoint.trim());
            fingerprints.remove(endpoint.trim());
        }
    }

    @Override
    public GatewayDetails details(String endpoint) {
        return endpoint == null ? GatewayDetails.NONE : details.getOrDefault(endpoint.trim(), GatewayDetails.NONE);
    }

    @Override
    public void noteGatewayDevice(String endpoint, String gatewayDevice) {
        note(endpoint, gatewayDevice, null);
    }

    @Override
    public void noteConnected(String endpoint, String gatewayDevice, Instant when) {
        note(endpoint, gatewayDevice, when);
    }

    private void note(String endpoint, String gatewayDevice, Instant when) {
        if (endpoint == null) {
            return;
        }
        tokens.computeIfPresent(endpoint.trim(), (key, token) -> {
            GatewayDetails before = details.getOrDefault(key, GatewayDetails.NONE);
            details.put(key, new GatewayDetails(gatewayDevice == null || gatewayDevice.isEmpty() ? before.gatewayDevice()
                    : gatewayDevice, when == null ? before.lastConnected() : java.util.Optional.of(when)));
            return token;
        });
    }

    @Override
    public List<String> endpoints() {
        return tokens.keySet().stream().sorted().toList();
    }

    @Override
    public String toString() {
        return "InMemoryTokenStore" + endpoints(); // endpoints only, never tokens
    }
}
