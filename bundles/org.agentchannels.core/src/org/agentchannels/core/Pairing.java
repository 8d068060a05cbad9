package org.agentchannels.core;

/**
 * What pairs a client with a gateway: its endpoint and its token, written on one line as
 * {@code <endpoint> <token>} (what {@code ./agentchannels gateway pair} prints, a line of a token file, what
 * the workbench's pairing field takes). A gateway that asks for no token (a Hermes gateway on a LAN may) is
 * trusted only by the person's explicit word: the line {@code trust-without-token <endpoint>}, a pairing
 * with an empty token. {@link #toString()} hides the token.
 */
public record Pairing(String endpoint, String token) {

    /** The word that opens a line trusting a gateway without a token; no endpoint can start that way. */
    public static final String WITHOUT_TOKEN = "trust-without-token";

    public Pairing {
        token = token == null ? "" : token;
    }

    /** The person's explicit trust in the gateway at {@code endpoint}, which asks for no token. */
    public static Pairing withoutToken(String endpoint) {
        return new Pairing(GatewayEndpoints.parse(endpoint).toString(), "");
    }

    /** Whether this pairing trusts its gateway without a token. */
    public boolean isWithoutToken() {
        return token.isEmpty();
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the token
     */
    public static Pairing parse(String line) {
        String[] parts = line == null ? new String[0] : line.strip().split("\\s+");
        if (parts.length == 2 && parts[0].equals(WITHOUT_TOKEN)) {
            return withoutToken(parts[1]);
        }
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("expected '<endpoint> <token>' or '" + WITHOUT_TOKEN + " <endpoint>'");
        }
        GatewayEndpoints.parse(parts[0]);
        if (parts[1].length() < 8) {
            throw new IllegalArgumentException("the token is too short to be a gateway's token");
        }
        return new Pairing(parts[0], parts[1]);
    }

    @Override
    public String toString() {
        return "Pairing[" + GatewayEndpoints.redact(endpoint) + (isWithoutToken() ? ", without token]" : ", token=***]");
    }
}
