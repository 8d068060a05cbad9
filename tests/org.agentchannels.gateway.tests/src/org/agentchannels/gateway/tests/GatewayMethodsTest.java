package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.RawWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Every method of the gateway and its errors, through the project's own connector's typed calls; what those
 * never send (missing ids, wrong types, unknown methods, Hermes' older seed field) goes over a bare socket.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class GatewayMethodsTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;
    private final ScriptedAgent agent = new ScriptedAgent();

    @BeforeEach
    void setUp() {
        fixture = gateways.in(home);
    }

    private GatewayConnection connect(String device) throws Exception {
        StandaloneGatewayConnector c = fixture.client(device);
        return await(c.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
    }

    private static JsonObject params(String... keyValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            o.addProperty(keyValues[i], keyValues[i + 1]);
        }
        return o;
    }

    @Test
    void readyNamesTheDeviceAndAnnouncesTheAdditions() throws Exception {
        fixture.start(agent);
        GatewayEvent.GatewayReady ready = connect("laptop").ready().orElseThrow();
        assertEquals("desktop", ready.deviceName());
        assertTrue(ready.heartbeat() && ready.eventSeq() && ready.submissionIds() && ready.queuesPrompts());
        assertFalse(ready.replayEpoch().isEmpty());
        assertTrue(await(connect("laptop").ping()).ok());
    }

    @Test
    void aHostNameResolverFailureGivesAnEmptyNameAndNeverBreaksTheHandshake() throws Exception {
        fixture.gateway = org.agentchannels.gateway.Gateway.start(
                org.agentchannels.gateway.GatewayOptions.parse(List.of("--port", "0"), home), agent,
                () -> {
                    throw new IllegalStateException("resolver down");
                }, java.time.Clock.systemUTC());
        assertEquals("", connect("laptop").ready().orElseThrow().deviceName());
    }

    @Test
    void createListsAndResumesByStoredIdAndByTitle() throws Exception {
        fixture.start(agent);
        GatewayConnection c = connect("laptop");
        // Hermes' older seed field, "content", which the typed call never writes
        JsonObject seed = params("title", "Plan the release");
        JsonArray messages = new JsonArray();
        messages.add(JsonParser.parseString("{\"role\":\"user\",\"content\":\"seeded\"}"));
        seed.add("messages", messages);
        JsonObject created = await(fixture.raw().call("session.create", seed));
        String runtimeId = Json.text(created, "session_id");
        String storedId = Json.text(created, "stored_session_id");
        assertTrue(runtimeId.matches("[0-9a-f]{8}"), runtimeId);
        assertTrue(storedId.matches("\\d{8}_\\d{6}_[0-9a-f]{6}"), storedId);
        assertEquals(1, created.getAsJsonArray("messages").size());

        List<SessionSummary> stored = await(c.storedSessions(200));
        assertEquals(storedId, stored.get(0).id());
        assertEquals("Plan the release", stored.get(0).title());
        assertEquals("seeded", stored.get(0).preview());
        List<SessionSummary> live = await(c.liveSessions());
        assertEquals(runtimeId, live.get(0).id());
        assertEquals(storedId, live.get(0).sessionKey());
        assertEquals("idle", live.get(0).status());

        SessionSnapshot byKey = await(c.resume(storedId, "phone", -1));
        assertEquals(runtimeId, byKey.sessionId()); // live: the same session, attached
        SessionSnapshot byTitle = await(c.resume("Plan the release", "", -1));
        assertEquals(runtimeId, byTitle.sessionId());
        SessionSnapshot activated = await(c.activate(runtimeId, "", -1));
        assertEquals(storedId, activated.sessionKey());

        // the typed call seeds with the rows' own field
        SessionSnapshot typed = await(c.createSession("Typed", List.of(TranscriptRow.user("typed seed", ""))));
        assertEquals(List.of("typed seed"), typed.messages().stream().map(TranscriptRow::text).toList());
        assertTrue(await(c.storedSessions(200)).stream()
                .anyMatch(x -> x.id().equals(typed.sessionKey()) && x.title().equals("Typed") && x.preview().equals("typed seed")));
    }

    @Test
    void unknownSessionsAndMissingIdsHaveTheirCodes() throws Exception {
        fixture.start(agent);
        GatewayConnection c = connect("laptop");
        RawWebSocket raw = fixture.raw();
        assertEquals(4001, failure(c.activate("ffffffff", "", -1)).code());
        assertEquals(4007, failure(c.resume("20200101_000000_000000", "", -1)).code());
        assertEquals(4006, failure(raw.call("session.activate", new JsonObject())).code());
        assertEquals(4001, failure(c.submitPrompt("ffffffff", "hi", "", "", WAIT)).code());
        assertEquals(4001, failure(c.history("ffffffff")).code());
        assertEquals(-32601, failure(raw.call("session.frobnicate", new JsonObject())).code());
        String id = await(c.createSession("", List.of())).sessionId();
        assertEquals(4002, failure(c.submitPrompt(id, "  ", "", "", WAIT)).code());
        assertEquals(4009, failure(c.answer(new InputRequest(InputRequest.Kind.CLARIFY, id, "nope", "", List.of(), false,
                null), "x")).code());
        assertEquals(4009, failure(c.answer(new InputRequest(InputRequest.Kind.APPROVAL, id, "", "", List.of(), false,
                null), "once")).code());
        assertEquals(4002, failure(raw.call("approval.respond", params("session_id", id))).code());
    }

    @Test
    void aTurnStreamsToTheModelAndIsStoredWithItsSender() throws Exception {
        fixture.start(agent);
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        GatewayConnection c = await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        String id = await(c.createSession("t", List.of())).sessionId();
        AttachedSession s = await(laptop.attach(fixture.gateway.localEndpoint(), id, ""));
        assertEquals("streaming", await(s.submit("hello there")));
        ScriptedAgent.ScriptedTurn turn = agent.next();
        assertEquals("laptop", turn.request.senderDevice());
        turn.say("Hi ", "from ", "the desktop");
        Await.until("the deltas", WAIT, () -> s.model().streamingText().equals("Hi from the desktop"));
        assertEquals(SessionActivity.WORKING, s.model().activity());
        turn.finish();
        Await.until("the end of the turn", WAIT, () -> s.model().activity() == SessionActivity.IDLE);
        List<TranscriptRow> expected = List.of(TranscriptRow.user("hello there", "laptop"),
                TranscriptRow.assistant("Hi from the desktop", "", "complete"));
        assertEquals(expected, s.model().rows());
        List<TranscriptRow> history = await(c.history(id)).messages();
        assertEquals(2, history.size());
        assertEquals("laptop", history.get(0).senderDevice());
    }

    @Test
    void senderDevicesAreSanitisedAndAbsentOnesAreTheGatewaysOwn() throws Exception {
        fixture.start(new EchoAgent("desktop", 0));
        GatewayConnection c = connect("laptop");
        RawWebSocket raw = fixture.raw();
        String id = await(c.createSession("", List.of())).sessionId();
        await(c.submitPrompt(id, "one", "  my\n\n  laptop   " + "x".repeat(100), "", WAIT));
        JsonObject numeric = params("session_id", id, "text", "two");
        numeric.addProperty("sender_device", 42);
        await(raw.call("prompt.submit", numeric));
        await(c.submitPrompt(id, "three", "", "", WAIT));
        // read as the gateway wrote them: the connector's reading would sanitise the names again
        Await.until("three turns", WAIT, () -> history(raw, id).size() == 6);
        List<JsonObject> rows = history(raw, id);
        String first = Json.text(rows.get(0), "sender_device");
        assertTrue(first.startsWith("my laptop x"), first);
        assertEquals(80, first.length());
        assertEquals("desktop", Json.text(rows.get(2), "sender_device"));
        assertEquals("desktop", Json.text(rows.get(4), "sender_device"));
        assertEquals("Echo from desktop: one", Json.text(rows.get(1), "text"));
    }

    private static List<JsonObject> history(RawWebSocket raw, String id) {
        try {
            return Json.objects(await(raw.call("session.history", params("session_id", id))), "messages");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<TranscriptRow> history(GatewayConnection c, String id) {
        try {
            return await(c.history(id)).messages();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void promptsDuringATurnAreQueuedInOrderAndARepeatedSubmissionRunsOnce() throws Exception {
        fixture.start(agent);
        GatewayConnection c = connect("laptop");
        String id = await(c.createSession("", List.of())).sessionId();
        assertEquals("streaming", await(c.submitPrompt(id, "first", "", "s-1", WAIT)).status());
        ScriptedAgent.ScriptedTurn first = agent.next();
        assertEquals(PromptResult.queued(1), await(c.submitPrompt(id, "second", "", "s-2", WAIT)));
        assertEquals(PromptResult.queued(2), await(c.submitPrompt(id, "third", "", "s-3", WAIT)));
        PromptResult again = await(c.submitPrompt(id, "second", "", "s-2", WAIT));
        assertTrue(again.duplicate());
        first.finish();
        ScriptedAgent.ScriptedTurn second = agent.next();
        assertEquals("second", second.request.prompt());
        second.finish();
        ScriptedAgent.ScriptedTurn third = agent.next();
        assertEquals("third", third.request.prompt());
        third.finish();
        PromptResult repeatAfter = await(c.submitPrompt(id, "first", "", "s-1", WAIT));
        assertTrue(repeatAfter.duplicate());
        Await.until("six rows", WAIT, () -> history(c, id).size() == 6);
        assertEquals(List.of("first", "", "second", "", "third", ""),
                history(c, id).stream().map(TranscriptRow::text).toList());
    }

    @Test
    void titlesParticipantsInterruptAndClose() throws Exception {
        fixture.start(agent);
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        StandaloneGatewayConnector phone = fixture.client("phone");
        GatewayConnection c = await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        String id = await(c.createSession("", List.of())).sessionId();
        AttachedSession fromLaptop = await(laptop.attach(fixture.gateway.localEndpoint(), id, ""));
        AttachedSession fromPhone = await(phone.attach(fixture.gateway.localEndpoint(), id, ""));
        Await.until("both devices in the roster", WAIT, () -> fromLaptop.model().participants().size() == 2);
        assertEquals("laptop", fromLaptop.model().participants().get(0).device());
        assertEquals("phone", fromLaptop.model().participants().get(1).device());
        assertEquals(List.of("laptop", "phone"), await(c.participants(id)).stream().map(Participant::device).toList());

        assertEquals("Renamed", await(c.setTitle(id, "Renamed")).title());
        Await.until("the title event", WAIT, () -> fromPhone.model().title().equals("Renamed"));
        assertEquals("Renamed", await(c.title(id)).title());

        phone.close();
        Await.until("the phone to leave the roster", WAIT, () -> fromLaptop.model().participants().size() == 1);

        await(fromLaptop.submit("long"));
        ScriptedAgent.ScriptedTurn turn = agent.next();
        turn.say("partial");
        await(fromLaptop.interrupt());
        assertTrue(turn.interrupted);
        Await.until("the interrupted row", WAIT, () -> fromLaptop.model().rows().size() == 2);
        assertEquals("interrupted", fromLaptop.model().rows().get(1).status());
        assertEquals("partial", fromLaptop.model().rows().get(1).text());

        assertTrue(await(c.closeSession(id)).closed());
        assertEquals(4001, failure(c.activate(id, "", -1)).code());
    }

    @Test
    void clarifyAndApprovalRequestsAreShownAndAnsweredFromAnyClient() throws Exception {
        fixture.start(new EchoAgent("desktop", 0));
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        GatewayConnection c = await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        String id = await(c.createSession("", List.of())).sessionId();
        AttachedSession s = await(laptop.attach(fixture.gateway.localEndpoint(), id, ""));
        await(s.submit("/ask Deploy now?"));
        Await.until("the question", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        InputRequest question = s.model().pendingInputs().get(0);
        assertEquals(InputRequest.Kind.CLARIFY, question.kind());
        assertEquals("Deploy now?", question.prompt());
        List<SessionSummary> waiting = await(c.liveSessions());
        assertEquals("waiting", waiting.get(0).status());
        await(s.answer(question, "yes"));
        Await.until("the answer", WAIT, () -> s.model().rows().size() == 2);
        assertEquals("Echo from desktop: /ask Deploy now? (answered: yes)", s.model().rows().get(1).text());

        await(s.submit("/approve rm -rf build"));
        Await.until("the approval", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        InputRequest approval = s.model().pendingInputs().get(0);
        assertEquals(InputRequest.Kind.APPROVAL, approval.kind());
        assertEquals("rm -rf build", approval.prompt().lines().reduce((a, b) -> b).orElse(""));
        // a device attaching now is offered the same request by the snapshot, and can answer it
        StandaloneGatewayConnector phone = fixture.client("phone");
        AttachedSession late = await(phone.attach(fixture.gateway.localEndpoint(), id, ""));
        assertEquals(List.of(approval), late.model().pendingInputs());
        assertEquals(SessionActivity.NEEDS_INPUT, late.model().activity());
        await(s.answer(approval, "once"));
        Await.until("the approved reply", WAIT, () -> s.model().rows().stream()
                .anyMatch(r -> r.text().endsWith("(answered: once)")));
        assertEquals("terminal", s.model().rows().get(3).toolName());
    }

    @Test
    void everyClientSeesEveryEventOfASessionInOneOrder() throws Exception {
        fixture.start(agent);
        int clients = 4;
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        List<AttachedSession> sessions = new CopyOnWriteArrayList<>();
        GatewayConnection first = connect("creator");
        String id = await(first.createSession("", List.of())).sessionId();
        for (int i = 0; i < clients; i++) {
            StandaloneGatewayConnector c = fixture.client("device-" + i);
            GatewayConnection conn = await(c.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
            List<String> events = new CopyOnWriteArrayList<>();
            conn.addListener(new GatewayConnection.Listener() {
                @Override
                public void event(GatewayConnection connection, Frame.Event event) {
                    if (event.type().startsWith("message.")) {
                        events.add(event.seq() + ":" + event.type() + ":" + Json.text(event.payload(), "text"));
                    }
                }
            });
            seen.add(events);
            sessions.add(await(c.attach(fixture.gateway.localEndpoint(), id, "")));
        }
        // several devices prompt at once; their turns run one after another
        for (AttachedSession s : sessions) {
            s.submit("from " + s.model().sessionId());
        }
        for (int i = 0; i < clients; i++) {
            ScriptedAgent.ScriptedTurn turn = agent.next();
            for (int d = 0; d < 50; d++) {
                turn.say("t" + i + "d" + d + " ");
            }
            turn.finish();
        }
        Await.until("every client to see every turn", WAIT,
                () -> seen.stream().allMatch(events -> events.stream().filter(e -> e.contains("message.complete")).count() == clients));
        for (List<String> events : seen) {
            assertEquals(seen.get(0), events);
        }
        for (AttachedSession s : sessions) {
            assertEquals(sessions.get(0).model().rows(), s.model().rows());
        }
    }

    @Test
    void aReattachSinceAKnownEventGetsOnlyWhatWasMissed() throws Exception {
        fixture.start(agent);
        GatewayConnection c = connect("laptop");
        String id = await(c.createSession("", List.of())).sessionId();
        await(c.submitPrompt(id, "go", "", "", WAIT));
        ScriptedAgent.ScriptedTurn turn = agent.next();
        turn.say("a", "b", "c");
        turn.finish();
        Await.until("the turn stored", WAIT, () -> history(c, id).size() == 2);
        SessionSnapshot full = await(c.activate(id, "", -1));
        long last = full.lastSeq();
        SessionSnapshot replay = await(c.activate(id, "", last - 2));
        assertTrue(replay.isReplay());
        assertEquals(2, replay.replay().size());
        assertEquals(List.of(), replay.messages());
        SessionSnapshot snapshot = await(c.activate(id, "", last + 100)); // from another epoch: a snapshot
        assertFalse(snapshot.isReplay());
        assertEquals(2, snapshot.messages().size());
    }

    @Test
    void presenceListReadsTheFolderAndSkipsExpiredAndBrokenRecords() throws Exception {
        fixture.start(agent, "--advertise", "ws://192.0.2.10:8664/api/ws");
        GatewayConnection c = connect("laptop");
        String id = await(c.createSession("mine", List.of())).sessionId();
        Path folder = fixture.gateway.presenceDir();
        // the presence thread makes the folder with its first record, a moment after the session was created
        java.nio.file.Files.createDirectories(folder);
        double now = System.currentTimeMillis() / 1000.0;
        java.nio.file.Files.writeString(folder.resolve("other-1.old00001.json"), "{\"session_id\":\"old00001\","
                + "\"endpoint\":\"ws://x/api/ws\",\"updated_at\":" + (now - 500) + ",\"expires_at\":" + (now - 410) + "}");
        java.nio.file.Files.writeString(folder.resolve("other-1.new00001.json"), "{\"session_id\":\"new00001\","
                + "\"endpoint\":\"ws://x/api/ws\",\"updated_at\":" + now + ",\"expires_at\":" + (now + 90) + "}");
        java.nio.file.Files.writeString(folder.resolve("broken.json"), "{\"session_id\":");
        // as the gateway lists them: the records on disk are sparser than the connector's reading would keep
        RawWebSocket raw = fixture.raw();
        // the session's own record is written by the presence thread, a moment after the session was created
        List<List<String>> listed = new java.util.ArrayList<>();
        Await.until("the session's own record among the listed ones", WAIT, () -> {
            try {
                JsonObject answer = await(raw.call("session.presence_list", new JsonObject()));
                listed.add(0, Json.objects(answer, "sessions").stream().map(o -> Json.text(o, "session_id")).toList());
                return listed.get(0).contains(id);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> ids = listed.get(0);
        assertTrue(ids.contains("new00001") && !ids.contains("old00001"), ids.toString());
        JsonObject all = new JsonObject();
        all.addProperty("include_expired", true);
        assertTrue(Json.objects(await(raw.call("session.presence_list", all)), "sessions").stream()
                .anyMatch(o -> Json.text(o, "session_id").equals("old00001")));
        assertTrue(await(c.presence()).stream().anyMatch(r -> r.sessionId().equals(id)));
    }

    @Test
    void aRefusedPromptReachesTheClientAsAFailureWithItsCode() throws Exception {
        fixture.start(agent);
        GatewayException e = failure(fixture.raw().call("prompt.submit", params("text", "no session")));
        assertEquals(4006, e.code());
    }
}
