package org.agentchannels.gateway.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.Pairing;

/**
 * The folder a gateway lives in: its database, configuration, token and log, and while it runs the
 * {@code running.json} that says where it listens. The only code that knows these files' names.
 */
public record GatewayHome(Path dir) {

    /** Where the gateway lives when no {@code --home} is given, if set. */
    public static final String HOME_VARIABLE = "AGENTCHANNELS_GATEWAY_HOME";
    /** Written while a gateway runs; see {@link #running()}. */
    public static final String RUNNING_FILE = "running.json";
    /** The gateway's settings, keys of its options without the dashes. */
    public static final String CONFIGURATION_FILE = "gateway.properties";
    private static final String TOKEN_FILE = "token";
    private static final int MIN_TOKEN_LENGTH = 16;

    /** {@code $AGENTCHANNELS_GATEWAY_HOME}, else {@code ~/.agentchannels/gateway}. */
    public static GatewayHome standard() {
        String configured = System.getenv(HOME_VARIABLE);
        return new GatewayHome(configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".agentchannels", "gateway"));
    }

    public Path database() {
        return dir.resolve("sessions.db");
    }

    public Path configuration() {
        return dir.resolve(CONFIGURATION_FILE);
    }

    /**
     * What a gateway started in the background logs (it writes this file itself, rotated by size: the older
     * generations are {@code gateway.log.1} and {@code gateway.log.2}).
     */
    public Path log() {
        return dir.resolve("gateway.log");
    }

    /** What such a process printed before the gateway took its output over: the Java runtime's own errors. */
    public Path processOutput() {
        return dir.resolve("gateway.out");
    }

    /** The processes the gateway's agents started and that still run, for the next start to kill after a crash. */
    public Path agentProcesses() {
        return dir.resolve("agent-processes");
    }

    /**
     * The gateway's TLS identity: its private key and self-signed certificate, one owner-only PEM file, made on
     * first start and replaced by {@code gateway rotate-certificate}.
     */
    public Path tlsIdentity() {
        return dir.resolve("tls-identity.pem");
    }

    /** The one-time pairing codes {@code gateway pair} issued and the gateway has not redeemed, one file each. */
    public Path pairingCodes() {
        return dir.resolve("pairing-codes");
    }

    /** The devices paired by code, with their tokens' digests (owner-only; see {@code gateway devices}). */
    public Path pairedDevices() {
        return dir.resolve("devices.json");
    }

    /** Where presence records go unless configured otherwise. */
    public Path presenceDir() {
        return dir.resolve("session-presence").resolve("active");
    }

    /** The file {@link #running()} reads; for tests and tools that watch it. */
    public Path runningFile() {
        return dir.resolve(RUNNING_FILE);
    }

    /** The gateway running from this home: {@code running.json} naming a live process. */
    public Optional<RunningGateway> running() {
        return recorded().filter(RunningGateway::isAlive);
    }

    /** What {@code running.json} says, whether or not its process still lives (a killed one leaves it). */
    public Optional<RunningGateway> recorded() {
        Path file = runningFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunningGateway.fromJson(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // being replaced, or not ours: as good as none
        }
    }

    /** The running gateway and its token, ready to dial. */
    public Optional<Pairing> runningPairing() {
        return running().flatMap(r -> storedToken().map(t -> new Pairing(r.endpoint(), t, false, r.fingerprint())));
    }

    /** Written by a gateway once it listens: whole, owner-only, never through a planted link. */
    public void announce(RunningGateway running) throws IOException {
        OwnerOnlyFiles.replace(runningFile(), running.toJson());
    }

    /** Removed by a gateway's clean stop, and before a start so a stale one is not mistaken for the new one. */
    public void withdraw() {
        try {
            Files.deleteIfExists(runningFile());
        } catch (IOException e) {
            // the next start overwrites it
        }
    }

    /** The token stored in this home, if there is a usable one (one other users can read is not). */
    public Optional<String> storedToken() {
        try {
            return readToken();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @throws IOException when the token file cannot be read, or other users could read it */
    private Optional<String> readToken() throws IOException {
        Path file = dir.resolve(TOKEN_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        OwnerOnlyFiles.requireOwnerOnly(file, "the token file");
        String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
        return stored.length() >= MIN_TOKEN_LENGTH ? Optional.of(stored) : Optional.empty();
    }

    /**
     * The clients' token: {@code given} when not empty, else the stored one, else a new one stored readable by
     * its owner only.
     *
     * @throws IOException when no token can be read or kept, or the stored one is readable by other users (the
     *         message names the {@code chmod} that fixes it): the gateway must not start without one
     */
    public String token(String given) throws IOException {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        Optional<String> stored = readToken();
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        OwnerOnlyFiles.createDirectories(dir);
        Path tmp = dir.resolve(TOKEN_FILE + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another gateway is creating its token in " + dir, e);
        }
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(TOKEN_FILE), StandardCopyOption.REPLACE_EXISTING);
        return token;
    }
}
