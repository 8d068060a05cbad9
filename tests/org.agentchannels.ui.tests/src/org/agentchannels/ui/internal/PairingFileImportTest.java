package org.agentchannels.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The workbench's pairing file holds tokens: one other users can read is not imported. */
@ExtendWith(NoErrorLoggedExtension.class)
class PairingFileImportTest {

    @TempDir
    Path dir;

    @Test
    void aPairingFileOthersCanReadIsNotImportedAndAnOwnerOnlyOneIs() throws Exception {
        Path file = Files.writeString(dir.resolve("pairings"), "ws://192.0.2.10:8664/api/ws desk-token-1234\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        PreferencesApplier applier = new PreferencesApplier(null, null, tokens);
        applier.importPairings(file.toString());
        assertTrue(tokens.endpoints().isEmpty(), "a file others can read gives no pairing");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        applier.importPairings(file.toString());
        assertEquals("desk-token-1234", tokens.token("ws://192.0.2.10:8664/api/ws").orElseThrow());
    }
}
