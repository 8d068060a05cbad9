package org.agentchannels.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the token a client presents (the gateway's home keeps the token itself). Comparisons take the same
 * time whatever matches.
 */
public final class GatewayToken {

    private GatewayToken() {
    }

    /** Constant-time comparison of a presented token with the expected one. */
    public static boolean matches(String expected, String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
