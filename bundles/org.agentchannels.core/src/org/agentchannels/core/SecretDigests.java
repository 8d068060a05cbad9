package org.agentchannels.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What is kept of a secret that must be recognised but never shown or stored: the hex SHA-256 of its UTF-8 text.
 * Fit for secrets with the entropy of random tokens and pairing codes (a slow hash would add nothing there).
 */
public final class SecretDigests {

    private SecretDigests() {
    }

    public static String of(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code digest} is one {@link #of} made (64 lower-case hex digits). */
    public static boolean isDigest(String digest) {
        return digest != null && digest.matches("[0-9a-f]{64}");
    }
}
