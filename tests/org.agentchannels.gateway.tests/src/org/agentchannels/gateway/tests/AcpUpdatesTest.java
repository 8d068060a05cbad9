package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.awaitIdle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.EventTypes;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.RawWebSocket;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.JDBC;

import com.google.gson.JsonObject;

/**
 * Every kind of ACP {@code session/update} behind a real gateway, from a scripted agent process: tool rows
 * updated in place, the plan, the commands (before any prompt too), the title, usage, the prompt's echo and
 * kinds no client knows; live, stored, and after a restart.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class AcpUpdatesTest {

    @TempDir
    Path home;

    @TempDir
    Path scripts;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;

    private void start(String scenario) throws Exception {
        fixture = gateways.in(home);
        fixture.start(new AcpAgent(ScriptedAcpAgents.command(scenario, scripts), home.resolve("workspace"),
                AcpAgent.START_TIMEOUT));
    }

    private AttachedSession create(String device) throws Exception {
        return await(fixture.client(device).createSession(fixture.gateway.localEndpoint(), ""));
    }

    private static final List<SlashCommand> FIRST_COMMANDS = List.of(new SlashCommand("init", "Write AGENTS.md", ""),
            new SlashCommand("review", "Review changes", "a branch"));

    /** The rows one turn of the "updates" scenario ends with, after its user row. */
    private static List<TranscriptRow> turnRows(int turn) {
        ToolCall read = new ToolCall("read", "read", "line 1\nline 2", List.of(),
                List.of(new ToolCall.Location("/work/a.txt", 3)), false);
        ToolCall.Diff diff = new ToolCall.Diff("/work/a.txt", "line 1\nline 2\n", "line 1\nline two\n");
        ToolCall edit = new ToolCall("edit", "edit", "a.txt is read-only", List.of(diff),
                List.of(new ToolCall.Location("/work/a.txt", 0)), false);
        return List.of(
                TranscriptRow.plan(List.of(new PlanEntry("Read a.txt", "high", "completed"),
                        new PlanEntry("Edit a.txt", "medium", "completed"))),
                TranscriptRow.tool("Read a.txt", "read: /work/a.txt:3", ToolCall.COMPLETED, read),
                TranscriptRow.tool("Edit a.txt", "edit: /work/a.txt", ToolCall.FAILED, edit),
                TranscriptRow.system("The agent reported current_mode_update, which this gateway does not show.",
                        GatewayEvent.SystemNote.AGENT_UPDATE),
                TranscriptRow.system("The agent reported future_kind_update, which this gateway does not show.",
                        GatewayEvent.SystemNote.AGENT_UPDATE),
                TranscriptRow.assistant("done " + turn, "", "complete"));
    }

    @Test
    void everyKindOfUpdateBecomesRowsUpdatedInPlaceAndTheSessionsCommandsAndTitle() throws Exception {
        start("updates");
        AttachedSession laptop = create("laptop");
        // OpenCode offers its commands right after session/new: before any prompt, outside every turn
        Await.until("the commands before any prompt", WAIT, () -> laptop.model().commands().equals(FIRST_COMMANDS));
        AttachedSession phone = await(fixture.client("phone").attach(fixture.gateway.localEndpoint(), laptop.sessionId(), ""));
        assertEquals(FIRST_COMMANDS, phone.model().commands(), "a device attaching later gets them with the snapshot");

        RawWebSocket raw = fixture.raw();
        JsonObject activate = new JsonObject();
        activate.addProperty("session_id", laptop.sessionId());
        await(raw.call("session.activate", activate));

        await(laptop.submit("go"));
        awaitIdle(laptop, 7);
        Await.until("the end of the turn on the raw client", WAIT, () -> events(raw, laptop.sessionId()).stream()
                .anyMatch(e -> e.type().equals(EventTypes.MESSAGE_COMPLETE)));
        List<TranscriptRow> expected = new ArrayList<>(List.of(TranscriptRow.user("go", "laptop")));
        expected.addAll(turnRows(1));
        assertEquals(expected, laptop.model().rows(), "one row per call, updated in place; the prompt's echo not doubled");
        awaitIdle(phone, 7);
        assertEquals(expected, phone.model().rows());
        assertEquals(expected, await(laptop.connection().history(laptop.sessionId())).messages(), "what the gateway keeps");

        // the agent's title is the session's, as if a device had set it
        Await.until("the agent's title", WAIT, () -> phone.model().title().equals("Edited a.txt (turn 1)"));
        GatewayConnection c = laptop.connection();
        assertTrue(await(c.liveSessions()).stream().anyMatch(x -> x.title().equals("Edited a.txt (turn 1)")));
        assertTrue(await(c.storedSessions(10)).stream().anyMatch(x -> x.title().equals("Edited a.txt (turn 1)")));
        Await.until("the title in the presence record", WAIT, () -> c.presence().join().stream()
                .anyMatch(r -> r.sessionId().equals(laptop.sessionId()) && r.title().equals("Edited a.txt (turn 1)")));

        // what a Hermes-line client sees: tool.start once per call, then tool.complete once when it ends
        List<Frame.Event> events = events(raw, laptop.sessionId());
        assertEquals(List.of("read", "edit"), toolIds(events, EventTypes.TOOL_START));
        assertEquals(List.of("read", "edit"), toolIds(events, EventTypes.TOOL_COMPLETE));
        Frame.Event start = events.stream().filter(e -> e.type().equals(EventTypes.TOOL_START)).findFirst().orElseThrow();
        assertEquals("Read a.txt", Json.text(start.payload(), "name"));
        assertEquals("read: /work/a.txt:3", Json.text(start.payload(), "context"));
        assertEquals(ToolCall.PENDING, Json.text(start.payload(), "status"));
        assertEquals(List.of("read", "read", "edit", "edit"), toolIds(events, EventTypes.TOOL_UPDATE),
                "each change once: in progress, then its end");
        Frame.Event readDone = events.stream().filter(e -> e.type().equals(EventTypes.TOOL_COMPLETE)).findFirst().orElseThrow();
        assertEquals("line 1", Json.text(readDone.payload(), "summary"));
        assertEquals(2, events.stream().filter(e -> e.type().equals(EventTypes.PLAN_UPDATE)).count(), "the plan, revised once");
        JsonObject usage = Json.object(events.stream().filter(e -> e.type().equals(EventTypes.MESSAGE_COMPLETE))
                .findFirst().orElseThrow().payload(), "usage");
        assertEquals(200000, Json.number(usage, "size", 0), usage.toString());
        assertEquals(1200, Json.number(usage, "used", 0), usage.toString());
        assertFalse(usage.has("sessionUpdate"), usage.toString());

        // the next turn uses the same call ids: rows of their own; the commands change mid-turn
        await(phone.submit("again"));
        awaitIdle(laptop, 14);
        expected.add(TranscriptRow.user("again", "phone"));
        expected.addAll(turnRows(2));
        assertEquals(expected, laptop.model().rows());
        assertEquals(expected, await(c.history(laptop.sessionId())).messages());
        Await.until("the commands of the second turn", WAIT,
                () -> laptop.model().commands().equals(List.of(new SlashCommand("compact", "Compact the session", ""))));
    }

    @Test
    void afterARestartTheTranscriptShowsEachToolRowOnceInItsFinalStateAndTheCommandsAreKept() throws Exception {
        start("updates");
        AttachedSession s = create("laptop");
        await(s.submit("go"));
        awaitIdle(s, 7);
        await(s.submit("again"));
        awaitIdle(s, 14);
        Await.until("the commands of the second turn", WAIT, () -> s.model().commands().size() == 1);
        List<TranscriptRow> live = s.model().rows();
        String stored = s.sessionKey();

        fixture.gateway.close();
        fixture.start(new AcpAgent(ScriptedAcpAgents.command("text", scripts), home.resolve("workspace"),
                AcpAgent.START_TIMEOUT));
        AttachedSession again = await(fixture.client("phone").attach(fixture.gateway.localEndpoint(), stored, stored));
        assertEquals(live, again.model().rows(), "hydrated from the store: each row once, as it ended");
        assertEquals(List.of(new SlashCommand("compact", "Compact the session", "")), again.model().commands(),
                "the commands the agent offered last, until it says again");
        assertEquals("Edited a.txt (turn 2)", again.model().title());
    }

    @Test
    void aToolCallFirstDescribedInItsPermissionRequestIsOneRowThatTheAnswerCompletes() throws Exception {
        start("permission-edit");
        AttachedSession s = create("laptop");
        await(s.submit("create b"));
        Await.until("the request", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        InputRequest request = s.model().pendingInputs().get(0);
        assertEquals("Edit b.txt", request.prompt());
        TranscriptRow pending = s.model().rows().get(1);
        assertEquals(ToolCall.PENDING, pending.status());
        assertEquals(List.of(new ToolCall.Diff("/work/b.txt", "", "new file\n")), pending.tool().diffs(),
                "the edit's diff is there to judge before answering");
        await(s.answer(request, "Allow once"));
        awaitIdle(s, 3);
        TranscriptRow done = s.model().rows().get(1);
        assertEquals(ToolCall.COMPLETED, done.status());
        assertEquals("edit-1", done.toolId());
        assertEquals(pending.tool(), done.tool(), "an update that says only the status keeps the rest");
        assertEquals("created b.txt", s.model().rows().get(2).text());
        assertEquals(s.model().rows(), await(s.connection().history(s.sessionId())).messages());
    }

    @Test
    void aPermissionRequestAboutACallAlreadyShownChangesNothingOfItsRow() throws Exception {
        start("tool");
        AttachedSession s = create("laptop");
        await(s.submit("ls"));
        Await.until("the request", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        TranscriptRow asked = s.model().rows().get(1);
        assertEquals(ToolCall.PENDING, asked.status());
        assertEquals(List.of(new ToolCall.Location("/work/project", 0)), asked.tool().locations(),
                "the request's toolCall, with only an id and a title, took nothing away");
        await(s.answer(s.model().pendingInputs().get(0), "Allow once"));
        awaitIdle(s, 3);
        TranscriptRow tool = s.model().rows().get(1);
        assertEquals(ToolCall.COMPLETED, tool.status());
        assertEquals(asked.tool(), tool.tool());
    }

    @Test
    void aDatabaseOfAnOlderGatewayGetsTheNewColumnsAndKeepsItsRows() throws Exception {
        Path db = home.resolve("old.db");
        try (Connection old = new JDBC().connect(JDBC.PREFIX + db, new Properties()); Statement st = old.createStatement()) {
            st.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', started_at REAL NOT NULL,"
                    + " updated_at REAL NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,"
                    + " turn_open INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0)");
            st.execute("CREATE TABLE messages (session_id TEXT NOT NULL, ordinal INTEGER NOT NULL, role TEXT NOT NULL,"
                    + " text TEXT NOT NULL, reasoning TEXT NOT NULL DEFAULT '', tool_name TEXT NOT NULL DEFAULT '',"
                    + " sender_device TEXT, status TEXT NOT NULL DEFAULT '', submission_id TEXT, created_at REAL NOT NULL,"
                    + " PRIMARY KEY (session_id, ordinal))");
            st.execute("INSERT INTO sessions(id, title, started_at, updated_at) VALUES ('s1', 'Old', 1, 1)");
            st.execute("INSERT INTO messages(session_id, ordinal, role, text, tool_name, created_at)"
                    + " VALUES ('s1', 1, 'tool', 'ls', 'terminal', 1)");
        }
        ToolCall pending = new ToolCall("c1", "execute", "", List.of(), List.of(), false);
        ToolCall done = new ToolCall("c1", "execute", "a\nb", List.of(), List.of(), false);
        List<PlanEntry> plan = List.of(new PlanEntry("Run it", "", "completed"));
        try (TranscriptStore store = new TranscriptStore(db)) {
            store.append("s1", TranscriptRow.tool("Run ls", "execute", ToolCall.PENDING, pending), null, 2);
            store.append("s1", TranscriptRow.plan(List.of(new PlanEntry("Run it", "", "pending"))), null, 2);
            store.updateTool("s1", TranscriptRow.tool("Run ls", "execute", ToolCall.COMPLETED, done));
            store.updatePlan("s1", TranscriptRow.plan(plan));
            store.setCommands("s1", FIRST_COMMANDS);
        }
        try (TranscriptStore store = new TranscriptStore(db)) { // opened again: the columns are there already
            assertEquals(List.of(TranscriptRow.tool("terminal", "ls"),
                    TranscriptRow.tool("Run ls", "execute", ToolCall.COMPLETED, done), TranscriptRow.plan(plan)),
                    store.messages("s1"));
            assertEquals(FIRST_COMMANDS, store.commands("s1"));
            assertEquals(List.of(), store.commands("no-such-session"));
        }
    }

    /** The session's events as a raw client received them, in order. */
    private static List<Frame.Event> events(RawWebSocket raw, String sessionId) {
        FrameCodec codec = new FrameCodec();
        List<Frame.Event> out = new ArrayList<>();
        for (String text : raw.received()) {
            if (codec.decode(text) instanceof Frame.Event e && sessionId.equals(e.sessionId())) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> toolIds(List<Frame.Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).map(e -> Json.text(e.payload(), "tool_id")).toList();
    }
}
