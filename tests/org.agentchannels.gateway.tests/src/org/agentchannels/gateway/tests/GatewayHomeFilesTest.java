package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's own files in its home: written whole, owner-only, never through a planted link. */
class GatewayHomeFilesTest {

    @TempDir
    Path dir;

    @Test
    void theRunningFileIsOwnerOnlyAndALinkPlantedAtItIsNotWrittenThrough() throws IOException {
        GatewayHome home = new GatewayHome(dir.resolve("home"));
        RunningGateway running = new RunningGateway(42, 8664, "ws://127.0.0.1:8664/api/ws", "", "desk");
        home.announce(running);
        assertEquals(Optional.of(running), home.recorded());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(home.runningFile()));

        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.delete(home.runningFile());
        Files.createSymbolicLink(home.runningFile(), victim);
        assertThrows(IOException.class, () -> home.announce(running));
        assertEquals("precious", Files.readString(victim));
    }
}
