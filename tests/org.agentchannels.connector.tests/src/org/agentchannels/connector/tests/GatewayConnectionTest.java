package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.LocalSession;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.tests.support.ScriptedGateway.RpcError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.gson.JsonObject;

/** One connection against a scripted peer: readiness, correlation, errors, timeouts, auth. */
@SuppressWarnings("resource") // the fixture closes what it tracks
class GatewayConnectionTest {

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    @Test
    void connectsAndCompletesWithTheReadyFrame() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desk").start());
        StandaloneGatewayConnector connector = fixture.connector("");
        GatewayConnection c = await(connector.connectLocal(gw.endpoint()));
        assertTrue(c.state().isConnected());
        assertEquals("desk", c.ready().orElseThrow().deviceName());
    }

    @Test
    void correlatesAnswersByIdWhenTheyArriveOutOfOrder() throws Exception {
        List<Frame.Request> held = new CopyOnWriteArrayList<>();
        List<ScriptedGateway.Peer> peers = new CopyOnWriteArrayList<>();
        ScriptedGateway gw = fixture.track(new ScriptedGateway().handle("slow", (peer, r) -> {
            held.add(r);
            peers.add(peer);
            return null; // answered later
        }).handle("fast", (peer, r) -> ScriptedGateway.object("which", "fast")).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        CompletableFuture<JsonObject> slow = c.request("slow", new JsonObject());
        Await.until("the slow call to arrive", WAIT, () -> held.size() == 1);
        JsonObject fast = await(c.request("fast", new JsonObject()));
        assertEquals("fast", fast.get("which").getAsString());
        assertFalse(slow.isDone());
        peers.get(0).respond(held.get(0).id(), ScriptedGateway.object("which", "slow"));
        assertEquals("slow", await(slow).get("which").getAsString());
    }

    @Test
    void anErrorAnswerCarriesTheGatewaysCode() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().handle("prompt.submit", (peer, r) -> {
            throw new RpcError(4009, "session busy");
        }).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        GatewayException e = failure(c.request("prompt.submit", new JsonObject()));
        assertEquals(GatewayException.Kind.RPC_ERROR, e.kind());
        assertEquals(4009, e.code());
        assertEquals("session busy", e.getMessage());
        GatewayException unknown = failure(c.request("no.such.method", new JsonObject()));
        assertEquals(-32601, unknown.code());
    }

    @Test
    void aCallWithoutAnswerTimesOutAndTheConnectionGoesOn() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().handle("never", (peer, r) -> null).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        GatewayException e = failure(c.request("never", new JsonObject(), Duration.ofMillis(200)));
        assertEquals(GatewayException.Kind.TIMEOUT, e.kind());
        assertTrue(await(c.request("gateway.ping", new JsonObject())).get("ok").getAsBoolean());
    }

    @Test
    void malformedFramesFromThePeerAreSkipped() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().handle("echo", (peer, r) -> {
            peer.send("this is not json");
            peer.send("{\"jsonrpc\":\"2.0\",\"id\":");
            peer.send("[1,2,3]");
            return ScriptedGateway.object("ok", true);
        }).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        assertTrue(await(c.request("echo", new JsonObject())).get("ok").getAsBoolean());
        assertTrue(c.state().isConnected());
    }

    @Test
    void sendsTheTokenInTheHeaderOnlyNeverInTheUrl() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().token("s3cret-token").start());
        fixture.tokens.put(gw.endpoint(), "s3cret-token");
        GatewayConnection c = await(fixture.connector("").ensureGatewayForEndpoint(gw.endpoint()));
        assertTrue(c.state().isConnected());
        assertEquals("Bearer s3cret-token", gw.authorizations().get(0));
        assertEquals("", gw.peers().get(0).queryToken());
    }

    @Test
    void aGatewayPairedAsHermesGetsTheTokenInTheUrlOnly() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().token("s3cret-token").start());
        fixture.tokens.put(gw.endpoint(), "s3cret-token", true);
        GatewayConnection c = await(fixture.connector("").ensureGatewayForEndpoint(gw.endpoint()));
        assertTrue(c.state().isConnected());
        assertEquals("s3cret-token", gw.peers().get(0).queryToken());
        assertEquals("", gw.authorizations().get(0));
    }

    @Test
    void aServerSquattingOnADeadGatewaysPortGetsNoTokenInItsUrlOnTheRedial() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().token("s3cret-token").start());
        int port = gw.port();
        fixture.tokens.put(gw.endpoint(), "s3cret-token");
        GatewayConnection c = await(fixture.connector("").ensureGatewayForEndpoint(gw.endpoint()));
        gw.close(); // the gateway dies; something else takes its port before the client redials
        ScriptedGateway squatter = fixture.track(new ScriptedGateway().start(port));
        Await.until("the redial to reach the squatter", WAIT, () -> !squatter.authorizations().isEmpty());
        Await.until("the squatter to hold the connection", WAIT, () -> !squatter.peers().isEmpty());
        assertEquals("", squatter.peers().get(0).queryToken(), "no token in a URL the squatter may log");
        Await.until("the connection to be back", WAIT, () -> c.state().isConnected());
    }

    @Test
    void aRefusedTokenFailsWithUnauthorizedAndNeverShowsTheToken() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().token("right-token").start());
        fixture.tokens.put(gw.endpoint(), "wrong-token");
        StandaloneGatewayConnector connector = fixture.connector("");
        GatewayException e = failure(connector.ensureGatewayForEndpoint(gw.endpoint()));
        assertEquals(GatewayException.Kind.UNAUTHORIZED, e.kind());
        assertFalse(e.getMessage().contains("wrong-token"), e.getMessage());
        GatewayConnection c = connector.connections().get(0);
        ConnectionState.Failed failed = assertInstanceOf(ConnectionState.Failed.class, c.state());
        assertFalse(failed.reason().contains("wrong-token"));
        assertFalse(c.toString().contains("wrong-token"));
    }

    @Test
    void anUnreachableGatewayFailsWithAReadableReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        fixture.tokens.put("ws://127.0.0.1:" + port + "/api/ws", "tok-abc");
        GatewayException e = failure(fixture.connector("").ensureGatewayForEndpoint("ws://127.0.0.1:" + port + "/api/ws"));
        assertEquals(GatewayException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertFalse(e.getMessage().contains("tok-abc"));
        GatewayException bad = failure(fixture.connector("").ensureGatewayForEndpoint("http://nowhere"));
        assertEquals(GatewayException.Kind.BAD_ENDPOINT, bad.kind());
    }

    @Test
    void pingsOnlyWhenTheGatewayAdvertisesAHeartbeat() throws Exception {
        Duration fast = Duration.ofMillis(50);
        ScriptedGateway quiet = fixture.track(new ScriptedGateway().start());
        GatewayConnection c = await(fixture.connector("", fast).connectLocal(quiet.endpoint()));
        assertFalse(c.ready().orElseThrow().heartbeat());
        ScriptedGateway beating = fixture.track(new ScriptedGateway()
                .ready(new GatewayEvent.GatewayReady("", true, false, false, false, "e1")).start());
        GatewayConnection b = await(fixture.connector("", fast).connectLocal(beating.endpoint()));
        assertTrue(b.ready().orElseThrow().heartbeat());
        Await.until("three pings", WAIT, () -> beating.requests("gateway.ping").size() >= 3);
        assertTrue(quiet.requests("gateway.ping").isEmpty());
    }

    @Test
    void theTypedCallsReadTheGatewaysListsAndPresence() throws Exception {
        SessionSummary stored = SessionSummary.stored("k1", "Fix", "hi", 1780300000, 2, "tui");
        SessionSummary live = new SessionSummary("r1", "k1", "Fix", "hi", "m", "working", 1780300000, 2, "", 1780300100,
                false);
        SessionSummary fresh = new SessionSummary("r2", "", "", "", "m", "idle", 1780300200, 0, "", 1780300200, false);
        PresenceRecord record = new PresenceRecord(1, "r9", "k9", "idle", "Elsewhere", "m", "", "tui_gateway", "tui",
                "default", "ws://192.0.2.10:8664/api/ws", "desk", 42, "desk-42", 1780300000, 1780300090, 3);
        ScriptedGateway gw = fixture.track(new ScriptedGateway()
                .handle("session.list", (peer, r) -> SessionSummary.listToJson(List.of(stored)))
                .handle("session.active_list", (peer, r) -> SessionSummary.listToJson(List.of(live, fresh)))
                .handle("session.presence_list", (peer, r) -> {
                    JsonObject result = new JsonObject();
                    com.google.gson.JsonArray sessions = new com.google.gson.JsonArray();
                    sessions.add(record.toJson());
                    sessions.add("not a record");
                    result.add("sessions", sessions);
                    return result;
                }).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        assertEquals(List.of(new LocalSession(stored, live), new LocalSession(null, fresh)), await(c.sessions()));
        assertEquals(List.of(record), await(c.presence()));
        assertEquals(200, gw.requests("session.list").get(0).params().get("limit").getAsInt());
    }
}
