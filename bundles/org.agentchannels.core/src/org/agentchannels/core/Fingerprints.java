package org.agentchannels.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A gateway's certificate fingerprint, what clients pin: the SHA-256 of the certificate's public key (its DER
 * {@code SubjectPublicKeyInfo}, what {@code PublicKey.getEncoded()} gives), written {@code sha256:} and the 43
 * characters of its unpadded base64url form. Of the key, not the certificate, so that a certificate re-issued
 * for the same key keeps its pin; {@code gateway rotate-certificate} makes a new key, and so a new fingerprint.
 * Not a secret.
 */
public final class Fingerprints {

    /** What every fingerprint starts with: the hash it is of. */
    public static final String PREFIX = "sha256:";

    private static final Pattern FORM = Pattern.compile("sha256:[A-Za-z0-9_-]{43}");

    private Fingerprints() {
    }

    /** @param subjectPublicKeyInfo the DER encoding of a public key ({@code PublicKey.getEncoded()}) */
    public static String of(byte[] subjectPublicKeyInfo) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code text} is a fingerprint in this form. */
    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /**
     * @return {@code text}, checked
     * @throws IllegalArgumentException when it is no fingerprint in this form
     */
    public static String parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!isValid(t)) {
            // not quoted: a line's words may be secrets put in the wrong place
            throw new IllegalArgumentException("the fingerprint is not sha256: and 43 base64url characters");
        }
        return t;
    }
}
