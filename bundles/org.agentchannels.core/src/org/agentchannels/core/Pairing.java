package org.agentchannels.core;

/**
 * What pairs a client with a gateway: its endpoint and its token, written on one line as
 * {@code <endpoint> <token>} (what {@code ./agentchannels gateway pair} prints, a line of a token file, what
 * the workbench's pairing field takes). {@link #toString()} hides the token.
 */
public record Pairing(String endpoint, String token) {

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the token
     */
    public static Pairing parse(String line) {
        String[] parts = line == null ? new String[0] : line.strip().split("\\s+");
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("expected '<endpoint> <token>'");
        }
        GatewayEndpoints.parse(parts[0]);
        if (parts[1].length() < 8) {
            throw new IllegalArgumentException("the token is too short to be a gateway's token");
        }
        return new Pairing(parts[0], parts[1]);
    }

    @Override
    public String toString() {
        return "Pairing[" + GatewayEndpoints.redact(endpoint) + ", token=***]";
    }
}
