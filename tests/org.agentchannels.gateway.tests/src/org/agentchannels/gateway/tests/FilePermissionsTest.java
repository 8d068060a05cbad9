package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.gateway.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the usual umask (022, which leaves new files readable by everyone) every file and folder a gateway makes
 * is its owner's alone, SQLite's own {@code -wal} and {@code -shm} included; a token file others can read is
 * refused with the {@code chmod} that fixes it.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class FilePermissionsTest {

    private static final String FILE = "rw-------";
    private static final String FOLDER = "rwx------";

    @TempDir
    Path dir;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void everyFileAndFolderARunningGatewayMakesIsOwnerOnly() throws Exception {
        Path control = Files.writeString(dir.resolve("control"), "x");
        System.out.println("a file this test's process makes without care: " + mode(control)); // the umask at work
        Path home = dir.resolve("made").resolve("home");
        GatewayProcess gateway = gateways.track(GatewayProcess.start(home, List.of("--device-name", "desktop")));
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.endpoint(), gateway.token());
        StandaloneGatewayConnector client = gateways.track(GatewayConnectors.standalone(tokens, "laptop",
                ConnectorExtension.fastBackoff()));
        AttachedSession session = await(client.createSession(gateway.endpoint(), "private"));
        await(session.submit("hello"));
        Await.until("the answer", WAIT, () -> session.model().rows().size() == 2);
        Path presence = home.resolve("session-presence").resolve("active");
        Await.until("a presence record", WAIT, () -> records(presence).size() == 1);

        GatewayHome files = new GatewayHome(home);
        for (Path folder : List.of(dir.resolve("made"), home, home.resolve("session-presence"), presence)) {
            assertEquals(FOLDER, mode(folder), folder.toString());
        }
        List<Path> owned = new java.util.ArrayList<>(List.of(files.database(), Path.of(files.database() + "-wal"),
                Path.of(files.database() + "-shm"), home.resolve("token"), files.runningFile(), files.log()));
        owned.addAll(records(presence));
        for (Path file : owned) {
            assertTrue(Files.isRegularFile(file), file + " exists");
            assertEquals(FILE, mode(file), file.toString());
        }
    }

    @Test
    void aDatabaseLeftReadableByAnEarlierVersionIsNarrowedAtTheNextStart() throws Exception {
        TestGateway fixture = gateways.in(dir.resolve("home"));
        fixture.start(new ScriptedAgent());
        GatewayHome home = new GatewayHome(fixture.home);
        Path wal = Path.of(home.database() + "-wal");
        fixture.gateway.close();
        Files.writeString(wal, ""); // as a killed gateway leaves it
        for (Path p : List.of(home.database(), wal)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        fixture.start(new ScriptedAgent());
        assertEquals(FILE, mode(home.database()));
        assertEquals(FILE, mode(wal));
    }

    @Test
    void aStoredTokenOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        GatewayHome home = new GatewayHome(dir.resolve("home"));
        String token = home.token("");
        assertEquals(FILE, mode(home.dir().resolve("token")));
        assertEquals(FOLDER, mode(home.dir()));
        Path file = home.dir().resolve("token");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        IOException e = assertThrows(IOException.class, () -> home.token(""));
        assertEquals("the token file " + file + " can be read or changed by other users (rw-r--r--);"
                + " make it yours alone: chmod 600 " + file, e.getMessage());
        assertFalse(e.getMessage().contains(token));
        assertTrue(home.storedToken().isEmpty(), "not offered for pairing either");
        TestGateway fixture = gateways.in(home.dir());
        IOException refused = assertThrows(IOException.class, () -> fixture.start(new ScriptedAgent()));
        assertTrue(refused.getMessage().contains("chmod 600 " + file), refused.getMessage());
        assertEquals(token, Files.readString(file).strip(), "the token is not replaced behind the person's back");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(FILE));
        assertEquals(token, fixture.start(new ScriptedAgent()).token());
    }

    private static List<Path> records(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
