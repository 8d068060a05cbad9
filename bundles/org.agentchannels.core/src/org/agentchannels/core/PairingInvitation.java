package org.agentchannels.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What {@code ./agentchannels gateway pair} prints for another device to pair with: the line
 * {@code agentchannels://<host>:<port>?fp=<fingerprint>&code=<code>}. The fingerprint is the gateway's certificate
 * key ({@link Fingerprints}), checked in the TLS handshake before anything is sent; the code is single-use, valid
 * ten minutes, and is redeemed at {@link #redemptionUri()} for a device token of this device's own. Only a gateway
 * other devices can reach issues codes, and it speaks TLS only, so the line always means {@code wss://} and
 * {@code https://}, whatever the host (a gateway bound to every address is reached on loopback over TLS too).
 * {@link #toString()} hides the code.
 *
 * @param host a name, an IPv4 address or a bracketed IPv6 literal
 * @param code the pairing code, {@linkplain #normalizeCode normalized}
 */
public record PairingInvitation(String host, int port, String fingerprint, String code) {

    public static final String SCHEME = "agentchannels";
    /** Where a code is redeemed, beside the WebSocket path. */
    public static final String REDEEM_PATH = "/api/pair";
    /** The letters of a code: no 0/O, 1/I/L or U, so that it can be read out and typed. */
    public static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    /** Letters in a code (about 59 bits), printed in groups of four. */
    public static final int CODE_LENGTH = 12;

    /** Whether {@code line} is an invitation rather than an {@code <endpoint> <token>} line. */
    public static boolean isInvitation(String line) {
        return line != null && line.strip().toLowerCase(Locale.ROOT).startsWith(SCHEME + "://");
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the code
     */
    public static PairingInvitation parse(String line) {
        if (!isInvitation(line)) {
            throw new IllegalArgumentException("a pairing line starts with " + SCHEME + "://");
        }
        URI uri;
        try {
            uri = new URI(line.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the pairing line is not " + SCHEME + "://<host>:<port>?fp=...&code=...");
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("the pairing line names no host and port");
        }
        String fingerprint = "";
        String code = "";
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String part : query.split("&")) {
            if (part.startsWith("fp=") && fingerprint.isEmpty()) {
                fingerprint = Fingerprints.parse(part.substring(3));
            } else if (part.startsWith("code=") && code.isEmpty()) {
                code = normalizeCode(part.substring(5));
            } else if (!part.isEmpty()) {
                throw new IllegalArgumentException("the pairing line holds something other than fp= and code=");
            }
        }
        if (fingerprint.isEmpty()) {
            throw new IllegalArgumentException("the pairing line has no fp=<fingerprint>");
        }
        if (code.isEmpty()) {
            throw new IllegalArgumentException("the pairing line has no code=");
        }
        GatewayEndpoints.parse("wss://" + uri.getHost() + ":" + uri.getPort() + GatewayEndpoints.WS_PATH); // no link-local or unspecified address
        return new PairingInvitation(uri.getHost(), uri.getPort(), fingerprint, code);
    }

    /**
     * The code as the gateway keeps it: upper case, without the dashes and spaces it is printed and read out with.
     *
     * @throws IllegalArgumentException when it is not {@value #CODE_LENGTH} letters of {@link #CODE_ALPHABET}
     */
    public static String normalizeCode(String text) {
        String code = text == null ? "" : text.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (code.length() != CODE_LENGTH || !code.chars().allMatch(c -> CODE_ALPHABET.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("the pairing code is not " + CODE_LENGTH + " letters and digits");
        }
        return code;
    }

    /** {@code ABCD-EFGH-JKMN}: how a code is printed. */
    public static String groupedCode(String code) {
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                grouped.append('-');
            }
            grouped.append(code.charAt(i));
        }
        return grouped.toString();
    }

    /** The endpoint a device dials once paired: {@code wss://host:port/api/ws}. */
    public String endpoint() {
        return "wss://" + host + ":" + port + GatewayEndpoints.WS_PATH;
    }

    /** Where the code is redeemed: {@code https://host:port/api/pair}. */
    public URI redemptionUri() {
        return URI.create("https://" + host + ":" + port + REDEEM_PATH);
    }

    /** The line {@link #parse} reads back. A secret until the code is used or expired. */
    public String toLine() {
        return SCHEME + "://" + host + ":" + port + "?fp=" + fingerprint + "&code=" + groupedCode(code);
    }

    /** The invitation of the gateway whose endpoint is {@code endpoint}, a {@code wss://} one. */
    public static PairingInvitation of(String endpoint, String fingerprint, String code) {
        URI uri = GatewayEndpoints.parse(endpoint);
        if (!uri.getScheme().equalsIgnoreCase("wss")) {
            throw new IllegalArgumentException("pairing codes are redeemed over TLS only: the endpoint must be wss://");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        return new PairingInvitation(uri.getHost(), port, Fingerprints.parse(fingerprint), normalizeCode(code));
    }

    @Override
    public String toString() {
        return "PairingInvitation[" + host + ":" + port + ", " + fingerprint + ", code=***]";
    }
}
