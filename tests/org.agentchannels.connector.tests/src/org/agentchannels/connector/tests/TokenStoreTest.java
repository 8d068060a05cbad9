package org.agentchannels.connector.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.PBEKeySpec;

import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.connector.internal.SecureStorageTokenStore;
import org.agentchannels.core.Pairing;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.provider.IProviderHints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    private static final String DESK = "ws://192.0.2.10:8664/api/ws";
    private static final String BOX = "ws://192.0.2.20:8664/api/ws?profile=work";
    private static final String HERMES = "ws://192.0.2.30:8642/api/ws";
    private static final String HERMES_WITH_TOKEN = "ws://192.0.2.30:9119/api/ws";

    @TempDir
    Path home;

    /** A real secure store in a temporary file, unlocked by a fixed password instead of a prompt. */
    private ISecurePreferences openStore(Path file) throws IOException {
        Map<String, Object> options = Map.of(IProviderHints.DEFAULT_PASSWORD, new PBEKeySpec("test-master".toCharArray()),
                IProviderHints.PROMPT_USER, Boolean.FALSE);
        return SecurePreferencesFactory.open(file.toUri().toURL(), options);
    }

    private static void exercise(TokenStore store) throws Exception {
        assertTrue(store.token(DESK).isEmpty());
        store.put(DESK, "desk-token");
        store.put(BOX, "box-token");
        assertEquals("desk-token", store.token(DESK).orElseThrow());
        assertEquals("box-token", store.token(" " + BOX + " ").orElseThrow(), "endpoints are trimmed");
        assertEquals(List.of(DESK, BOX), store.endpoints());
        store.put(DESK, "new-desk-token");
        assertEquals("new-desk-token", store.token(DESK).orElseThrow());
        store.remove(DESK);
        store.remove(DESK);
        assertTrue(store.token(DESK).isEmpty());
        assertEquals(List.of(BOX), store.endpoints());
        assertThrows(IllegalArgumentException.class, () -> store.put(DESK, ""));
        assertThrows(IllegalArgumentException.class, () -> store.put(" ", "x"));
        assertFalse(store.isPaired(DESK));
    }

    /** A Hermes pairing is remembered with its token, and forgotten when paired again as one of ours. */
    private static void exerciseHermesPairing(TokenStore store) throws Exception {
        assertFalse(store.isHermes(BOX));
        store.put(HERMES_WITH_TOKEN, "hermes-token", true);
        assertTrue(store.isHermes(" " + HERMES_WITH_TOKEN));
        assertEquals("hermes-token", store.token(HERMES_WITH_TOKEN).orElseThrow());
        store.put(DESK, "desk-token");
        assertFalse(store.isHermes(DESK));
        store.put(DESK, "desk-token", true);
        store.put(DESK, "desk-token");
        assertFalse(store.isHermes(DESK));
        store.remove(DESK);
    }

    private static final String PIN = "sha256:" + "B".repeat(42) + "A";
    private static final String TLS_DESK = "wss://192.0.2.40:8664/api/ws";

    /** A pairing pins its certificate's fingerprint with its token; pairing again without one forgets it. */
    private static void exercisePin(TokenStore store) throws Exception {
        assertTrue(store.fingerprint(TLS_DESK).isEmpty());
        store.put(Pairing.parse(TLS_DESK + " tls-desk-token fp=" + PIN));
        assertEquals(PIN, store.fingerprint(" " + TLS_DESK).orElseThrow());
        assertEquals("tls-desk-token", store.token(TLS_DESK).orElseThrow());
        store.put(TLS_DESK, "tls-desk-token");
        assertTrue(store.fingerprint(TLS_DESK).isEmpty(), "a pairing without a pin replaces the pin too");
        assertThrows(IllegalArgumentException.class, () -> store.put(TLS_DESK, "tls-desk-token", false, "sha256:bad"));
        store.put(TLS_DESK, "tls-desk-token", false, PIN);
        store.remove(TLS_DESK);
        assertTrue(store.fingerprint(TLS_DESK).isEmpty());
        store.put(TLS_DESK, "tls-desk-token", false, PIN); // kept, for reopening
    }

    /** The person's explicit trust in a gateway that asks for no token: an entry of its own, never a token. */
    private static void exerciseTrust(TokenStore store) throws Exception {
        assertFalse(store.isPaired(HERMES));
        store.trustWithoutToken(HERMES);
        assertTrue(store.isTrustedWithoutToken(" " + HERMES + " "));
        assertTrue(store.isPaired(HERMES));
        assertTrue(store.token(HERMES).isEmpty());
        assertEquals(List.of(BOX, HERMES, HERMES_WITH_TOKEN, TLS_DESK), store.endpoints());
        store.put(HERMES, "hermes-token");
        assertFalse(store.isTrustedWithoutToken(HERMES), "a token replaces the trust without one");
        assertEquals("hermes-token", store.token(HERMES).orElseThrow());
        store.put(Pairing.parse(Pairing.WITHOUT_TOKEN + " " + HERMES));
        assertTrue(store.token(HERMES).isEmpty(), "the trust without a token replaces the token");
        assertTrue(store.isTrustedWithoutToken(HERMES));
        assertFalse(store.isTrustedWithoutToken(BOX), "a token is no trust without one");
        assertThrows(IllegalArgumentException.class, () -> store.trustWithoutToken(" "));
    }

    private static final String NOTED = "ws://192.0.2.50:8664/api/ws";
    private static final java.time.Instant MORNING = java.time.Instant.parse("2026-12-02T08:00:00Z");

    /**
     * The gateway's device name and the last connection: noted only for a paired endpoint (a note never pairs, nor
     * lists, anything), kept when paired again, forgotten with the pairing.
     */
    private static void exerciseDetails(TokenStore store) throws Exception {
        List<String> before = store.endpoints();
        store.noteConnected(NOTED, "desk", MORNING);
        store.noteGatewayDevice(NOTED, "desk");
        assertEquals(TokenStore.GatewayDetails.NONE, store.details(NOTED));
        assertFalse(store.isPaired(NOTED));
        assertEquals(before, store.endpoints(), "a note lists no endpoint");

        store.put(NOTED, "noted-token");
        store.noteGatewayDevice(NOTED, "desk");
        assertEquals(new TokenStore.GatewayDetails("desk", java.util.Optional.empty()), store.details(" " + NOTED));
        store.noteConnected(NOTED, "", MORNING);
        assertEquals(new TokenStore.GatewayDetails("desk", java.util.Optional.of(MORNING)), store.details(NOTED),
                "a connection that names no device keeps the name known");
        store.put(NOTED, "noted-token-2");
        assertEquals("desk", store.details(NOTED).gatewayDevice(), "pairing again keeps what was noted");
        store.remove(NOTED);
        assertEquals(TokenStore.GatewayDetails.NONE, store.details(NOTED));
        store.put(NOTED, "noted-token");
        assertEquals(TokenStore.GatewayDetails.NONE, store.details(NOTED), "nothing of the earlier pairing comes back");
        store.noteConnected(NOTED, "desk-2", MORNING.plusSeconds(60)); // kept, for reopening
    }

    @Test
    void inMemoryStoreKeepsOneTokenPerEndpoint() throws Exception {
        InMemoryTokenStore store = new InMemoryTokenStore();
        exercise(store);
        exerciseHermesPairing(store);
        exercisePin(store);
        exerciseTrust(store);
        exerciseDetails(store);
        store.remove(HERMES);
        assertFalse(store.isPaired(HERMES));
        assertFalse(store.toString().contains("box-token"), "toString never prints a token");
    }

    @Test
    void secureStorageKeepsTokensEncryptedAcrossReopening() throws Exception {
        Path file = home.resolve("secure_storage");
        exercise(new SecureStorageTokenStore(openStore(file)));
        exerciseHermesPairing(new SecureStorageTokenStore(openStore(file)));
        exercisePin(new SecureStorageTokenStore(openStore(file)));
        exerciseTrust(new SecureStorageTokenStore(openStore(file)));
        exerciseDetails(new SecureStorageTokenStore(openStore(file)));

        String onDisk = Files.readString(file);
        assertFalse(onDisk.contains("box-token"), "the token is encrypted on disk");

        // the file is cached per URL by the factory; a fresh copy proves what was persisted
        Path copy = home.resolve("secure_storage_copy");
        Files.copy(file, copy);
        SecureStorageTokenStore reopened = new SecureStorageTokenStore(openStore(copy));
        assertEquals("box-token", reopened.token(BOX).orElseThrow());
        assertTrue(reopened.isTrustedWithoutToken(HERMES));
        assertTrue(reopened.isHermes(HERMES_WITH_TOKEN));
        assertFalse(reopened.isHermes(BOX));
        assertEquals(PIN, reopened.fingerprint(TLS_DESK).orElseThrow());
        assertEquals(List.of(BOX, HERMES, HERMES_WITH_TOKEN, NOTED, TLS_DESK), reopened.endpoints());
        assertEquals(new TokenStore.GatewayDetails("desk-2", java.util.Optional.of(MORNING.plusSeconds(60))),
                reopened.details(NOTED));
        reopened.remove(HERMES);
        assertFalse(reopened.isPaired(HERMES));
    }
}
