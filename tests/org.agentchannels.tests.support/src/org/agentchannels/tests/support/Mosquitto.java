package org.agentchannels.tests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto broker (the Debian package {@code mosquitto}) on a free loopback port, with a
 * configuration generated in a folder of the test's: anonymous clients (or only the users given), nothing persisted, its log in
 * {@code mosquitto.log} there. It can be stopped and started again on the same port (a broker restarted), or made
 * without starting (a broker down when a gateway starts). Every wait is bounded.
 */
public final class Mosquitto implements AutoCloseable {

    /** Where Debian installs the broker. */
    public static final Path PROGRAM = Path.of("/usr/sbin/mosquitto");
    /** Its password-file tool, from the same package. */
    private static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final Map<String, String> users;
    /** The lines of its ACL file; empty: every client may read and write every topic. */
    private final String acl;
    /** The PEM files of a TLS listener, certificate then key; empty for plain MQTT. */
    private final List<Path> tls;
    /** Further lines of its configuration (limits such as {@code max_queued_messages}); empty: Mosquitto's defaults. */
    private final List<String> settings;
    private Process process;

    private Mosquitto(Path dir, int port, Map<String, String> users, String acl, List<Path> tls, List<String> settings) {
        this.dir = dir;
        this.port = port;
        this.users = Map.copyOf(users);
        this.acl = acl;
        this.tls = List.copyOf(tls);
        this.settings = List.copyOf(settings);
    }

    /**
     * A broker speaking MQTT over TLS only, with this certificate and key (PEM files), started and accepting
     * connections.
     */
    public static Mosquitto startTls(Path dir, Path certificate, Path key) throws IOException, InterruptedException {
        Mosquitto broker = new Mosquitto(dir, notStarted(dir).port, Map.of(), "", List.of(certificate, key), List.of());
        broker.start();
        return broker;
    }

    /** Whether the broker is installed here (the launcher installs it as root; tests assume it). */
    public static boolean isInstalled() {
        return Files.isExecutable(PROGRAM);
    }

    /** A broker on a free loopback port, started and accepting connections. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        Mosquitto broker = notStarted(dir);
        broker.start();
        return broker;
    }

    /**
     * As {@link #start(Path)}, with these lines added to its configuration: Mosquitto's settings, one a line (limits
     * such as {@code max_queued_messages 100000}).
     */
    public static Mosquitto start(Path dir, List<String> settings) throws IOException, InterruptedException {
        Mosquitto broker = new Mosquitto(dir, notStarted(dir).port, Map.of(), "", List.of(), settings);
        broker.start();
        return broker;
    }

    /**
     * A broker that lets in only these users (name to password, written into its password file with
     * {@code mosquitto_passwd}), started and accepting connections.
     */
    public static Mosquitto startWithUsers(Path dir, Map<String, String> users) throws IOException, InterruptedException {
        return startWithUsers(dir, users, "");
    }

    /** As {@link #startWithUsers(Path, Map)}, with an ACL file of these lines (Mosquitto's {@code acl_file} format). */
    public static Mosquitto startWithUsers(Path dir, Map<String, String> users, String acl)
            throws IOException, InterruptedException {
        Mosquitto broker = notStarted(dir, users, acl);
        broker.start();
        return broker;
    }

    /** A broker with a free loopback port picked for it, not started yet: nothing listens there until {@link #start()}. */
    public static Mosquitto notStarted(Path dir) throws IOException {
        return notStarted(dir, Map.of(), "");
    }

    private static Mosquitto notStarted(Path dir, Map<String, String> users, String acl) throws IOException {
        Files.createDirectories(dir);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new Mosquitto(dir, probe.getLocalPort(), users, acl, List.of(), List.of());
        }
    }

    public int port() {
        return port;
    }

    /** The broker's process id while it runs (the bench reads its resident memory); -1 when it is stopped. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** {@code mqtt://127.0.0.1:<port>/<team>} ({@code mqtts://} for TLS), what {@code --presence-broker} takes. */
    public String url(String team) {
        return (tls.isEmpty() ? "mqtt" : "mqtts") + "://127.0.0.1:" + port + "/" + team;
    }

    /** Starts the broker (again) and waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        Path config = dir.resolve("mosquitto.conf");
        String access = "allow_anonymous true";
        if (!users.isEmpty()) {
            Path passwords = dir.resolve("passwords");
            Files.deleteIfExists(passwords);
            Files.createFile(passwords);
            for (Map.Entry<String, String> user : users.entrySet()) {
                run(List.of(PASSWD.toString(), "-b", passwords.toString(), user.getKey(), user.getValue()));
            }
            access = "allow_anonymous false\npassword_file " + passwords;
        }
        if (!acl.isEmpty()) {
            Path aclFile = Files.writeString(dir.resolve("acl"), acl, StandardCharsets.UTF_8);
            access += "\nacl_file " + aclFile;
        }
        if (!tls.isEmpty()) {
            access += "\ncertfile " + tls.get(0) + "\nkeyfile " + tls.get(1);
        }
        if (!settings.isEmpty()) {
            access += "\n" + String.join("\n", settings);
        }
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                access,
                "persistence false",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                // started as root it would switch to the user mosquitto, who cannot read the test's folder
                "user root",
                ""), StandardCharsets.UTF_8);
        process = new ProcessBuilder(List.of(PROGRAM.toString(), "-c", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + " at its start: " + log());
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new IOException("mosquitto did not accept connections on port " + port + " within "
                        + START_TIMEOUT.toSeconds() + " s: " + log());
            }
            Thread.sleep(20);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " failed: " + output);
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the broker logged so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a while) and waits until it is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
