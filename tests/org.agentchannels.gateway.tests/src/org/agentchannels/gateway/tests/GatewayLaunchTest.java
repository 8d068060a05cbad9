package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.launch.GatewayCommand;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.GatewayLaunchException;
import org.agentchannels.gateway.launch.LaunchedGateway;
import org.agentchannels.gateway.launch.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch API: a gateway's home and the command line that starts one, in OSGi and from a folder of jars. */
class GatewayLaunchTest {

    @TempDir
    Path dir;

    @Test
    void theInstalledBundlesWiringGivesTheGatewayAndWhatItNeedsButNoTestCodeAndNoFramework() throws Exception {
        List<String> names = GatewayCommand.fromInstalledBundles().classPath().stream()
                .map(p -> p.getFileName().toString()).toList();
        assertTrue(names.get(0).startsWith("org.agentchannels.gateway"), names.toString());
        for (String needed : List.of("org.agentchannels.core", "gson", "sqlite-jdbc", "jetty-server", "jetty-websocket-jetty-server")) {
            assertTrue(names.stream().anyMatch(n -> n.contains(needed)), needed + " in " + names);
        }
        assertFalse(names.stream().anyMatch(n -> n.contains("junit") || n.contains("org.eclipse.osgi")
                || n.contains("tests")), names.toString());
    }

    @Test
    void aGatewayStartedFromAFolderOfJarsAnnouncesItselfInItsHomeAndStopsCleanly() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (Path jar : GatewayCommand.fromInstalledBundles().classPath()) {
            Files.copy(jar, lib.resolve(jar.getFileName()));
        }
        GatewayCommand command = GatewayCommand.fromJarFolder(lib);
        GatewayHome home = new GatewayHome(dir.resolve("home"));
        List<String> line = command.commandLine(home, List.of("--port", "0"));
        assertTrue(line.containsAll(GatewayCommand.JVM_FLAGS) && line.contains(GatewayMain.class.getName()), line.toString());

        LaunchedGateway gateway = command.start(home, List.of("--port", "0", "--device-name", "folder"), Duration.ofSeconds(60));
        try {
            RunningGateway running = home.running().orElseThrow();
            assertEquals(gateway.process().pid(), running.pid());
            assertEquals("folder", running.deviceName());
            assertTrue(running.endpoint().startsWith("ws://127.0.0.1:"), running.endpoint());
            assertEquals(home.storedToken().orElseThrow(), gateway.token());
            assertEquals(running.endpoint(), home.runningPairing().orElseThrow().endpoint());
            for (Path file : List.of(home.log(), home.processOutput())) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file)), file + " is the owner's alone, whatever the umask");
            }
        } finally {
            gateway.stop();
        }
        assertTrue(home.running().isEmpty(), "a clean stop withdraws running.json");
    }

    @Test
    void aGatewayThatCannotStartIsReportedWithItsLog() throws Exception {
        GatewayHome home = new GatewayHome(dir.resolve("home"));
        GatewayLaunchException e = assertThrows(GatewayLaunchException.class, () -> GatewayCommand.fromInstalledBundles()
                .start(home, List.of("--port", "not-a-port"), Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("exited with status 64") && e.getMessage().contains("--port must be a number"),
                e.getMessage());
    }

    @Test
    void aRunningFileOfADeadProcessIsRecordedButNotRunning() throws Exception {
        GatewayHome home = new GatewayHome(dir);
        home.announce(new RunningGateway(Long.MAX_VALUE / 2, 9, "ws://127.0.0.1:9/api/ws", "", "gone"));
        assertEquals("gone", home.recorded().orElseThrow().deviceName());
        assertTrue(home.running().isEmpty());
        assertTrue(home.runningPairing().isEmpty());
    }

    @Test
    void theHeadlessArtifactsLauncherUsesTheFlagsAndTheMainClassOfTheLaunchApi() throws Exception {
        String root = System.getProperty("agentchannels.root");
        assertTrue(root != null && Files.isDirectory(Path.of(root)), "the build passes the checkout as -Dagentchannels.root");
        String script = Files.readString(Path.of(root, "releng", "org.agentchannels.headless", "launchers", "agentchannels-gateway"));
        for (String flag : GatewayCommand.JVM_FLAGS) {
            assertTrue(script.contains(flag), flag + " in bin/agentchannels-gateway");
        }
        assertTrue(script.contains(GatewayMain.class.getName()), script);
    }
}
