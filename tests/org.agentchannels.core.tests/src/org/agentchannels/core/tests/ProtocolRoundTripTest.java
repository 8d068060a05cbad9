package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.RequestId;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.SessionHistory;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.TitleResult;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The wire model both ways: everything core writes reads back equal (through the text of a frame, as it
 * travels), and real frames of both Hermes lines read to the records the client acts on.
 */
class ProtocolRoundTripTest {

    private final FrameCodec codec = new FrameCodec();

    private static JsonObject usage() {
        JsonObject u = new JsonObject();
        u.addProperty("input_tokens", 12);
        u.addProperty("output_tokens", 40);
        return u;
    }

    private static final InputRequest APPROVAL = new InputRequest(InputRequest.Kind.APPROVAL, "s1", "q1", "rm -rf build/",
            List.of("once", "deny"), false, null);
    private static final InputRequest CLARIFY = new InputRequest(InputRequest.Kind.CLARIFY, "s1", "q2", "Which branch?",
            List.of("main", "dev"), true, null);
    private static final InputRequest SECRET = new InputRequest(InputRequest.Kind.SECRET, "s1", "q3", "OPENAI_API_KEY",
            List.of(), true, null);
    private static final InputRequest SUDO = new InputRequest(InputRequest.Kind.SUDO, "s1", "q4", "password for omar",
            List.of(), true, null);

    /** One of every event type, with every field set. */
    static List<GatewayEvent> everyEvent() {
        return List.of(new GatewayEvent.GatewayReady("desk", true, true, true, true, "epoch-1"),
                new GatewayEvent.GatewayReady("", false, false, false, false, ""),
                new GatewayEvent.MessageStart("fix it", "laptop", "sub-1"), new GatewayEvent.MessageStart("", "", ""),
                new GatewayEvent.MessageDelta("Hel"), new GatewayEvent.ReasoningDelta("hmm"), new GatewayEvent.Spinner("(¬_¬) pondering..."),
                new GatewayEvent.MessageComplete("Hello.", "complete", "thought", "", usage()),
                new GatewayEvent.MessageComplete("", "error", "", "rate limited", new JsonObject()),
                new GatewayEvent.ToolGenerating("terminal"), new GatewayEvent.ToolStart("t1", "terminal", "ls -la"),
                new GatewayEvent.ToolComplete("t1", "terminal", "3 files", 1.25),
                new GatewayEvent.ToolStart("c1", "Edit a.txt", "edit: /w/a.txt", ToolCall.PENDING, new ToolCall("c1",
                        "edit", "", List.of(), List.of(new ToolCall.Location("/w/a.txt", 0)), false)),
                new GatewayEvent.ToolUpdate("c1", "Edit a.txt", "edit: /w/a.txt", ToolCall.COMPLETED, new ToolCall("c1",
                        "edit", "done", List.of(new ToolCall.Diff("/w/a.txt", "a\n", "b\n")),
                        List.of(new ToolCall.Location("/w/a.txt", 2)), true)),
                new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read", "high", "completed"),
                        new PlanEntry("Write", "", "pending"))),
                new GatewayEvent.SessionCommands(List.of(new SlashCommand("init", "Write AGENTS.md", ""),
                        new SlashCommand("review", "", "a branch"))),
                new GatewayEvent.StatusUpdate("compressing", "compressing context"),
                new GatewayEvent.SessionInfo("model-a", true), new GatewayEvent.SessionInfo("model-b", null),
                new GatewayEvent.SessionInfo("acp: opencode", false, "needs_sign_in",
                        new SignIn("desk", "Run `opencode auth login` in the terminal")),
                new GatewayEvent.SessionInfo("acp: gemini", true, "starting", null),
                new GatewayEvent.SystemNote("The agent no longer remembers.", GatewayEvent.SystemNote.AGENT_FORGOT),
                new GatewayEvent.SessionTitle("Fix", "20260601_101500_abc123"),
                new GatewayEvent.Participants(List.of(new Participant("desk", 2), new Participant("laptop", 1))),
                new GatewayEvent.InputRequested(APPROVAL), new GatewayEvent.InputRequested(CLARIFY),
                new GatewayEvent.InputRequested(SECRET), new GatewayEvent.InputRequested(SUDO),
                new GatewayEvent.InputResolved("q1"), new GatewayEvent.InputResolved("q2", "laptop", "Allow once"),
                new GatewayEvent.Error("agent failed"),
                new GatewayEvent.SystemNote("The agent reported x.", GatewayEvent.SystemNote.AGENT_UPDATE),
                new GatewayEvent.Unknown("subagent.progress"));
    }

    @Test
    void everyEventReadsBackEqualFromItsFrame() {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (GatewayEvent event : everyEvent()) {
            String text = codec.encode(GatewayEvents.frame("s1", event, 7));
            Frame.Event frame = assertInstanceOf(Frame.Event.class, codec.decode(text), text);
            assertEquals(7, frame.seq());
            assertEquals(event, GatewayEvents.parse(frame), text);
            types.add(event.getClass());
        }
        assertEquals(GatewayEvent.class.getPermittedSubclasses().length, types.size(), "every event type is covered");
    }

    @Test
    void aBlockingPromptReadsBackEqualAsAServerRequest() {
        for (InputRequest request : List.of(APPROVAL, CLARIFY, SECRET, SUDO)) {
            JsonObject params = request.toPayload();
            params.addProperty("session_id", "s1");
            JsonPrimitive id = new JsonPrimitive("srv-1");
            Frame.Request r = assertInstanceOf(Frame.Request.class,
                    codec.decode(codec.encode(new Frame.Request(id, request.kind().wireName(), params))));
            InputRequest expected = new InputRequest(request.kind(), request.sessionId(), request.requestId(),
                    request.prompt(), request.choices(), request.allowPermanent(), RequestId.of(id));
            assertEquals(expected, GatewayEvents.serverRequest(r));
        }
    }

    private JsonObject overTheWire(JsonObject result) {
        Frame.Response r = assertInstanceOf(Frame.Response.class,
                codec.decode(codec.encode(new Frame.Response(new JsonPrimitive(1), result))));
        return r.resultObject();
    }

    @Test
    void everyResultReadsBackEqual() {
        List<TranscriptRow> rows = List.of(TranscriptRow.user("hi", "laptop"),
                TranscriptRow.assistant("Hello!", "greet", "complete"), TranscriptRow.tool("terminal", "ls"));
        List<SessionSnapshot> snapshots = List.of(
                new SessionSnapshot("s1", "k1", "Fix", "model-a", 1780300000.5, rows, 3, true, "working", "Wor", "go on",
                        41, null, List.of(new Participant("desk", 1)), List.of(APPROVAL, CLARIFY)),
                new SessionSnapshot("s1", "k1", "", "model-a", 0, List.of(), 3, false, "idle", "", "", 41,
                        List.of(GatewayEvents.frame("s1", new GatewayEvent.MessageDelta("x"), 42)), null, List.of()),
                new SessionSnapshot("s2", "", "", "", 0, List.of(), 0, false, "idle", "", "", -1, null, null, List.of()),
                new SessionSnapshot("s3", "k3", "", "acp: gemini", 0, List.of(TranscriptRow.system("note", "agent_forgot")),
                        1, false, "needs_sign_in", "", "", 3, null, null, List.of(),
                        List.of(new SlashCommand("init", "Write AGENTS.md", "")), new SignIn("desk", "")));
        for (SessionSnapshot s : snapshots) {
            SessionSnapshot read = SessionSnapshot.fromResult(overTheWire(s.toJson(codec)), codec);
            // events compare by their typed reading: the raw params of a read frame carry its type and number too
            assertEquals(s.replay() == null ? null : s.replay().stream().map(GatewayEvents::parse).toList(),
                    read.replay() == null ? null : read.replay().stream().map(GatewayEvents::parse).toList());
            assertEquals(withoutReplay(s), withoutReplay(read));
        }
        List<SessionSummary> summaries = List.of(
                SessionSummary.stored("k1", "Fix", "hi", 1780300000.5, 4, "agentchannels"),
                new SessionSummary("s1", "k1", "Fix", "hi", "model-a", "waiting", 1780300000.5, 4, "", 1780300100.0, true));
        assertEquals(summaries, SessionSummary.listFrom(overTheWire(SessionSummary.listToJson(summaries))));
        for (PromptResult p : List.of(PromptResult.streaming(), PromptResult.queued(2), PromptResult.duplicateOfEarlier())) {
            assertEquals(p, PromptResult.fromJson(overTheWire(p.toJson())));
        }
        TitleResult title = new TitleResult("Fix", "k1");
        assertEquals(title, TitleResult.fromJson(overTheWire(title.toJson())));
        SessionHistory history = new SessionHistory(rows);
        assertEquals(history, SessionHistory.fromJson(overTheWire(history.toJson())));
        for (Acknowledgement a : List.of(Acknowledgement.pong(), Acknowledgement.interrupted(),
                Acknowledgement.closedSession(), Acknowledgement.answered())) {
            assertEquals(a, Acknowledgement.fromJson(overTheWire(a.toJson())));
        }
        List<Participant> roster = List.of(new Participant("desk", 2));
        assertEquals(roster, Participant.listFrom(overTheWire(Participant.toJson(roster))));
        List<PresenceRecord> records = List.of(new PresenceRecord(1, "s1", "k1", "working", "Fix", "model-a", "/src",
                "agentchannels", "gateway", "default", "ws://192.0.2.10:8664/api/ws", "desk", 42, "desk-42", 1780300000.5,
                1780300090.5, 3), new PresenceRecord(1, "s2", "k2", "needs_sign_in", "", "acp: opencode", "", "agentchannels",
                "gateway", "default", "", "desk", 42, "desk-42", 1780300000.5, 1780300090.5, 0,
                new SignIn("desk", "Run `opencode auth login` in the terminal")));
        assertEquals(records, PresenceRecord.listFrom(overTheWire(PresenceRecord.listToJson(records))));
    }

    private static SessionSnapshot withoutReplay(SessionSnapshot s) {
        return new SessionSnapshot(s.sessionId(), s.sessionKey(), s.title(), s.model(), s.startedAt(), s.messages(),
                s.messageCount(), s.running(), s.status(), s.inflightAssistant(), s.inflightUser(), s.lastSeq(),
                s.replay() == null ? null : List.of(), s.participants(), s.pendingRequests(), s.commands(), s.signIn());
    }

    /** What each frame of the fixture must read as; keyed by the fixture's names. */
    private Map<String, Object> expected() {
        Map<String, Object> e = new HashMap<>();
        e.put("june.ready", new GatewayEvent.GatewayReady("Omar's MacBook", false, false, false, false, ""));
        e.put("june.start", new GatewayEvent.MessageStart("", "", ""));
        e.put("june.delta", new GatewayEvent.MessageDelta("Hel"));
        e.put("june.thinking", new GatewayEvent.Spinner("weighing options")); // Hermes: the spinner, not reasoning
        e.put("june.tool.start", new GatewayEvent.ToolStart("call_01", "terminal", "ls -la"));
        e.put("june.tool.complete", new GatewayEvent.ToolComplete("call_01", "terminal", "3 files", 1.25));
        e.put("june.complete", new GatewayEvent.MessageComplete("Hello there.", "complete", "", "context almost full", usage()));
        e.put("june.info", new GatewayEvent.SessionInfo("anthropic/claude-sonnet-4", false));
        e.put("june.title", new GatewayEvent.SessionTitle("Fix the flaky test", "20260601_101500_abc123"));
        e.put("june.approval", new GatewayEvent.InputRequested(new InputRequest(InputRequest.Kind.APPROVAL, "a1b2c3d4", "",
                "dangerous command\nrm -rf build/", List.of("once", "session", "deny"), false, null)));
        e.put("june.clarify", new GatewayEvent.InputRequested(new InputRequest(InputRequest.Kind.CLARIFY, "a1b2c3d4",
                "req-7", "Which branch?", List.of(), true, null)));
        e.put("june.participants", new GatewayEvent.Participants(List.of(new Participant("laptop", 1),
                new Participant("desk", 2))));
        e.put("june.status", new GatewayEvent.StatusUpdate("compressing", "compressing context"));
        e.put("june.error", new GatewayEvent.Error("agent initialization failed"));
        e.put("june.subagent", new GatewayEvent.Unknown("subagent.progress"));
        e.put("newer.ready", new GatewayEvent.GatewayReady("", true, false, false, false, "e-42"));
        e.put("newer.start", new GatewayEvent.MessageStart("fix it", "", ""));
        e.put("newer.reasoning", new GatewayEvent.ReasoningDelta("The test races."));
        e.put("newer.cancel", new GatewayEvent.InputResolved("srv-1"));
        e.put("newer.complete.error", new GatewayEvent.MessageComplete("", "error", "", "rate limited", new JsonObject()));
        e.put("newer.request.clarify", new InputRequest(InputRequest.Kind.CLARIFY, "a1b2c3d4", "srv-1", "Which database?",
                List.of("sqlite", "postgres"), true, RequestId.of(new JsonPrimitive("srv-1"))));
        e.put("june.result.create", new SessionSnapshot("a1b2c3d4", "20260601_101500_abc123", "",
                "anthropic/claude-sonnet-4", 0, List.of(), 0, false, "", "", "", -1, null, null, List.of()));
        e.put("june.result.resume", new SessionSnapshot("e5f6a7b8", "20260601_101500_abc123", "", "m", 1780300000.5,
                List.of(TranscriptRow.user("hi", ""), TranscriptRow.assistant("Hello!", "greet", "")), 2, true, "working",
                "Work", "go on", -1, null, null, List.of()));
        e.put("june.result.active_list", List.of(new SessionSummary("a1b2c3d4", "20260601_101500_abc123", "Fix", "hi", "m",
                "waiting", 1780300000.5, 4, "", 1780300100.0, true)));
        e.put("june.result.list", List.of(SessionSummary.stored("20260601_101500_abc123", "Fix", "hi", 1780300000.5, 4,
                "tui")));
        e.put("june.result.submit", PromptResult.streaming());
        e.put("newer.result.submit", PromptResult.queued(2));
        e.put("june.result.history", new SessionHistory(List.of(TranscriptRow.user("hi", ""),
                TranscriptRow.tool("terminal", "ls"))));
        e.put("june.result.title", new TitleResult("Fix", "20260601_101500_abc123"));
        e.put("june.result.interrupt", Acknowledgement.interrupted());
        e.put("june.result.respond", new Acknowledgement("", false, false, true));
        e.put("newer.result.ping", Acknowledgement.pong());
        return e;
    }

    private Map<String, Function<JsonObject, Object>> resultReaders() {
        return Map.of(Methods.SESSION_CREATE, r -> SessionSnapshot.fromResult(r, codec), Methods.SESSION_RESUME,
                r -> SessionSnapshot.fromResult(r, codec), Methods.SESSION_ACTIVE_LIST, SessionSummary::listFrom,
                Methods.SESSION_LIST, SessionSummary::listFrom, Methods.PROMPT_SUBMIT, PromptResult::fromJson,
                Methods.SESSION_HISTORY, SessionHistory::fromJson, Methods.SESSION_TITLE, TitleResult::fromJson,
                Methods.SESSION_INTERRUPT, Acknowledgement::fromJson, Methods.APPROVAL_RESPOND, Acknowledgement::fromJson,
                Methods.GATEWAY_PING, Acknowledgement::fromJson);
    }

    @Test
    void realFramesOfBothHermesLinesReadAsExpected() throws IOException {
        Map<String, Object> expected = expected();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> lines = new LinkedHashSet<>();
        try (InputStream in = getClass().getResourceAsStream("hermes-frames.jsonl")) {
            assertNotNull(in, "the fixture is on the class path");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject entry = JsonParser.parseString(line).getAsJsonObject();
                String name = Json.text(entry, "name");
                Frame frame = codec.decode(entry.get("frame").toString());
                Object read = switch (frame) {
                    case Frame.Event ev -> GatewayEvents.parse(ev);
                    case Frame.Request rq -> GatewayEvents.serverRequest(rq);
                    case Frame.Response rs -> resultReaders().get(Json.text(entry, "method")).apply(rs.resultObject());
                    default -> frame;
                };
                assertEquals(expected.get(name), read, name);
                seen.add(name);
                lines.add(Json.text(entry, "line"));
            }
        }
        assertEquals(expected.keySet(), seen, "every expected frame is in the fixture");
        assertEquals(Set.of("june", "newer"), lines);
    }
}
