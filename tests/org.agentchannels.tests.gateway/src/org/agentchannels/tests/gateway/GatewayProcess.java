package org.agentchannels.tests.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.gateway.launch.GatewayCommand;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.LaunchedGateway;

/**
 * Our gateway as a separate process, started through the gateway's own launch API from the bundles this test
 * runtime resolved (as the workbench starts it). It can be stopped cleanly (SIGTERM) or killed (SIGKILL, with
 * whatever the gateway started), and started again on the same home.
 */
public final class GatewayProcess implements AutoCloseable {

    private final LaunchedGateway gateway;

    private GatewayProcess(LaunchedGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Starts a gateway in {@code home} with {@code args} (for example {@code --agent exec}) on a free loopback
     * port and waits until it listens.
     */
    public static GatewayProcess start(Path home, List<String> args) throws Exception {
        List<String> options = new ArrayList<>(List.of("--port", "0"));
        options.addAll(args);
        return new GatewayProcess(GatewayCommand.fromInstalledBundles().start(new GatewayHome(home), options,
                Duration.ofSeconds(60)));
    }

    public String endpoint() {
        return gateway.running().endpoint();
    }

    public String token() {
        return gateway.token();
    }

    public Path home() {
        return gateway.home().dir();
    }

    public String log() throws IOException {
        return Files.readString(gateway.home().log(), StandardCharsets.UTF_8);
    }

    public boolean isAlive() {
        return gateway.process().isAlive();
    }

    /** SIGKILL, as a crash or a pulled plug would end it; the commands its agent started die too. */
    public void kill() throws InterruptedException {
        gateway.kill();
    }

    /** SIGKILL of the gateway process alone: what its agent started lives on (until the next start reaps it). */
    public void killAlone() throws InterruptedException {
        gateway.killAlone();
    }

    /** The gateway's process id. */
    public long pid() {
        return gateway.process().pid();
    }

    /** SIGTERM: the gateway's clean stop. */
    public int stop() throws InterruptedException {
        return gateway.stop();
    }

    @Override
    public void close() throws Exception {
        if (isAlive()) {
            stop();
        }
    }
}
