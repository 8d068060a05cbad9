package org.agentchannels.gateway.internal.trust;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.SecretDigests;
import org.agentchannels.core.protocol.Json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The devices paired with this gateway by a pairing code, each with a device token of its own, kept in the owner-only
 * {@code <home>/devices.json} as the token's digest only (the token goes to the device once, in the redemption's
 * answer). The running gateway and {@code gateway devices}/{@code gateway revoke} share the file: every change is a
 * read-modify-write under a lock on {@code devices.json.lock}, written whole; readers see one version or the next.
 * A revoked device is removed, so its token opens nothing; the running gateway notices the change and closes its
 * connections ({@code DevicesWatch}). A file others could change is refused: it would let them add a device.
 */
public final class PairedDevices {

    /** One paired device. {@code lastSeen} is when it last connected, {@code lastAddress} from where. */
    public record Device(String id, String name, String tokenDigest, Instant pairedAt, Instant lastSeen, String lastAddress) {
        @Override
        public String toString() {
            return "Device[" + id + ", " + name + "]"; // the digest is not shown either
        }
    }

    /** A device just paired and its token, which exists nowhere else: hand it over once. */
    public record Paired(Device device, String token) {
        @Override
        public String toString() {
            return "Paired[" + device + ", token=***]";
        }
    }

    /** How often a device's last-seen time is written at most (each connection would be too often). */
    static final Duration SEEN_GRANULARITY = Duration.ofMinutes(1);
    private static final int MAX_DEVICES = 1000;
    private static final long MAX_FILE_BYTES = 1 << 20;
    /** One lock per JVM in front of the file lock, which a second thread of the same JVM could not take. */
    private static final Object IN_PROCESS = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private volatile Snapshot cached = new Snapshot(null, List.of());

    private record Snapshot(Object version, List<Device> devices) {
    }

    public PairedDevices(Path file, Clock clock) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** The paired devices, by when they paired. */
    public List<Device> list() throws IOException {
        return current().devices();
    }

    /** The device whose token {@code presented} is, if any. */
    public Optional<Device> byToken(String presented) throws IOException {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        String digest = SecretDigests.of(presented);
        return current().devices().stream().filter(d -> d.tokenDigest().equals(digest)).findFirst();
    }

    /**
     * Pairs a device under {@code requestedName} (sanitized; {@code -2}, {@code -3}... added when another device has
     * that name already, so that names tell devices apart).
     */
    public Paired pair(String requestedName, String address) throws IOException {
        return pair(requestedName, address, "");
    }

    /**
     * Pairs a device as {@link #pair(String, String)} does, never under {@code reserved} (the gateway's own device
     * name, which its owner's prompts go by): a device cannot pass its prompts off as the owner's.
     */
    public Paired pair(String requestedName, String address, String reserved) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        String base = DeviceNames.sanitize(requestedName);
        Device[] made = new Device[1];
        update(devices -> {
            if (devices.size() >= MAX_DEVICES) {
                throw new IOException("this gateway has " + MAX_DEVICES + " paired devices; revoke some first");
            }
            String name = base.isEmpty() ? "device" : base;
            for (int n = 2; taken(devices, name) || name.equalsIgnoreCase(reserved); n++) {
                name = (base.isEmpty() ? "device" : base) + "-" + n;
            }
            Instant now = clock.instant();
            made[0] = new Device(HexFormat.of().formatHex(idBytes), name, SecretDigests.of(token), now, now, address);
            devices.add(made[0]);
            return true;
        });
        return new Paired(made[0], token);
    }

    /** Notes that {@code device} connected from {@code address} (written at most once a {@link #SEEN_GRANULARITY}). */
    public void seen(Device device, String address) throws IOException {
        Instant now = clock.instant();
        if (Duration.between(device.lastSeen(), now).compareTo(SEEN_GRANULARITY) < 0
                && Objects.equals(device.lastAddress(), address)) {
            return;
        }
        update(devices -> {
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                if (d.id().equals(device.id())) {
                    devices.set(i, new Device(d.id(), d.name(), d.tokenDigest(), d.pairedAt(), now, address));
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Revokes the device named {@code nameOrId} (its name, else its id): its token opens nothing from now on.
     *
     * @return the device revoked, if there was one
     */
    public Optional<Device> revoke(String nameOrId) throws IOException {
        Device[] revoked = new Device[1];
        update(devices -> {
            Optional<Device> match = devices.stream().filter(d -> d.id().equals(nameOrId)).findFirst()
                    .or(() -> devices.stream().filter(d -> d.name().equals(nameOrId)).findFirst());
            match.ifPresent(d -> {
                revoked[0] = d;
                devices.remove(d);
            });
            return match.isPresent();
        });
        return Optional.ofNullable(revoked[0]);
    }

    /** In use by another device (in any case), or shaped like an id, which {@code revoke} would take it for. */
    private static boolean taken(List<Device> devices, String name) {
        return ID_SHAPE.matcher(name).matches() || devices.stream().anyMatch(d -> d.name().equalsIgnoreCase(name));
    }

    private static final java.util.regex.Pattern ID_SHAPE = java.util.regex.Pattern.compile("[0-9a-f]{12}");

    /** Whether another device can be paired. */
    public boolean hasRoom() throws IOException {
        return list().size() < MAX_DEVICES;
    }

    private interface Change {
        /** @return whether {@code devices} changed and must be written */
        boolean apply(List<Device> devices) throws IOException;
    }

    private void update(Change change) throws IOException {
        synchronized (IN_PROCESS) {
            OwnerOnlyFiles.createDirectories(file.getParent());
            OwnerOnlyFiles.prepare(lockFile);
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    FileLock lock = channel.lock()) {
                List<Device> devices = new ArrayList<>(read().devices());
                if (change.apply(devices)) {
                    OwnerOnlyFiles.replace(file, toJson(devices));
                }
            }
        }
    }

    /** What the file says now, read again only when it changed. */
    private Snapshot current() throws IOException {
        Object version = version();
        Snapshot snapshot = cached;
        if (Objects.equals(version, snapshot.version())) {
            return snapshot;
        }
        snapshot = read();
        cached = snapshot;
        return snapshot;
    }

    /**
     * What the file says, as a digest of its content: a change of any size at any moment shows (its time and size
     * could repeat within a millisecond of a revoke), and the file is small.
     */
    public Object version() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return "absent";
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "not a file";
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.size() > MAX_FILE_BYTES) {
            return "too large " + a.size();
        }
        return SecretDigests.of(Files.readString(file, StandardCharsets.UTF_8));
    }

    private Snapshot read() throws IOException {
        Object version = version();
        if ("absent".equals(version)) {
            return new Snapshot(version, List.of());
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file; the paired devices are kept nowhere else: remove it");
        }
        OwnerOnlyFiles.requireOwnerOnly(file, "the paired devices' file");
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than any list of paired devices");
        }
        List<Device> devices = new ArrayList<>();
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonArray array = root.has("devices") && root.get("devices").isJsonArray() ? root.getAsJsonArray("devices")
                    : new JsonArray();
            for (JsonElement e : array) {
                if (e.isJsonObject()) {
                    fromJson(e.getAsJsonObject()).ifPresent(devices::add);
                }
            }
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + " is not a list of paired devices (" + e.getClass().getSimpleName() + ")");
        }
        return new Snapshot(version, List.copyOf(devices));
    }

    private static Optional<Device> fromJson(JsonObject o) {
        String digest = Json.text(o, "token_sha256");
        String id = Json.text(o, "id");
        String name = DeviceNames.sanitize(Json.text(o, "name"));
        if (!SecretDigests.isDigest(digest) || id.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Device(id, name, digest, instant(Json.text(o, "paired_at")), instant(Json.text(o, "last_seen")),
                Json.text(o, "last_address")));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static String toJson(List<Device> devices) {
        JsonArray array = new JsonArray();
        for (Device d : devices) {
            JsonObject o = new JsonObject();
            o.addProperty("id", d.id());
            o.addProperty("name", d.name());
            o.addProperty("token_sha256", d.tokenDigest());
            o.addProperty("paired_at", d.pairedAt().toString());
            o.addProperty("last_seen", d.lastSeen().toString());
            o.addProperty("last_address", d.lastAddress());
            array.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("devices", array);
        return root + "\n";
    }
}
