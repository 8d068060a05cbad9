package org.agentchannels.connector;

/**
 * A gateway call or connection failed. The message is one readable line that names the gateway by its
 * redacted endpoint; it never holds a token.
 */
public final class GatewayException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Nothing answers at that address, or the handshake failed. */
        UNREACHABLE,
        /**
         * The gateway refused the token (close code 4401, or HTTP 401), or, with a token presented, refused the
         * upgrade with HTTP 401 or 403 (a Hermes gateway refuses a token and an origin alike).
         */
        UNAUTHORIZED,
        /** Host or Origin mismatch (close code 4403, or HTTP 403). */
        FORBIDDEN,
        /** The gateway answered the call with a JSON-RPC error; see {@link GatewayException#code()}. */
        RPC_ERROR,
        /** No answer in time. */
        TIMEOUT,
        /** The connection dropped before the answer came. */
        CONNECTION_LOST,
        /** The connection was closed on purpose. */
        CLOSED,
        /**
         * Not dialled: this device has not paired that gateway (no token in the {@link TokenStore}, no explicit
         * trust without one), so nothing, a prompt least of all, may go to whoever answers there.
         */
        NOT_PAIRED,
        /** Not dialled: the endpoint is no {@code ws://}/{@code wss://} URL, or a link-local or unspecified address. */
        BAD_ENDPOINT,
        /**
         * The {@code wss://} server showed a certificate whose key is not the one pinned when the gateway was paired
         * (SSH's "host key changed"): an impostor, or a gateway whose certificate was rotated. The TLS handshake
         * failed, so nothing, the token least of all, was sent; see {@link GatewayException#pinned()} and
         * {@link GatewayException#shown()}.
         */
        CERTIFICATE_CHANGED,
        /**
         * The gateway did not take the pairing code: {@link GatewayException#code()} is 401 when it is wrong or was
         * used already, 410 when it expired, 429 while the gateway refuses codes after too many wrong ones.
         */
        PAIRING_CODE_REFUSED
    }

    private final Kind kind;
    private final int code;
    private final String pinned;
    private final String shown;

    /**
     * A {@link Kind#CERTIFICATE_CHANGED} failure.
     *
     * @param pinned the fingerprint pinned when the gateway was paired
     * @param shown the fingerprint of the certificate the server showed
     */
    public GatewayException(String message, String pinned, String shown) {
        super(message);
        this.kind = Kind.CERTIFICATE_CHANGED;
        this.code = 0;
        this.pinned = pinned;
        this.shown = shown;
    }

    public GatewayException(Kind kind, int code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.pinned = "";
        this.shown = "";
    }

    /** For {@link Kind#CERTIFICATE_CHANGED}: the fingerprint pinned when the gateway was paired; else {@code ""}. */
    public String pinned() {
        return pinned;
    }

    /** For {@link Kind#CERTIFICATE_CHANGED}: the fingerprint of the certificate the server showed; else {@code ""}. */
    public String shown() {
        return shown;
    }

    public GatewayException(Kind kind, String message) {
        this(kind, 0, message);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The JSON-RPC error code for {@link Kind#RPC_ERROR}; for refusals the close code (4401, 4403) or the HTTP
     * status (401, 403) they came with; else 0.
     */
    public int code() {
        return code;
    }

    /** Unwraps the {@code CompletionException}s of future chains. */
    public static GatewayException of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GatewayException g) {
                return g;
            }
        }
        String what = t == null ? "unknown failure" : t.getClass().getSimpleName();
        return new GatewayException(Kind.UNREACHABLE, what);
    }
}
