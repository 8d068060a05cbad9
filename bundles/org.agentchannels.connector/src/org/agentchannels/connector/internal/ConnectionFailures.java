package org.agentchannels.connector.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;

/** Why a gateway could not be reached or let this client go, in the words a person reads. */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /**
     * A dial that failed: an upgrade the gateway refused (401, 403, another status) or a network failure. A
     * Hermes gateway checks the token and the Origin before it accepts and refuses either with 403, so with a
     * token presented a 401 or 403 is said to be the token's or the origin's, the token first: the token is what
     * a person can mend (by pairing again).
     *
     * @param tokenPresented whether the dial carried a token
     */
    public static GatewayException dial(Throwable error, String where, boolean tokenPresented) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof PinnedCertificates.Changed changed) {
                return certificateChanged(where, changed.pinned(), changed.shown());
            }
            if (c instanceof PinnedCertificates.NotPinned) {
                return PairedGateways.notPinned(where);
            }
        }
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof UpgradeException upgrade) {
                int status = upgrade.getResponseStatusCode();
                if ((status == 401 || status == 403) && tokenPresented) {
                    return new GatewayException(GatewayException.Kind.UNAUTHORIZED, status, "the gateway at " + where
                            + " refused the token or this client's origin");
                }
                if (status == 401) {
                    return refusedToken(JsonRpcCodes.CLOSE_UNAUTHORIZED, where);
                }
                if (status == 403) {
                    return refusedOrigin(JsonRpcCodes.CLOSE_FORBIDDEN, where);
                }
                if (status > 0) {
                    return new GatewayException(GatewayException.Kind.UNREACHABLE,
                            "no gateway at " + where + " (HTTP " + status + ")");
                }
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root instanceof ConnectException ? "connection refused"
                : root instanceof UnknownHostException ? "unknown host"
                        : root instanceof TimeoutException || root instanceof SocketTimeoutException ? "timed out"
                                : root.getClass().getSimpleName();
        return new GatewayException(GatewayException.Kind.UNREACHABLE, "cannot reach the gateway at " + where + ": " + why);
    }

    /**
     * A socket the gateway closed: with 4401 or 4403 it refused this client; otherwise, before it was ever ready,
     * it is not a gateway this client can use.
     *
     * @return the failure, or {@code null} when the close is a lost connection worth redialling
     */
    public static GatewayException closed(int statusCode, String where, boolean everConnected) {
        if (statusCode == JsonRpcCodes.CLOSE_UNAUTHORIZED) {
            return refusedToken(statusCode, where);
        }
        if (statusCode == JsonRpcCodes.CLOSE_FORBIDDEN) {
            return refusedOrigin(statusCode, where);
        }
        if (everConnected) {
            return null;
        }
        return new GatewayException(GatewayException.Kind.UNREACHABLE, "the gateway at " + where
                + " closed the connection before it was ready" + (statusCode > 0 ? " (" + statusCode + ")" : ""));
    }

    /** As plain as SSH's "host key changed": what changed, from which fingerprint to which, and how to re-pair. */
    static GatewayException certificateChanged(String where, String pinned, String shown) {
        return new GatewayException("the certificate of the gateway at " + where + " has changed: it was " + pinned
                + " when this device paired it, the server now shows " + shown + ". Someone may be intercepting the"
                + " connection, or the gateway's certificate was rotated (gateway rotate-certificate). Nothing was sent to"
                + " it. If you know the change is the gateway's, pair it again with the line './agentchannels gateway"
                + " pair' prints on it", pinned, shown);
    }

    private static GatewayException refusedToken(int code, String where) {
        return new GatewayException(GatewayException.Kind.UNAUTHORIZED, code, "the gateway at " + where + " refused the token");
    }

    private static GatewayException refusedOrigin(int code, String where) {
        return new GatewayException(GatewayException.Kind.FORBIDDEN, code,
                "the gateway at " + where + " refused this client (host or origin not allowed)");
    }
}
