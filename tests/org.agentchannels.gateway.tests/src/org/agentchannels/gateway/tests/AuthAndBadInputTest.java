package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.RawWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Who may connect, and what bad input does (nothing, to anyone else). */
@SuppressWarnings("resource") // the fixture closes what it opens
class AuthAndBadInputTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;
    private final FrameCodec codec = new FrameCodec();

    @BeforeEach
    void setUp() throws Exception {
        fixture = gateways.in(home);
        fixture.start(new ScriptedAgent());
    }

    private RawWebSocket raw(String query, Map<String, String> headers) throws Exception {
        RawWebSocket s = RawWebSocket.connect(fixture.gateway.localEndpoint() + query, headers);
        fixture.track(s);
        return s;
    }

    private String bearer() {
        return "Bearer " + fixture.gateway.token();
    }

    @Test
    void aGeneratedTokenIsKeptForItsOwnerOnlyAndSurvivesARestart() throws Exception {
        Path file = home.resolve("token");
        assertTrue(Files.isRegularFile(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        String token = fixture.gateway.token();
        assertTrue(token.length() >= 32);
        fixture.gateway.close();
        assertEquals(token, fixture.start(new ScriptedAgent()).token());
    }

    @Test
    void aMissingOrWrongTokenIsClosedWith4401() throws Exception {
        assertEquals(4401, raw("", Map.of()).awaitClose(WAIT));
        assertEquals(4401, raw("?token=wrong-token-123456", Map.of()).awaitClose(WAIT));
        assertEquals(4401, raw("", Map.of("Authorization", "Bearer wrong-token-123456")).awaitClose(WAIT));
        // the connector says so without the token
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(fixture.gateway.localEndpoint(), "wrong-token-123456");
        StandaloneGatewayConnector client = GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff());
        fixture.track(client);
        GatewayException e = failure(client.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        assertEquals(GatewayException.Kind.UNAUTHORIZED, e.kind());
        assertFalse(e.getMessage().contains("wrong-token-123456"));
    }

    @Test
    void theTokenIsAcceptedAsBearerHeaderOrQueryParameter() throws Exception {
        RawWebSocket header = raw("", Map.of("Authorization", bearer()));
        Await.until("gateway.ready", WAIT, () -> !header.received().isEmpty());
        assertTrue(header.received().get(0).contains("gateway.ready"));
        RawWebSocket query = raw("?token=" + URLEncoder.encode(fixture.gateway.token(), StandardCharsets.UTF_8), Map.of());
        Await.until("gateway.ready", WAIT, () -> !query.received().isEmpty());
    }

    @Test
    void aForeignOriginOrHostIsClosedWith4403() throws Exception {
        assertEquals(4403, raw("", Map.of("Authorization", bearer(), "Origin", "http://evil.example")).awaitClose(WAIT));
        assertEquals(4403, raw("", Map.of("Authorization", bearer(), "Host", "rebound.example:" + fixture.gateway.port()))
                .awaitClose(WAIT));
        RawWebSocket sameOrigin = raw("", Map.of("Authorization", bearer(), "Origin", "http://localhost:1234"));
        Await.until("gateway.ready", WAIT, () -> !sameOrigin.received().isEmpty());
        // a non-web origin is a page or an extension too: our clients send no Origin at all
        assertEquals(4403, raw("", Map.of("Authorization", bearer(), "Origin", "app://desktop")).awaitClose(WAIT));
    }

    @Test
    void theHostOfTheAdvertisedEndpointIsAcceptedForAGatewayBehindATunnel() throws Exception {
        fixture.gateway.close();
        fixture.start(new ScriptedAgent(), "--advertise", "ws://desk.example:8664/api/ws");
        RawWebSocket tunnelled = raw("", Map.of("Authorization", bearer(), "Host", "desk.example:8664"));
        Await.until("gateway.ready", WAIT, () -> !tunnelled.received().isEmpty());
        assertEquals(4403, raw("", Map.of("Authorization", bearer(), "Host", "other.example:8664")).awaitClose(WAIT));
    }

    @Test
    void malformedFramesGetJsonRpcErrorsAndTheConnectionGoesOn() throws Exception {
        RawWebSocket s = raw("", Map.of("Authorization", bearer()));
        Await.until("gateway.ready", WAIT, () -> s.received().size() == 1);
        s.send("this is not json");
        s.send("[1,2,3]");
        s.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"no.such\",\"params\":{}}");
        s.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"gateway.ping\"}\n");
        Await.until("four answers", WAIT, () -> s.received().size() == 5);
        Frame.Failure parse = (Frame.Failure) codec.decode(s.received().get(1));
        assertEquals(-32700, parse.code());
        assertTrue(parse.id().isJsonNull());
        assertEquals(-32600, ((Frame.Failure) codec.decode(s.received().get(2))).code());
        assertEquals(-32601, ((Frame.Failure) codec.decode(s.received().get(3))).code());
        assertTrue(((Frame.Response) codec.decode(s.received().get(4))).resultObject().get("ok").getAsBoolean());
    }

    @Test
    void aFrameOver8MiBClosesThatConnectionWith1009AndNobodyElseNotices() throws Exception {
        StandaloneGatewayConnector client = fixture.client("laptop");
        GatewayConnection other = await(client.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        String id = await(other.createSession("", List.of())).sessionId();
        RawWebSocket s = raw("", Map.of("Authorization", bearer()));
        Await.until("gateway.ready", WAIT, () -> s.received().size() == 1);
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompt.submit\",\"params\":{\"session_id\":\"" + id
                + "\",\"text\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}}";
        try {
            s.send(huge);
        } catch (Exception e) {
            // the server may close before the whole frame is written
        }
        assertEquals(1009, s.awaitClose(WAIT));
        assertEquals(List.of(), await(other.history(id)).messages());
        assertTrue(other.state().isConnected());
    }

    @Test
    void pairPrintsTheEndpointAndTokenOfTheRunningGateway() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int status = GatewayMain.run(new String[] { "pair", "--owner-token", "--home", home.toString() },
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err, home);
        assertEquals(0, status);
        List<String> parts = List.of(out.toString(StandardCharsets.UTF_8).strip().split(" "));
        assertEquals(List.of(fixture.gateway.localEndpoint(), fixture.gateway.token(), "fp=" + fixture.gateway.fingerprint()),
                parts);
        assertTrue(Files.isRegularFile(home.resolve(Gateway.RUNNING_FILE)));
        fixture.gateway.close();
        assertFalse(Files.exists(home.resolve(Gateway.RUNNING_FILE)));
    }
}
