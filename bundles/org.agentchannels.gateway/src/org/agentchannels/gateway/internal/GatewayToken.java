package org.agentchannels.gateway.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The gateway's token: given on the command line, or generated on first start and kept in {@code <home>/token}
 * readable by its owner only. Comparisons take the same time whatever matches.
 */
public final class GatewayToken {

    public static final String FILE = "token";

    private GatewayToken() {
    }

    /**
     * @return {@code given} when not empty, else the stored token, else a new one (stored)
     * @throws IOException when no token can be read or kept: the gateway must not start without one
     */
    public static String loadOrCreate(Path home, String given) throws IOException {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        Path file = home.resolve(FILE);
        if (Files.isRegularFile(file)) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (stored.length() >= 16) {
                return stored;
            }
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(home);
        Path tmp = home.resolve(FILE + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another gateway is creating its token in " + home, e);
        }
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return token;
    }

    /** Constant-time comparison of a presented token with the expected one. */
    public static boolean matches(String expected, String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
