package org.agentchannels.connector;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Tokens held in memory only: for the command line's token file and for tests. */
public final class InMemoryTokenStore implements TokenStore {

    private final ConcurrentMap<String, String> tokens = new ConcurrentHashMap<>();
    private final Set<String> hermes = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<String> token(String endpoint) {
        return endpoint == null ? Optional.empty() : Optional.ofNullable(tokens.get(endpoint.trim()));
    }

    @Override
    public void put(String endpoint, String token) {
        put(endpoint, token, false);
    }

    @Override
    public void put(String endpoint, String token, boolean asHermes) {
        if (endpoint == null || endpoint.isBlank() || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an endpoint and a non-empty token are required");
        }
        String key = endpoint.trim();
        if (asHermes) {
            hermes.add(key);
        } else {
            hermes.remove(key);
        }
        tokens.put(key, token);
    }

    @Override
    public boolean isHermes(String endpoint) {
        return endpoint != null && hermes.contains(endpoint.trim());
    }

    @Override
    public void remove(String endpoint) {
        if (endpoint != null) {
            tokens.remove(endpoint.trim());
            hermes.remove(endpoint.trim());
        }
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
