package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.presence.PresenceFolder;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.internal.trust.TlsIdentity;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.RawWebSocket;
import org.agentchannels.tests.support.TlsImpostor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's TLS identity and the clients' pin of it: a key and certificate made once in the home and kept,
 * replaced by {@code rotate-certificate}; {@code wss://} only off loopback (plain only by
 * {@code --insecure-plaintext}, warned); a client pinned to the key attaches over {@code wss://}, and a server with
 * another certificate is refused before it sees anything of the client, its token least of all.
 */
@SuppressWarnings("resource") // the fixtures close what they open
class TlsPinningTest {

    @TempDir
    Path home;

    @TempDir
    Path scratch;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static String run(int expectedStatus, Path home, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), home);
        assertEquals(expectedStatus, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theIdentityIsKeptAcrossRestartsOwnerOnlyAndRotationChangesTheFingerprint() throws Exception {
        TestGateway first = gateways.in(home);
        first.start(new ScriptedAgent());
        String fingerprint = first.gateway.fingerprint();
        assertTrue(Fingerprints.isValid(fingerprint), fingerprint);
        Path identity = new GatewayHome(home).tlsIdentity();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)));
        String status = run(0, home, "status", "--home", home.toString());
        assertTrue(status.contains("running (pid ") && status.contains("certificate fingerprint: " + fingerprint), status);
        // refused while the gateway runs: it would go on with the old key
        run(75, home, "rotate-certificate", "--home", home.toString());
        first.close();

        TestGateway second = gateways.in(home);
        second.start(new ScriptedAgent());
        assertEquals(fingerprint, second.gateway.fingerprint(), "a restart keeps the key");
        second.close();

        String rotated = run(0, home, "rotate-certificate", "--home", home.toString());
        String now = TlsIdentity.load(identity).fingerprint();
        assertNotEquals(fingerprint, now);
        assertTrue(rotated.contains(fingerprint + " -> " + now), rotated);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)));
        String stopped = run(3, home, "status", "--home", home.toString());
        assertTrue(stopped.contains("not running") && stopped.contains(now), stopped);

        TestGateway third = gateways.in(home);
        third.start(new ScriptedAgent());
        assertEquals(now, third.gateway.fingerprint());
    }

    @Test
    void aPlantedLinkOrAnIdentityOthersCanReadIsRefused() throws Exception {
        Path identity = new GatewayHome(home).tlsIdentity();
        Path elsewhere = Files.writeString(scratch.resolve("planted.pem"), "");
        Files.createSymbolicLink(identity, elsewhere);
        assertThrows(Exception.class, () -> gateways.in(home).start(new ScriptedAgent()));
        assertEquals("", Files.readString(elsewhere), "nothing was written through the link");
        Files.delete(identity);
        TlsIdentity.rotate(identity, "desk");
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r--r--"));
        Exception e = assertThrows(Exception.class, () -> TlsIdentity.load(identity));
        assertTrue(e.getMessage().contains("chmod"), e.getMessage());
    }

    /**
     * Starts a gateway on the wildcard address: off loopback, so on every address of this machine (loopback too, where
     * the test reaches it), advertising {@value #LAN} as its LAN address.
     */
    private static Gateway startOffLoopback(TestGateway fixture, String... more) throws Exception {
        List<String> options = new ArrayList<>(List.of("--bind", "0.0.0.0"));
        options.addAll(List.of(more));
        fixture.gateway = Gateway.start(fixture.options(options.toArray(String[]::new)), new ScriptedAgent(),
                () -> "desk-host", () -> LAN, Clock.systemUTC(), Gateway.PRESENCE_REFRESH);
        return fixture.gateway;
    }

    private static final String LAN = "192.0.2.7";

    @Test
    void offLoopbackTheGatewaySpeaksWssOnlyAndAPinnedClientAttaches() throws Exception {
        TestGateway fixture = gateways.in(home);
        Gateway gateway = startOffLoopback(fixture);
        String endpoint = "wss://127.0.0.1:" + gateway.port() + "/api/ws";
        assertEquals(endpoint, gateway.localEndpoint());
        String advertised = "wss://" + LAN + ":" + gateway.port() + "/api/ws";
        assertEquals(advertised, gateway.advertisedEndpoint());
        assertTrue(Files.readString(new GatewayHome(home).runningFile()).contains("\"fingerprint\":\"" + gateway.fingerprint()));
        String pairing = run(0, home, "pair", "--owner-token", "--home", home.toString()).strip();
        assertEquals(advertised + " " + gateway.token() + " fp=" + gateway.fingerprint(), pairing);

        // plain ws:// to a TLS-only port: no WebSocket
        assertThrows(Exception.class, () -> RawWebSocket.connect("ws://127.0.0.1:" + gateway.port() + "/api/ws",
                Map.of("Authorization", "Bearer " + gateway.token())).close());

        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(Pairing.parse(endpoint + " " + gateway.token() + " fp=" + gateway.fingerprint()));
        StandaloneGatewayConnector client = fixture.track(GatewayConnectors.standalone(tokens, "laptop",
                ConnectorExtension.fastBackoff()));
        AttachedSession session = await(client.createSession(endpoint, "over TLS"));
        GatewayConnection connection = session.connection();
        assertFalse(connection.ready().orElseThrow().insecurePlaintext());
        await(connection.ping());
        // the session's presence record carries the fingerprint
        Await.until("the presence record", WAIT, () -> presence(gateway).stream()
                .anyMatch(r -> r.fingerprint().equals(gateway.fingerprint()) && r.endpoint().equals(advertised)));

        // the same gateway paired without its fingerprint: not dialled
        InMemoryTokenStore unpinned = new InMemoryTokenStore();
        unpinned.put(endpoint, gateway.token());
        StandaloneGatewayConnector careless = fixture.track(GatewayConnectors.standalone(unpinned, "tablet",
                ConnectorExtension.fastBackoff()));
        GatewayException refused = failure(careless.ensureGatewayForEndpoint(endpoint));
        assertEquals(GatewayException.Kind.NOT_PAIRED, refused.kind(), refused.getMessage());
        assertTrue(refused.getMessage().contains("fingerprint"), refused.getMessage());
        assertFalse(refused.getMessage().contains(gateway.token()));
    }

    private static List<PresenceRecord> presence(Gateway gateway) {
        try {
            return new PresenceFolder(gateway.presenceDir()).scan().records();
        } catch (Exception e) {
            return List.of();
        }
    }

    @Test
    void insecurePlaintextOffLoopbackWarnsAtStartAndInTheReadyFrame() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            TestGateway fixture = gateways.in(home);
            startOffLoopback(fixture, "--insecure-plaintext");
            String endpoint = "ws://127.0.0.1:" + fixture.gateway.port() + "/api/ws";
            assertEquals(endpoint, fixture.gateway.localEndpoint());
            assertEquals("ws://" + LAN + ":" + fixture.gateway.port() + "/api/ws", fixture.gateway.advertisedEndpoint());
            assertEquals(1, log.warnings("--insecure-plaintext: listening on 0.0.0.0 in plain ws://").size(), log.text());
            StandaloneGatewayConnector client = fixture.client("laptop");
            GatewayEvent.GatewayReady ready = await(client.ensureGatewayForEndpoint(endpoint).thenApply(
                    c -> c.ready().orElseThrow()));
            assertTrue(ready.insecurePlaintext());
            assertFalse(log.text().contains(fixture.gateway.token()), "no token in the log");
            fixture.close();
            startOffLoopback(gateways.in(home), "--insecure-plaintext");
            assertEquals(2, log.warnings("--insecure-plaintext: listening on 0.0.0.0 in plain ws://").size(),
                    "at every start: " + log.text());
        }
    }

    @Test
    void aServerWithAnotherCertificateIsRefusedBeforeItSeesTheToken() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new ScriptedAgent());
        String pinned = fixture.gateway.fingerprint();
        String token = fixture.gateway.token();
        try (TlsImpostor impostor = TlsImpostor.start(scratch)) {
            InMemoryTokenStore tokens = new InMemoryTokenStore();
            tokens.put(impostor.endpoint(), token, false, pinned); // paired with the real gateway, reached at the impostor
            StandaloneGatewayConnector client = fixture.track(GatewayConnectors.standalone(tokens, "laptop",
                    ConnectorExtension.fastBackoff()));
            GatewayException refused = failure(client.ensureGatewayForEndpoint(impostor.endpoint()));
            assertEquals(GatewayException.Kind.CERTIFICATE_CHANGED, refused.kind(), refused.getMessage());
            assertEquals(pinned, refused.pinned());
            assertEquals(impostor.fingerprint(), refused.shown());
            String message = refused.getMessage();
            assertTrue(message.contains("has changed") && message.contains("it was " + pinned)
                    && message.contains("now shows " + impostor.fingerprint()) && message.contains("gateway pair"), message);
            assertFalse(message.contains(token), "no token in the message");
            assertEquals(List.of(), impostor.received(), "the impostor was sent no request, so no token");

            // the control: pinned to the impostor's own key, the dial gets through, and the impostor sees the token
            InMemoryTokenStore fooled = new InMemoryTokenStore();
            fooled.put(impostor.endpoint(), token, false, impostor.fingerprint());
            StandaloneGatewayConnector other = fixture.track(GatewayConnectors.standalone(fooled, "tablet",
                    ConnectorExtension.fastBackoff()));
            failure(other.ensureGatewayForEndpoint(impostor.endpoint()));
            assertTrue(impostor.received().stream().anyMatch(r -> r.contains("Authorization: Bearer " + token)),
                    impostor.received().toString());
        }
    }
}
