package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.Pairing;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.RunningGateway;
import org.agentchannels.ui.internal.LocalGatewayLauncher;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.ui.internal.AgentChannelsStartup;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The workbench starts this device's gateway when asked to and none runs, and reuses one that does. */
@ExtendWith(NoErrorLoggedExtension.class)
class LocalGatewayStartTest {

    @TempDir
    Path home;

    @AfterEach
    void tearDown() throws Exception {
        for (String key : new String[] { UiPreferences.START_GATEWAY, UiPreferences.GATEWAY_PORT, UiPreferences.GATEWAY_BIND,
                UiPreferences.GATEWAY_ADVERTISE, UiPreferences.PRESENCE_DIRECTORY, UiPreferences.DEVICE_NAME }) {
            UiPreferences.node().remove(key);
        }
        UiPreferences.node().remove(UiPreferences.GATEWAY_HOME);
        new GatewayHome(home).recorded().flatMap(r -> ProcessHandle.of(r.pid())).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
    }

    @Test
    void startsTheGatewayInItsHomeWithThePreferencesAndConnectsToItAsThisDevicesOwn() throws Exception {
        int port = WorkbenchTestCase.freePort();
        String advertised = "ws://127.0.0.1:" + port + "/api/ws";
        Path presence = home.resolve("shared-presence");
        UiPreferences.node().put(UiPreferences.GATEWAY_HOME, home.toString());
        UiPreferences.node().put(UiPreferences.GATEWAY_PORT, String.valueOf(port));
        UiPreferences.node().put(UiPreferences.GATEWAY_BIND, "127.0.0.1");
        UiPreferences.node().put(UiPreferences.GATEWAY_ADVERTISE, advertised);
        UiPreferences.node().put(UiPreferences.PRESENCE_DIRECTORY, presence.toString());
        UiPreferences.node().put(UiPreferences.DEVICE_NAME, "studio");
        UiPreferences.node().putBoolean(UiPreferences.START_GATEWAY, true);
        CompletableFuture<Void> applied = CompletableFuture.runAsync(((AgentChannelsStartup) Ui.services())::applyPreferences);
        Ui.await("the preferences applied", applied::isDone);
        Optional<Pairing> running = LocalGatewayLauncher.running(home);
        assertTrue(running.isPresent(), "a gateway runs from " + home);
        assertTrue(Files.isRegularFile(new GatewayHome(home).database()));
        GatewayConnection local = Ui.services().connector().localGateway().orElseThrow();
        assertEquals(running.get().endpoint(), local.endpoint());
        Ui.await("connected to it", () -> local.state().isConnected());
        assertEquals(advertised, running.get().endpoint(), "the gateway listens on the port of the preferences");

        // its sessions are published where the other devices look, under this device's name
        Ui.services().connector().createSession(running.get().endpoint(), "Published").get(30, TimeUnit.SECONDS);
        Ui.await("a presence record", () -> presenceRecords(presence).stream()
                .anyMatch(r -> r.contains("\"Published\"") && r.contains("\"studio\"") && r.contains(advertised)));

        // asked again, the running one is used: no second process
        long pid = new GatewayHome(home).recorded().orElseThrow().pid();
        assertEquals(running.get(), LocalGatewayLauncher.ensureRunning(home, List.of(), Optional.empty()));
        assertEquals(pid, new GatewayHome(home).recorded().orElseThrow().pid());
    }

    private static List<String> presenceRecords(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    return ""; // replaced while read: the next round reads the new one
                }
            }).toList();
        } catch (java.io.IOException e) {
            return List.of(); // not made yet
        }
    }

    @Test
    void aRunningFileLeftByAKilledGatewayIsNotTakenForARunningOne() throws Exception {
        GatewayHome killed = new GatewayHome(home);
        killed.announce(new RunningGateway(Long.MAX_VALUE / 2, 9, "ws://127.0.0.1:9/api/ws", "", "gone"));
        killed.token(""); // a token, as the killed gateway left it
        assertTrue(killed.recorded().isPresent(), "its running file is there");
        assertTrue(LocalGatewayLauncher.running(home).isEmpty());
    }
}
