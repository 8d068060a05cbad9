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
import org.agentchannels.connector.internal.RawGatewayCalls;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.LocalSession;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.SessionHistory;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TitleResult;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.tests.support.ScriptedGateway.RpcError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.gson.JsonObject;

/**
 * One connection against a scripted peer: readiness, correlation, errors, timeouts, auth. The correlation tests
 * call methods of their own through the connection's raw call ({@link RawGatewayCalls}, internal).
 */
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

    private static RawGatewayCalls raw(GatewayConnection c) {
        return (RawGatewayCalls) c;
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
        CompletableFuture<JsonObject> slow = raw(c).request("slow", new JsonObject());
        Await.until("the slow call to arrive", WAIT, () -> held.size() == 1);
        JsonObject fast = await(raw(c).request("fast", new JsonObject()));
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
        GatewayException e = failure(c.submitPrompt("s1", "hi", "", "", GatewayConnection.DEFAULT_TIMEOUT));
        assertEquals(GatewayException.Kind.RPC_ERROR, e.kind());
        assertEquals(4009, e.code());
        assertEquals("session busy", e.getMessage());
        GatewayException unknown = failure(raw(c).request("no.such.method", new JsonObject()));
        assertEquals(-32601, unknown.code());
    }

    @Test
    void aCallWithoutAnswerTimesOutAndTheConnectionGoesOn() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().handle("never", (peer, r) -> null).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        GatewayException e = failure(raw(c).request("never", new JsonObject(), Duration.ofMillis(200)));
        assertEquals(GatewayException.Kind.TIMEOUT, e.kind());
        assertTrue(await(c.ping()).ok());
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
        assertTrue(await(raw(c).request("echo", new JsonObject())).get("ok").getAsBoolean());
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

    @Test
    void theTypedSessionCallsWriteCoresParamsAndReadCoresRecords() throws Exception {
        FrameCodec codec = new FrameCodec();
        SessionSnapshot snapshot = new SessionSnapshot("a1b2c3d4", "20260601_101500_abc123", "", "m", 0,
                List.of(TranscriptRow.user("seeded", "")), 1, false, "idle", "", "", 7, null, List.of(), List.of());
        SessionHistory history = new SessionHistory(List.of(TranscriptRow.user("hi", "laptop"),
                TranscriptRow.assistant("Hello", "", "complete")));
        List<Participant> roster = List.of(new Participant("laptop", 2), new Participant("phone", 1));
        ScriptedGateway gw = fixture.track(new ScriptedGateway()
                .handle(Methods.SESSION_CREATE, (peer, r) -> snapshot.toJson(codec))
                .handle(Methods.SESSION_ACTIVATE, (peer, r) -> snapshot.toJson(codec))
                .handle(Methods.SESSION_RESUME, (peer, r) -> snapshot.toJson(codec))
                .handle(Methods.SESSION_HISTORY, (peer, r) -> history.toJson())
                .handle(Methods.SESSION_PARTICIPANTS, (peer, r) -> Participant.toJson(roster))
                .handle(Methods.SESSION_TITLE, (peer, r) -> new TitleResult(
                        r.params().has("title") ? Json.text(r.params(), "title") : "Old", "k1").toJson())
                .handle(Methods.PROMPT_SUBMIT, (peer, r) -> PromptResult.queued(2).toJson())
                .handle(Methods.SESSION_INTERRUPT, (peer, r) -> Acknowledgement.interrupted().toJson())
                .handle(Methods.SESSION_CLOSE, (peer, r) -> Acknowledgement.closedSession().toJson())
                .handle(Methods.CLARIFY_RESPOND, (peer, r) -> Acknowledgement.answered().toJson()).start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));

        assertEquals(snapshot, await(c.createSession("Plan", List.of(TranscriptRow.user("seeded", "")))));
        JsonObject create = gw.requests(Methods.SESSION_CREATE).get(0).params();
        assertEquals("Plan", Json.text(create, "title"));
        assertEquals(List.of(TranscriptRow.user("seeded", "")), TranscriptRow.listFrom(create));
        assertEquals(snapshot, await(c.activate("a1b2c3d4", "laptop", 5)));
        assertEquals(Methods.sessionActivate("a1b2c3d4", "laptop", 5), gw.requests(Methods.SESSION_ACTIVATE).get(0).params());
        assertEquals(snapshot, await(c.resume("20260601_101500_abc123", "", -1)));
        assertEquals(Methods.sessionResume("20260601_101500_abc123", "", -1), gw.requests(Methods.SESSION_RESUME).get(0).params());
        assertEquals(history, await(c.history("a1b2c3d4")));
        assertEquals(roster, await(c.participants("a1b2c3d4")));
        assertEquals(new TitleResult("Old", "k1"), await(c.title("a1b2c3d4")));
        assertEquals(new TitleResult("New", "k1"), await(c.setTitle("a1b2c3d4", "New")));
        assertEquals("New", Json.text(gw.requests(Methods.SESSION_TITLE).get(1).params(), "title"));
        assertEquals(PromptResult.queued(2), await(c.submitPrompt("a1b2c3d4", "go", "laptop", "sub-1", Duration.ofSeconds(20))));
        assertEquals(Methods.promptSubmit("a1b2c3d4", "go", "laptop", "sub-1"), gw.requests(Methods.PROMPT_SUBMIT).get(0).params());
        assertEquals(Acknowledgement.interrupted(), await(c.interrupt("a1b2c3d4")));
        assertEquals(Acknowledgement.closedSession(), await(c.closeSession("a1b2c3d4")));
        for (String method : List.of(Methods.SESSION_HISTORY, Methods.SESSION_PARTICIPANTS, Methods.SESSION_INTERRUPT,
                Methods.SESSION_CLOSE)) {
            assertEquals(Methods.sessionOnly("a1b2c3d4"), gw.requests(method).get(0).params(), method);
        }
        // a June-line blocking prompt is answered with its *.respond call
        InputRequest question = new InputRequest(InputRequest.Kind.CLARIFY, "a1b2c3d4", "q1", "Which?", List.of(), false, null);
        await(c.answer(question, "main"));
        assertEquals(Methods.respondParams(question, "main"), gw.requests(Methods.CLARIFY_RESPOND).get(0).params());
        assertTrue(gw.answers().isEmpty());
    }
}
