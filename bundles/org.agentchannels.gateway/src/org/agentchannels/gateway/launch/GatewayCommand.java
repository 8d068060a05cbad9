package org.agentchannels.gateway.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.GatewayOptions;

/**
 * The command line of a gateway process: this Java runtime, the gateway's JVM flags, a class path holding the
 * gateway and what it needs, its main class, its home and options. The class path comes from the installed
 * bundles inside OSGi ({@link #fromInstalledBundles()}), else from a folder of jars ({@link #fromJarFolder(Path)}).
 */
public final class GatewayCommand {

    /** sqlite-jdbc loads its native library itself; Jetty's INFO lines would drown the gateway's own. */
    public static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private static final long POLL_MILLIS = 100;

    private final List<Path> classPath;

    private GatewayCommand(List<Path> classPath) {
        this.classPath = List.copyOf(classPath);
    }

    /**
     * The gateway bundle and the bundles it is wired to (and they to theirs), as this OSGi framework resolved
     * them: what the installation carries is what the process runs.
     *
     * @throws GatewayLaunchException when this code does not run from an installed bundle
     */
    public static GatewayCommand fromInstalledBundles() throws GatewayLaunchException {
        return new GatewayCommand(InstalledBundles.classPathOf(GatewayCommand.class));
    }

    /** What is wrong with {@code url} as the gateway's team presence broker; empty when nothing is. */
    public static Optional<String> presenceBrokerProblem(String url) {
        return GatewayOptions.presenceBrokerProblem(url);
    }

    /** Every jar in {@code folder} (the headless artifact's {@code lib/}). */
    public static GatewayCommand fromJarFolder(Path folder) throws GatewayLaunchException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new GatewayLaunchException("no jars in " + folder);
            }
            return new GatewayCommand(jars);
        } catch (IOException e) {
            throw new GatewayLaunchException("cannot list " + folder + ": " + e.getMessage());
        }
    }

    public List<Path> classPath() {
        return classPath;
    }

    /** The full command line of a gateway living in {@code home}, with {@code options} after {@code --home}. */
    public List<String> commandLine(GatewayHome home, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        command.add(GatewayMain.class.getName());
        command.add("--home");
        command.add(home.dir().toString());
        command.addAll(options);
        return command;
    }

    /**
     * Starts a gateway in {@code home}, writing its log to {@link GatewayHome#log()} (rotated by size), and waits
     * until it announces itself in {@code running.json}.
     *
     * @throws GatewayLaunchException when it exits first or does not listen within {@code timeout} (it is
     *         killed then); the message says where its log is
     */
    public LaunchedGateway start(GatewayHome home, List<String> options, Duration timeout)
            throws GatewayLaunchException, InterruptedException {
        return start(home, options, Optional.empty(), timeout);
    }

    /**
     * As {@link #start(GatewayHome, List, Duration)}, the team broker's password (for {@code --presence-broker})
     * given to the gateway in its environment: neither on its command line, which {@code ps} shows, nor in a file.
     */
    public LaunchedGateway start(GatewayHome home, List<String> options, Optional<String> brokerPassword, Duration timeout)
            throws GatewayLaunchException, InterruptedException {
        Process process;
        try {
            OwnerOnlyFiles.createDirectories(home.dir());
            OwnerOnlyFiles.prepare(home.log()); // the redirect keeps an existing file's mode
            OwnerOnlyFiles.prepare(home.processOutput());
            home.withdraw();
            List<String> logged = new ArrayList<>(List.of("--log", home.log().toString()));
            logged.addAll(options);
            ProcessBuilder builder = new ProcessBuilder(commandLine(home, logged)).redirectErrorStream(true)
                    .redirectOutput(home.processOutput().toFile());
            // only the password given here: not one this process happens to have been started with
            builder.environment().remove(GatewayOptions.BROKER_PASSWORD_VARIABLE);
            brokerPassword.filter(p -> !p.isEmpty())
                    .ifPresent(p -> builder.environment().put(GatewayOptions.BROKER_PASSWORD_VARIABLE, p));
            process = builder.start();
        } catch (IOException e) {
            throw new GatewayLaunchException("the gateway could not be started: " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Optional<RunningGateway> running = home.recorded().filter(r -> r.pid() == process.pid());
                Optional<String> token = home.storedToken();
                if (running.isPresent() && token.isPresent()) {
                    return new LaunchedGateway(process, home, running.get(), token.get());
                }
                if (!process.isAlive()) {
                    throw new GatewayLaunchException("the gateway exited with status " + process.exitValue() + ": "
                            + readLog(home));
                }
                Thread.sleep(POLL_MILLIS);
            }
            throw new GatewayLaunchException("the gateway did not start within " + timeout.toSeconds() + " s; see "
                    + home.log());
        } catch (GatewayLaunchException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String readLog(GatewayHome home) {
        StringBuilder text = new StringBuilder();
        for (Path file : List.of(home.processOutput(), home.log())) {
            try {
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                // not written: the other one says why
            }
        }
        return text.isEmpty() ? "(nothing in " + home.log() + ")" : text.toString().strip();
    }
}
