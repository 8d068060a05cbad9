package org.agentchannels.tests.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Our gateway as a separate process, the way {@code ./agentchannels gateway} runs it: a plain class path made
 * of the bundles this test runtime resolved. It can be stopped cleanly (SIGTERM) or killed (SIGKILL, with
 * whatever the gateway started), and started again on the same home.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final String MAIN = "org.agentchannels.gateway.GatewayMain";

    private final Process process;
    private final Path home;
    private final String endpoint;
    private final String token;
    private final Path log;

    private GatewayProcess(Process process, Path home, String endpoint, String token, Path log) {
        this.process = process;
        this.home = home;
        this.endpoint = endpoint;
        this.token = token;
        this.log = log;
    }

    /**
     * Starts a gateway in {@code home} with {@code args} (for example {@code --agent exec}) on a free loopback
     * port and waits until it listens.
     */
    public static GatewayProcess start(Path home, List<String> args) throws Exception {
        Files.createDirectories(home);
        Files.deleteIfExists(home.resolve("running.json"));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(classPath());
        command.add(MAIN);
        command.addAll(List.of("--home", home.toString(), "--port", "0"));
        command.addAll(args);
        Path log = home.resolve("gateway.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path running = home.resolve("running.json");
        try {
            Await.until("the gateway process to listen (log: " + log + ")", Duration.ofSeconds(60),
                    () -> Files.isRegularFile(running) || !p.isAlive());
            if (!p.isAlive()) {
                throw new IllegalStateException("the gateway process exited with " + p.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            JsonObject info = JsonParser.parseString(Files.readString(running, StandardCharsets.UTF_8)).getAsJsonObject();
            String token = Files.readString(home.resolve("token"), StandardCharsets.UTF_8).strip();
            return new GatewayProcess(p, home, info.get("endpoint").getAsString(), token, log);
        } catch (RuntimeException | Error | IOException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** The jars of the gateway and everything it needs, found among the bundles of this runtime. */
    static String classPath() {
        Set<String> wanted = Set.of("org.agentchannels.core", "org.agentchannels.gateway", "com.google.gson",
                "org.xerial.sqlite-jdbc", "slf4j.api", "slf4j.simple");
        Bundle self = FrameworkUtil.getBundle(GatewayProcess.class);
        if (self.getBundleContext() == null) {
            try {
                self.start(Bundle.START_TRANSIENT); // resolved but not started: a context needs an active bundle
            } catch (org.osgi.framework.BundleException e) {
                throw new IllegalStateException("cannot start " + self.getSymbolicName(), e);
            }
        }
        Set<String> entries = new LinkedHashSet<>();
        for (Bundle b : self.getBundleContext().getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && (wanted.contains(name) || name.startsWith("org.eclipse.jetty."))) {
                entries.add(org.eclipse.core.runtime.FileLocator.getBundleFileLocation(b)
                        .orElseThrow(() -> new IllegalStateException("no file for " + name)).getAbsolutePath());
            }
        }
        if (entries.stream().noneMatch(e -> e.contains("org.agentchannels.gateway"))) {
            throw new IllegalStateException("the gateway bundle is not part of this test runtime");
        }
        return String.join(File.pathSeparator, entries);
    }

    public String endpoint() {
        return endpoint;
    }

    public String token() {
        return token;
    }

    public Path home() {
        return home;
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash or a pulled plug would end it; the commands its agent started die too. */
    public void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGTERM: the gateway's clean stop. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
