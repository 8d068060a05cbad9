package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.agentchannels.cli.TokenFile;
import org.agentchannels.cli.TokenFile.TokenFileException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @Test
    void readsOneGatewayPerLine(@TempDir Path dir) throws IOException, TokenFileException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, """
                # paired gateways
                ws://192.0.2.10:8664/api/ws   desk-token

                ws://192.0.2.20:8664/api/ws\tbox-token
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        InMemoryTokenStore store = TokenFile.read(file);
        assertEquals("desk-token", store.token("ws://192.0.2.10:8664/api/ws").orElseThrow());
        assertEquals("box-token", store.token("ws://192.0.2.20:8664/api/ws").orElseThrow());
        assertEquals(2, store.endpoints().size());
    }

    @Test
    void aLineMayPinTheGatewaysCertificateAndOlderLinesStayValid() throws TokenFileException {
        String fp = "sha256:" + "A".repeat(42) + "Q";
        InMemoryTokenStore store = TokenFile.parse(List.of("wss://192.0.2.10:8664/api/ws desk-token fp=" + fp,
                "ws://127.0.0.1:8664/api/ws local-token", "wss://192.0.2.11:8642/api/ws hermes-token hermes fp=" + fp),
                "tokens");
        assertEquals(fp, store.fingerprint("wss://192.0.2.10:8664/api/ws").orElseThrow());
        assertEquals("desk-token", store.token("wss://192.0.2.10:8664/api/ws").orElseThrow());
        assertTrue(store.fingerprint("ws://127.0.0.1:8664/api/ws").isEmpty());
        assertTrue(store.isHermes("wss://192.0.2.11:8642/api/ws"));
        assertEquals(fp, store.fingerprint("wss://192.0.2.11:8642/api/ws").orElseThrow());
        TokenFileException e = assertThrows(TokenFileException.class,
                () -> TokenFile.parse(List.of("wss://h/api/ws desk-token fp=sha256:secret-looking"), "tokens"));
        assertTrue(e.getMessage().startsWith("tokens:1: the fingerprint is not"), e.getMessage());
        assertFalse(e.getMessage().contains("secret") || e.getMessage().contains("desk-token"), e.getMessage());
    }

    @Test
    void badLinesAreNamedByNumberWithoutTheirContent() {
        TokenFileException e = assertThrows(TokenFileException.class,
                () -> TokenFile.parse(List.of("# ok", "ws://h/api/ws only-one-field extra-secret"), "tokens"));
        assertEquals("tokens:2: expected '<endpoint> <token> [fp=<fingerprint>]', '<endpoint> <token> hermes' for a"
                + " Hermes gateway, or 'trust-without-token <endpoint>'", e.getMessage());
        assertFalse(e.getMessage().contains("secret"));

        e = assertThrows(TokenFileException.class, () -> TokenFile.parse(List.of("http://h/api/ws secret"), "tokens"));
        assertTrue(e.getMessage().startsWith("tokens:1: the gateway endpoint must start with ws://"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void aGatewayThatAsksForNoTokenIsTrustedOnlyByAnExplicitLine() throws TokenFileException {
        InMemoryTokenStore store = TokenFile.parse(List.of("trust-without-token  ws://192.0.2.30:8642/api/ws",
                "ws://192.0.2.10:8664/api/ws desk-token"), "tokens");
        assertTrue(store.isTrustedWithoutToken("ws://192.0.2.30:8642/api/ws"));
        assertTrue(store.token("ws://192.0.2.30:8642/api/ws").isEmpty());
        assertFalse(store.isTrustedWithoutToken("ws://192.0.2.10:8664/api/ws"));
        TokenFileException bare = assertThrows(TokenFileException.class,
                () -> TokenFile.parse(List.of("ws://192.0.2.30:8642/api/ws"), "tokens"));
        assertTrue(bare.getMessage().startsWith("tokens:1: expected"), bare.getMessage());
        TokenFileException linkLocal = assertThrows(TokenFileException.class,
                () -> TokenFile.parse(List.of("trust-without-token ws://169.254.169.254/api/ws"), "tokens"));
        assertTrue(linkLocal.getMessage().contains("link-local"), linkLocal.getMessage());
    }

    @Test
    void aLineEndingInHermesPairsAHermesGatewayWhichAloneGetsTheTokenInItsUrl() throws TokenFileException {
        InMemoryTokenStore store = TokenFile.parse(List.of("ws://192.0.2.30:9119/api/ws hermes-token hermes",
                "ws://192.0.2.10:8664/api/ws desk-token"), "tokens");
        assertEquals("hermes-token", store.token("ws://192.0.2.30:9119/api/ws").orElseThrow());
        assertTrue(store.isHermes("ws://192.0.2.30:9119/api/ws"));
        assertFalse(store.isHermes("ws://192.0.2.10:8664/api/ws"));
        TokenFileException e = assertThrows(TokenFileException.class,
                () -> TokenFile.parse(List.of("ws://192.0.2.30:9119/api/ws hermes-token other"), "tokens"));
        assertTrue(e.getMessage().startsWith("tokens:1: expected"), e.getMessage());
    }

    @Test
    void aMissingFileIsReportedPlainly(@TempDir Path dir) {
        TokenFileException e = assertThrows(TokenFileException.class, () -> TokenFile.read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("cannot read the token file"), e.getMessage());
    }

    @Test
    void aTokenFileOtherUsersCanReadIsRefusedNamingTheChmodToRun(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "ws://192.0.2.10:8664/api/ws desk-token\n");
        for (String mode : new String[] { "rw-r--r--", "rw-r-----", "rw-----w-" }) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            TokenFileException e = assertThrows(TokenFileException.class, () -> TokenFile.read(file), mode);
            assertTrue(e.getMessage().contains("chmod 600 " + file) && e.getMessage().contains(mode), e.getMessage());
            assertFalse(e.getMessage().contains("desk-token"));
        }
    }
}
