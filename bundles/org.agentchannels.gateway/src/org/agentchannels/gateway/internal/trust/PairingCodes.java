package org.agentchannels.gateway.internal.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.core.SecretDigests;

/**
 * The gateway's one-time pairing codes, one owner-only file each in {@code <home>/pairing-codes/}, named by the
 * digest of its code (the code itself is never stored) and holding when it expires. {@code gateway pair} issues
 * them, whether or not the gateway runs; the running gateway redeems them. A code is used by deleting its file, which
 * succeeds once, so two redemptions of one code cannot both win, even from two processes. Links planted there are
 * neither followed nor taken for a code.
 */
public final class PairingCodes {

    /** How long a code may be redeemed after it was issued. */
    public static final Duration VALIDITY = Duration.ofMinutes(10);
    /** How far the clock of the process that issued a code may run ahead of the gateway's (both read this machine's). */
    private static final Duration ISSUING_SLACK = Duration.ofMinutes(1);

    /** What a presented code turned out to be. */
    public enum Outcome {
        /** Valid, and now used. */
        ACCEPTED,
        /** No such code: wrong, or used already. */
        UNKNOWN,
        /** Issued, but over {@link #VALIDITY} ago (now gone). */
        EXPIRED
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Clock clock;

    public PairingCodes(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** A new code, valid {@link #VALIDITY} from now, {@linkplain PairingInvitation#normalizeCode normalized}. */
    public String issue() throws IOException {
        OwnerOnlyFiles.createDirectories(dir);
        OwnerOnlyFiles.requireOwnerOnly(dir, "the pairing codes' folder");
        removeExpired();
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < PairingInvitation.CODE_LENGTH; i++) {
            code.append(PairingInvitation.CODE_ALPHABET.charAt(RANDOM.nextInt(PairingInvitation.CODE_ALPHABET.length())));
        }
        Instant expires = clock.instant().plus(VALIDITY);
        OwnerOnlyFiles.replace(fileOf(code.toString()), Long.toString(expires.toEpochMilli()) + "\n");
        return code.toString();
    }

    /**
     * Uses {@code presented} if it is a valid code. A presented text that is no code at all is {@link Outcome#UNKNOWN}.
     */
    public Outcome redeem(String presented) throws IOException {
        String code;
        try {
            code = PairingInvitation.normalizeCode(presented);
        } catch (IllegalArgumentException e) {
            return Outcome.UNKNOWN;
        }
        Path file = fileOf(code);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Outcome.UNKNOWN;
        }
        // a folder or a file others could have written holds no code of the gateway's
        OwnerOnlyFiles.requireOwnerOnly(dir, "the pairing codes' folder");
        OwnerOnlyFiles.requireOwnerOnly(file, "a pairing code's file");
        long expires = expiry(file);
        if (expires > clock.millis() + VALIDITY.plus(ISSUING_SLACK).toMillis()) {
            return Outcome.UNKNOWN; // no code this gateway issued lasts that long
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            return Outcome.UNKNOWN; // another redemption took it first
        }
        return clock.millis() < expires ? Outcome.ACCEPTED : Outcome.EXPIRED;
    }

    /** How many codes wait to be redeemed (for {@code gateway status}). */
    public int outstanding() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (isCodeFile(f) && clock.millis() < expiry(f)) {
                    count++;
                }
            }
        }
        return count;
    }

    private void removeExpired() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (isCodeFile(f) && clock.millis() >= expiry(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static boolean isCodeFile(Path f) {
        return SecretDigests.isDigest(f.getFileName().toString()) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
    }

    /** When the code of {@code file} expires; a file that says nothing readable has expired. */
    private static long expiry(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 32) {
                return 0;
            }
            return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private Path fileOf(String code) {
        return dir.resolve(SecretDigests.of(code));
    }
}
