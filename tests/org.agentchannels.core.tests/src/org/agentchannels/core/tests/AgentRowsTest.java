package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.core.session.SessionModel.Change;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Tool rows updated in place by their call id, the turn's plan row, and the agent's commands, as a viewer keeps them. */
class AgentRowsTest {

    private long seq;

    private void apply(SessionModel model, GatewayEvent event) {
        model.apply(GatewayEvents.frame("s1", event, ++seq));
    }

    private static ToolCall call(String id, String content, ToolCall.Diff... diffs) {
        return new ToolCall(id, "edit", content, List.of(diffs), List.of(new ToolCall.Location("/w/a.txt", 3)), false);
    }

    @Test
    void aToolRowIsUpdatedInPlaceByItsCallId() {
        SessionModel model = new SessionModel("s1");
        apply(model, new GatewayEvent.MessageStart("edit it", "laptop", ""));
        apply(model, new GatewayEvent.ToolStart("c1", "Edit a.txt", "edit: /w/a.txt", ToolCall.PENDING, call("c1", "")));
        apply(model, new GatewayEvent.ToolStart("c2", "Read b.txt", "read", ToolCall.IN_PROGRESS, call("c2", "")));
        List<Set<Change>> seen = new ArrayList<>();
        model.addListener((m, changes) -> seen.add(Set.copyOf(changes)));

        ToolCall done = call("c1", "edited", new ToolCall.Diff("/w/a.txt", "old\n", "new\n"));
        apply(model, new GatewayEvent.ToolUpdate("c1", "Edit a.txt", "edit: /w/a.txt", ToolCall.COMPLETED, done));

        assertEquals(List.of(Set.of(Change.ROWS)), seen);
        List<TranscriptRow> rows = model.rows();
        assertEquals(3, rows.size(), "the user row and two tool rows: nothing appended by the update");
        assertEquals(ToolCall.COMPLETED, rows.get(1).status());
        assertEquals("edited", rows.get(1).tool().content());
        assertEquals("new\n", rows.get(1).tool().diffs().get(0).newText());
        assertEquals(ToolCall.IN_PROGRESS, rows.get(2).status(), "the other call is untouched");

        apply(model, new GatewayEvent.ToolUpdate("c1", "Edit a.txt", "edit: /w/a.txt", ToolCall.COMPLETED, done));
        assertEquals(1, seen.size(), "the same state again changes nothing");
        apply(model, new GatewayEvent.ToolComplete("c2", "Read b.txt", "", 0));
        assertEquals(ToolCall.COMPLETED, model.rows().get(2).status(), "a tool.complete ends a row that had not");
        apply(model, new GatewayEvent.ToolUpdate("c9", "Run ls", "execute", ToolCall.FAILED, call("c9", "boom")));
        assertEquals(4, model.rowCount(), "an update of a call not seen yet adds its row");
    }

    @Test
    void aHydratedTranscriptsToolRowsAreFoundAgainByTheirIds() {
        SessionModel model = new SessionModel("s1");
        List<TranscriptRow> rows = List.of(TranscriptRow.user("go", "laptop"),
                TranscriptRow.tool("Run ls", "execute", ToolCall.PENDING, call("c1", "")));
        model.hydrate(new SessionSnapshot("s1", "k1", "", "m", 0, rows, 2, true, "working", "", "go", 7, null, null,
                List.of(), List.of(new SlashCommand("compact", "Compact the session", "")), null));
        seq = 7;
        apply(model, new GatewayEvent.ToolUpdate("c1", "Run ls", "execute", ToolCall.COMPLETED, call("c1", "a\nb")));
        assertEquals(2, model.rowCount());
        assertEquals("a\nb", model.rows().get(1).tool().content());
        assertEquals("compact", model.commands().get(0).name());
    }

    @Test
    void aCallIdUsedAgainInALaterTurnIsARowOfItsOwn() {
        SessionModel model = new SessionModel("s1");
        apply(model, new GatewayEvent.MessageStart("one", "laptop", ""));
        apply(model, new GatewayEvent.ToolStart("c1", "Run ls", "execute", ToolCall.PENDING, call("c1", "")));
        apply(model, new GatewayEvent.ToolUpdate("c1", "Run ls", "execute", ToolCall.COMPLETED, call("c1", "first")));
        apply(model, new GatewayEvent.MessageComplete("done", "complete", "", "", null));
        apply(model, new GatewayEvent.MessageStart("two", "laptop", ""));
        apply(model, new GatewayEvent.ToolStart("c1", "Run ls", "execute", ToolCall.PENDING, call("c1", "")));
        apply(model, new GatewayEvent.ToolUpdate("c1", "Run ls", "execute", ToolCall.FAILED, call("c1", "second")));
        List<TranscriptRow> rows = model.rows();
        assertEquals(5, rows.size(), "each turn's user row and tool row, the first turn's answer");
        assertEquals("first", rows.get(1).tool().content(), "the earlier turn's row stays as it ended");
        assertEquals(ToolCall.FAILED, rows.get(4).status());

        // hydrated mid-turn: only the running turn's rows are found by their ids
        SessionModel hydrated = new SessionModel("s1");
        List<TranscriptRow> running = new ArrayList<>(rows.subList(0, 3));
        running.add(TranscriptRow.user("three", "laptop"));
        hydrated.hydrate(new SessionSnapshot("s1", "k1", "", "m", 0, running, 4, true, "working", "", "three", 7, null,
                null, List.of()));
        seq = 7;
        apply(hydrated, new GatewayEvent.ToolUpdate("c1", "Run ls", "execute", ToolCall.COMPLETED, call("c1", "third")));
        assertEquals(5, hydrated.rowCount(), "a row of the running turn");
        assertEquals("first", hydrated.rows().get(1).tool().content());
    }

    @Test
    void aTranscriptHydratedMidTurnHasItsPlanRevisedInPlace() {
        SessionModel model = new SessionModel("s1");
        List<TranscriptRow> rows = List.of(TranscriptRow.plan(List.of(new PlanEntry("Old", "", "completed"))),
                TranscriptRow.assistant("done", "", "complete"), TranscriptRow.user("go", "laptop"),
                TranscriptRow.plan(List.of(new PlanEntry("Read", "", "in_progress"))));
        model.hydrate(new SessionSnapshot("s1", "k1", "", "m", 0, rows, 4, true, "working", "", "go", 3, null, null,
                List.of()));
        seq = 3;
        apply(model, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read", "", "completed"))));
        assertEquals(4, model.rowCount(), "the running turn's plan replaced, not a second one added");
        assertTrue(model.rows().get(3).plan().get(0).isCompleted());
        assertEquals("Old", model.rows().get(0).plan().get(0).content(), "an earlier turn's plan stays");
    }

    @Test
    void aGatewaysNoteIsASystemRow() {
        SessionModel model = new SessionModel("s1");
        apply(model, new GatewayEvent.MessageStart("go", "laptop", ""));
        GatewayEvent.SystemNote note = new GatewayEvent.SystemNote("The agent reported x, which this gateway does not show.",
                GatewayEvent.SystemNote.AGENT_UPDATE);
        assertEquals(note, GatewayEvents.parse(GatewayEvents.frame("s1", note, 1)));
        apply(model, note);
        assertEquals(TranscriptRow.system(note.text(), note.kind()), model.rows().get(1));
    }

    @Test
    void aTurnsPlanIsOneRowReplacedAsTheAgentRevisesIt() {
        SessionModel model = new SessionModel("s1");
        apply(model, new GatewayEvent.MessageStart("plan", "laptop", ""));
        apply(model, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read", "high", "in_progress"),
                new PlanEntry("Write", "low", "pending"))));
        apply(model, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read", "high", "completed"),
                new PlanEntry("Write", "low", "in_progress"))));
        assertEquals(2, model.rowCount());
        TranscriptRow plan = model.rows().get(1);
        assertEquals(TranscriptRow.PLAN, plan.role());
        assertTrue(plan.plan().get(0).isCompleted());
        assertEquals("[x] Read\n[ ] Write", plan.text(), "clients that show only text see a checklist");
        apply(model, new GatewayEvent.MessageComplete("done", "complete", "", "", null));
        apply(model, new GatewayEvent.MessageStart("again", "laptop", ""));
        apply(model, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Test", "", "pending"))));
        assertEquals(5, model.rowCount(), "the next turn's plan is a row of its own");
        assertEquals("Write", model.rows().get(1).plan().get(1).content(), "the earlier plan stays as it ended");
    }

    @Test
    void aSnapshotTakenMidTurnKeepsRevisingThatTurnsPlanRow() {
        SessionModel model = new SessionModel("s1");
        List<TranscriptRow> rows = List.of(TranscriptRow.user("first", "laptop"),
                TranscriptRow.plan(List.of(new PlanEntry("Old", "", "completed"))),
                TranscriptRow.assistant("done", "", "complete"), TranscriptRow.user("second", "laptop"),
                TranscriptRow.plan(List.of(new PlanEntry("Read", "", "in_progress"))));
        model.hydrate(new SessionSnapshot("s1", "k1", "", "m", 0, rows, 5, true, "working", "", "second", 9, null, null,
                List.of()));
        seq = 9;
        apply(model, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read", "", "completed"))));
        assertEquals(5, model.rowCount(), "the running turn's plan row is revised, not doubled");
        assertTrue(model.rows().get(4).plan().get(0).isCompleted());
        assertEquals("Old", model.rows().get(1).plan().get(0).content(), "an earlier turn's plan is left alone");

        JsonObject bare = new JsonObject();
        bare.addProperty("role", "plan");
        bare.addProperty("text", "[x] Read");
        assertEquals("[x] Read", TranscriptRow.fromJson(bare).text(), "a plan row without its steps keeps its text");
        assertThrows(IllegalArgumentException.class, () -> new GatewayEvent.ToolUpdate("c1", "Run", "", ToolCall.PENDING,
                call("c2", "")), "a call is written under the event's id only");
    }

    @Test
    void theAgentsCommandsReplaceThoseSaidBefore() {
        SessionModel model = new SessionModel("s1");
        List<Set<Change>> seen = new ArrayList<>();
        model.addListener((m, changes) -> seen.add(Set.copyOf(changes)));
        List<SlashCommand> offered = List.of(new SlashCommand("init", "Write AGENTS.md", ""),
                new SlashCommand("review", "Review changes", "a branch or commit"));
        apply(model, new GatewayEvent.SessionCommands(offered));
        apply(model, new GatewayEvent.SessionCommands(offered));
        assertEquals(List.of(Set.of(Change.COMMANDS)), seen, "the same list again changes nothing");
        assertEquals(offered, model.commands());
    }

    @Test
    void toolAndPlanRowsAndCommandsSurviveTheWire() {
        TranscriptRow tool = TranscriptRow.tool("Edit a.txt", "edit: /w/a.txt", ToolCall.COMPLETED,
                call("c1", "ok", new ToolCall.Diff("/w/a.txt", "", "new file\n")));
        TranscriptRow plan = TranscriptRow.plan(List.of(new PlanEntry("Read", "high", "completed")));
        assertEquals(tool, TranscriptRow.fromJson(tool.toJson()));
        assertEquals(plan, TranscriptRow.fromJson(plan.toJson()));
        assertNull(TranscriptRow.fromJson(TranscriptRow.tool("terminal", "ls").toJson()).tool(),
                "a Hermes tool row has no detail");
        for (GatewayEvent e : List.of(new GatewayEvent.ToolUpdate("c1", "Edit", "edit", ToolCall.FAILED, tool.tool()),
                new GatewayEvent.ToolStart("c1", "Edit", "edit", ToolCall.PENDING, tool.tool()),
                new GatewayEvent.PlanUpdate(plan.plan()),
                new GatewayEvent.SessionCommands(List.of(new SlashCommand("init", "d", "h"))))) {
            assertEquals(e, GatewayEvents.parse(GatewayEvents.frame("s1", e, 1)));
        }
        SessionSnapshot snapshot = new SessionSnapshot("s1", "k1", "", "m", 0, List.of(tool, plan), 2, false, "idle", "", "",
                3, null, null, List.of(), List.of(new SlashCommand("init", "d", "")), null);
        assertEquals(snapshot, SessionSnapshot.fromResult(snapshot.toJson(new FrameCodec()), new FrameCodec()));
    }

    @Test
    void acpShapedCommandsAndHostileDetailAreReadWithinBounds() {
        SlashCommand c = SlashCommand.listFrom(JsonParser.parseString("""
                {"availableCommands":[{"name":"/web","description":"Search\\u001b[2J the web","input":{"hint":"query"}},
                {"name":"two words"},{"name":""}]}""").getAsJsonObject(), "availableCommands").get(0);
        assertEquals(new SlashCommand("web", "Search[2J the web", "query"), c, "no escape reaches a screen; unusable names are skipped");

        String huge = "x".repeat(ToolCall.MAX_CONTENT + 10);
        List<ToolCall.Diff> many = new ArrayList<>();
        for (int i = 0; i < ToolCall.MAX_DIFFS + 3; i++) {
            many.add(new ToolCall.Diff("/w/" + i, "", "y".repeat(ToolCall.MAX_DIFF_TEXT + 1)));
        }
        ToolCall bounded = new ToolCall("c1", "edit", huge, many, List.of(), false).bounded();
        assertTrue(bounded.truncated());
        assertEquals(ToolCall.MAX_CONTENT, bounded.content().length());
        assertEquals(ToolCall.MAX_DIFFS, bounded.diffs().size());
        assertEquals(ToolCall.MAX_DIFF_TEXT, bounded.diffs().get(0).newText().length());
        assertFalse(new ToolCall("c1", "edit", "ok", List.of(), List.of(), false).bounded().truncated());
    }

    @Test
    void anUpdateWithNoRoomLeftChangesTheStatusAndKeepsTheDetail() {
        SessionModel model = new SessionModel("s1", 200);
        apply(model, new GatewayEvent.MessageStart("go", "laptop", ""));
        apply(model, new GatewayEvent.ToolStart("c1", "Run", "execute", ToolCall.IN_PROGRESS, call("c1", "start")));
        apply(model, new GatewayEvent.ToolUpdate("c1", "Run", "execute", ToolCall.COMPLETED, call("c1", "z".repeat(500))));
        TranscriptRow row = model.rows().get(1);
        assertEquals(ToolCall.COMPLETED, row.status());
        assertEquals("start", row.tool().content(), "what did not fit the turn's budget is not kept");
    }
}
