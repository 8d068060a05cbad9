package org.agentchannels.ui.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.agentchannels.core.Pairing;
import org.eclipse.core.runtime.FileLocator;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Starts this device's gateway when the workbench needs one and none runs: a separate process (so its
 * sessions outlive the workbench) made of the gateway bundles this installation carries, in the gateway's
 * home. A gateway already running from that home (its {@code running.json} names a live process) is used
 * as it is. Either way the result is the pairing to dial it with: its endpoint and the token in its home.
 */
public final class LocalGatewayLauncher {

    private static final String MAIN = "org.agentchannels.gateway.GatewayMain";
    private static final Set<String> BUNDLES = Set.of("org.agentchannels.core", "org.agentchannels.gateway",
            "com.google.gson", "org.xerial.sqlite-jdbc", "slf4j.api", "slf4j.simple");

    /** Why no gateway could be had; the message is for the person. */
    public static final class LaunchException extends Exception {
        private static final long serialVersionUID = 1L;

        public LaunchException(String message) {
            super(message);
        }
    }

    private LocalGatewayLauncher() {
    }

    /**
     * The running gateway of {@code home}, started first (with {@code options} on its command line) when there
     * is none. A gateway already running is used as it is: changed options apply when it next starts. Call off
     * the UI thread.
     */
    public static synchronized Pairing ensureRunning(Path home, List<String> options) throws LaunchException,
            InterruptedException {
        Optional<Pairing> running = running(home);
        if (running.isPresent()) {
            return running.get();
        }
        String classPath = classPath();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(classPath);
        command.add(MAIN);
        command.add("--home");
        command.add(home.toString());
        command.addAll(options);
        try {
            Files.createDirectories(home);
            Files.deleteIfExists(home.resolve("running.json"));
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve("gateway.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new LaunchException("the gateway could not be started: " + e.getMessage());
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            running = running(home);
            if (running.isPresent()) {
                return running.get();
            }
            Thread.sleep(100);
        }
        throw new LaunchException("the gateway did not start within 30 s; see " + home.resolve("gateway.log"));
    }

    /** The gateway running from {@code home}, if its {@code running.json} names a live process. */
    public static Optional<Pairing> running(Path home) {
        Path file = home.resolve("running.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            long pid = o.get("pid").getAsLong();
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
                return Optional.empty(); // left behind by a gateway that was killed
            }
            String token = Files.readString(home.resolve("token"), StandardCharsets.UTF_8).strip();
            return Optional.of(new Pairing(o.get("endpoint").getAsString(), token));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The jars of the gateway among the bundles of this installation. */
    static String classPath() throws LaunchException {
        Bundle self = FrameworkUtil.getBundle(LocalGatewayLauncher.class);
        Set<String> entries = new LinkedHashSet<>();
        for (Bundle b : self.getBundleContext().getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && (BUNDLES.contains(name) || name.startsWith("org.eclipse.jetty."))) {
                FileLocator.getBundleFileLocation(b).ifPresent(f -> entries.add(f.getAbsolutePath()));
            }
        }
        if (entries.stream().noneMatch(e -> e.contains("org.agentchannels.gateway"))) {
            throw new LaunchException(Messages.Gateway_notInstalled);
        }
        return String.join(File.pathSeparator, entries);
    }
}
