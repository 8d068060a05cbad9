package org.agentchannels.core;

/**
 * What pairs a client with a gateway: its endpoint and its token, written on one line as
 * {@code <endpoint> <token>} (what {@code ./agentchannels gateway pair} prints, a line of a token file, what
 * the workbench's pairing field takes), or {@code <endpoint> <token> hermes} for a Hermes gateway, which takes
 * its token only in the URL ({@code ?token=}); every other gateway gets it in a header only. A gateway that
 * asks for no token (a Hermes gateway on a LAN may) is trusted only by the person's explicit word: the line
 * {@code trust-without-token <endpoint>}, a pairing with an empty token. {@link #toString()} hides the token.
 *
 * <p>Our gateway's line ends with {@code fp=<fingerprint>} ({@link Fingerprints}): its certificate's key, which the
 * client pins with the token. A {@code wss://} gateway is dialled only with a pin, and only a server showing that
 * key is sent anything. Lines without it (older ones, a {@code ws://} gateway on loopback) stay valid.
 *
 * @param hermes whether the token goes into the URL, as a Hermes gateway requires
 * @param fingerprint the pinned fingerprint of the gateway's certificate, {@code ""} when none was given
 */
public record Pairing(String endpoint, String token, boolean hermes, String fingerprint) {

    /** What opens the fingerprint's word on a pairing line. */
    public static final String FINGERPRINT_WORD = "fp=";

    /** A pairing without a pinned fingerprint. */
    public Pairing(String endpoint, String token, boolean hermes) {
        this(endpoint, token, hermes, "");
    }

    /** The word after the token that marks a Hermes gateway. */
    public static final String HERMES = "hermes";

    /** A pairing with one of our gateways: the token goes in the header. */
    public Pairing(String endpoint, String token) {
        this(endpoint, token, false);
    }

    /** The word that opens a line trusting a gateway without a token; no endpoint can start that way. */
    public static final String WITHOUT_TOKEN = "trust-without-token";

    public Pairing {
        token = token == null ? "" : token;
        fingerprint = fingerprint == null ? "" : fingerprint;
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
        boolean hermes = false;
        String fingerprint = "";
        boolean wellFormed = parts.length >= 2 && parts.length <= 4 && !parts[0].isEmpty();
        for (int i = 2; wellFormed && i < parts.length; i++) {
            if (parts[i].equalsIgnoreCase(HERMES) && !hermes) {
                hermes = true;
            } else if (parts[i].startsWith(FINGERPRINT_WORD) && fingerprint.isEmpty()) {
                fingerprint = Fingerprints.parse(parts[i].substring(FINGERPRINT_WORD.length()));
            } else {
                wellFormed = false;
            }
        }
        if (!wellFormed) {
            throw new IllegalArgumentException("expected '<endpoint> <token> [fp=<fingerprint>]', '<endpoint> <token>"
                    + " hermes' for a Hermes gateway, or '" + WITHOUT_TOKEN + " <endpoint>'");
        }
        GatewayEndpoints.parse(parts[0]);
        if (parts[1].length() < 8) {
            throw new IllegalArgumentException("the token is too short to be a gateway's token");
        }
        return new Pairing(parts[0], parts[1], hermes, fingerprint);
    }

    /** The line {@link #parse} reads back: {@code <endpoint> <token> [hermes] [fp=<fingerprint>]}. A secret. */
    public String toLine() {
        if (isWithoutToken()) {
            return WITHOUT_TOKEN + " " + endpoint;
        }
        return endpoint + " " + token + (hermes ? " " + HERMES : "")
                + (fingerprint.isEmpty() ? "" : " " + FINGERPRINT_WORD + fingerprint);
    }

    @Override
    public String toString() {
        return "Pairing[" + GatewayEndpoints.redact(endpoint) + (isWithoutToken() ? ", without token" : ", token=***")
                + (hermes ? ", hermes" : "") + (fingerprint.isEmpty() ? "" : ", " + fingerprint) + "]";
    }
}
