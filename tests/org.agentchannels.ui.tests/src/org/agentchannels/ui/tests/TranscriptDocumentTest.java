package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.internal.chat.TranscriptDocument;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Edit;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullRender;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullText;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Hit;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Action;
import org.agentchannels.ui.internal.chat.TranscriptRenderer;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/**
 * The chat's transcript as a document, without a display: the window of rows, the full renders, and the
 * edits that replace only what changed while an answer streams. A StringBuilder stands in for the widget.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class TranscriptDocumentTest {

    private final TranscriptDocument document = new TranscriptDocument();
    private final AgentRowsRenderingTest.View view = new AgentRowsRenderingTest.View(Set.of());
    private final TranscriptRenderer renderer = new TranscriptRenderer("laptop", false, view);
    private final StringBuilder screen = new StringBuilder();
    private final List<Edit> edits = new ArrayList<>();

    private static SessionModel modelWith(List<TranscriptRow> rows) {
        SessionModel model = new SessionModel("s1");
        model.hydrate(new SessionSnapshot("s1", "k1", "Plan", "echo", 0, rows, rows.size(), false, "idle", "", "", -1, null,
                List.of(), List.of()));
        return model;
    }

    private static Frame.Event event(String type, String... fields) {
        JsonObject payload = new JsonObject();
        for (int i = 0; i < fields.length; i += 2) {
            payload.addProperty(fields[i], fields[i + 1]);
        }
        return new Frame.Event(type, "s1", payload, -1, null);
    }

    /**
     * A full render made at once (the pane makes it in a Job), put on the screen as the pane sets it: its latest rows,
     * then the older ones a slice at a time.
     */
    private void renderAll(SessionModel model) {
        FullRender render = document.startFullRender(model, renderer);
        FullText t = render.render();
        screen.setLength(0);
        screen.append(document.finishFullRender(render, t).orElseThrow().text());
        for (Optional<Edit> slice = document.showEarlierSlice(); slice.isPresent(); slice = document.showEarlierSlice()) {
            screen.insert(0, slice.get().text());
        }
    }

    /** The document's edits, put on the screen in order; the last one, if any. */
    private Optional<Edit> update(SessionModel model) {
        List<Edit> made = document.update(model, renderer);
        for (Edit e : made) {
            screen.replace(e.start(), e.start() + e.length(), e.text());
            edits.add(e);
        }
        return made.isEmpty() ? Optional.empty() : Optional.of(made.get(made.size() - 1));
    }

    @Test
    void aStreamingAnswerShowsItsFinishedBlocksRenderedAndFinishingReplacesOnlyItsHeader() {
        SessionModel model = modelWith(List.of());
        renderAll(model);
        model.apply(event("message.start", "input", "plan it", "sender_device", "laptop"));
        for (String piece : List.of("## Plan\n\n", "First **step** ", "done\n\n", "Still *writ")) {
            model.apply(event("message.delta", "text", piece));
            update(model);
        }
        assertTrue(screen.toString().endsWith("You\nplan it\n\nAssistant \u2026\nPlan\n\nFirst step done\n\nStill *writ\n\n"),
                screen.toString());
        int header = screen.lastIndexOf("Assistant \u2026");
        int renderedBlocks = screen.indexOf("Still *writ");

        edits.clear();
        model.apply(event("message.delta", "text", "ing* this."));
        update(model);
        assertEquals(1, edits.size());
        assertTrue(edits.get(0).start() >= renderedBlocks, "the rendered blocks stay: the edit starts at " + edits.get(0).start());

        edits.clear();
        model.apply(event("message.complete", "text", "## Plan\n\nFirst **step** done\n\nStill *writing* this.", "status",
                "complete"));
        update(model);
        assertTrue(screen.toString().endsWith("Assistant\nPlan\n\nFirst step done\n\nStill writing this.\n\n"), screen.toString());
        for (Edit e : edits) {
            assertFalse(e.start() < header, "the transcript changed from " + e.start() + ", before the answer");
            assertFalse(e.start() < renderedBlocks && e.start() > header + "Assistant".length(),
                    "the rendered blocks were replaced from " + e.start());
        }
        assertTrue(update(model).isEmpty(), "nothing changed, nothing to edit");
    }

    @Test
    void thePromptsWaitingShowUnderTheRowsWithAHeaderSayingHowFarTheyAre() {
        SessionModel model = modelWith(List.of(TranscriptRow.user("hello", "desk"), TranscriptRow.assistant("hi", "", "complete")));
        renderAll(model);
        model.addOutgoing("p1", "ship it", "laptop");
        Edit edit = update(model).orElseThrow();
        assertTrue(screen.toString().endsWith("You \u2014 sending...\nship it\n\n"), screen.toString());
        Span pending = edit.spans().get(0);
        assertEquals(Style.PENDING_HEADER, pending.style());
        assertEquals(screen.lastIndexOf("You \u2014"), pending.start());

        model.markOutgoing("p1", OutgoingPrompt.State.FAILED, "gone");
        edit = update(model).orElseThrow();
        assertEquals(Style.FAILED_HEADER, edit.spans().get(0).style());
        assertTrue(screen.toString().contains("gone"), screen.toString());
    }

    @Test
    void theWindowHoldsTheLatestRowsAndGrowsOnRequestKeepingTheTop() {
        List<TranscriptRow> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(TranscriptRow.user("question " + i, "desk"));
        }
        SessionModel model = modelWith(rows);
        FullRender latest = document.startFullRender(model, renderer);
        assertEquals(50, latest.firstRow());
        assertEquals(TranscriptDocument.WINDOW, latest.rows().size());
        assertFalse(latest.keepTop());
        assertTrue(document.isRenderingAll());
        assertTrue(document.finishFullRender(latest, latest.render()).isPresent());
        assertFalse(document.needsFullRender(model.rowCount()));

        document.showEarlier();
        assertTrue(document.needsFullRender(model.rowCount()));
        FullRender earlier = document.startFullRender(model, renderer);
        assertEquals(0, earlier.firstRow());
        assertEquals(250, earlier.rows().size());
        assertTrue(earlier.keepTop(), "older rows appear at the top, where the view stays");
    }

    @Test
    void aFullRenderShowsItsLatestRowsFirstAndTheOlderOnesAboveThemASliceAtATimeWhileAnAnswerStreams() {
        List<TranscriptRow> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(TranscriptRow.user("question " + i, "desk"));
            rows.add(TranscriptRow.assistant("Answer **" + i + "** with [a link](http://example.invalid/" + i + ") and "
                    + "a few words more, so that a slice holds some twenty rows", "", "complete"));
        }
        SessionModel model = modelWith(rows);
        FullRender render = document.startFullRender(model, renderer);
        FullText whole = render.render();
        TranscriptRenderer.Rendered first = document.finishFullRender(render, whole).orElseThrow();
        String all = whole.rendered().text();
        assertTrue(first.text().length() <= TranscriptDocument.SLICE_CHARS, first.text().length() + " characters at once");
        assertTrue(all.endsWith(first.text()), "the latest rows: " + first.text());
        List<Integer> rowStarts = new ArrayList<>();
        int at = 0;
        for (TranscriptDocument.ShownRow row : whole.rows()) {
            rowStarts.add(at);
            at += row.length();
        }
        assertTrue(rowStarts.contains(all.length() - first.text().length()), "whole rows: " + first.text());
        assertTrue(document.hasEarlierSlice());
        screen.append(first.text());
        List<Span> styles = new ArrayList<>(first.spans());

        // an answer streams in meanwhile: its edits land after the rows, wherever the slices have put them
        model.apply(event("message.start", "input", "and now?", "sender_device", "laptop"));
        int slices = 0;
        int delta = 0;
        for (Optional<Edit> slice = document.showEarlierSlice(); slice.isPresent(); slice = document.showEarlierSlice()) {
            Edit e = slice.get();
            assertEquals(0, e.start());
            assertEquals(0, e.length());
            assertTrue(e.text().length() <= TranscriptDocument.SLICE_CHARS);
            screen.insert(0, e.text());
            List<Span> moved = new ArrayList<>(e.spans());
            styles.forEach(span -> moved.add(span.moved(e.text().length())));
            styles = moved;
            slices++;
            model.apply(event("message.delta", "text", "word" + delta++ + " "));
            update(model);
        }
        assertTrue(slices >= 3, slices + " slices");
        assertFalse(document.hasEarlierSlice());
        assertEquals(all, screen.substring(0, all.length()), "every row, in order");
        assertTrue(screen.toString().endsWith("word" + (delta - 1) + " \n\n"), screen.toString());
        // the slices' styles are the full render's, in the same places
        assertEquals(TranscriptDocument.flatten(whole.rendered().spans(), 0), styles);
        // and the hotspots count from the start of the whole text
        int link = all.lastIndexOf("a link");
        assertEquals("http://example.invalid/299", document.hotspotAt(link + 1).orElseThrow().hotspot().target());
        link = all.indexOf("a link");
        assertEquals("http://example.invalid/200", document.hotspotAt(link + 1).orElseThrow().hotspot().target());
    }

    @Test
    void aFullRenderThatKeepsTheTopShowsEveryRowAtOnce() {
        List<TranscriptRow> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(TranscriptRow.user("question " + i + " " + "x".repeat(40), "desk"));
        }
        SessionModel model = modelWith(rows);
        renderAll(model);
        document.showEarlier();
        FullRender earlier = document.startFullRender(model, renderer);
        FullText whole = earlier.render();
        assertEquals(whole.rendered().text(), document.finishFullRender(earlier, whole).orElseThrow().text());
        assertFalse(document.hasEarlierSlice());
    }

    @Test
    void anOlderFullRenderThatArrivesLateIsDropped() {
        SessionModel model = modelWith(List.of(TranscriptRow.user("one", "")));
        FullRender first = document.startFullRender(model, renderer);
        FullRender second = document.startFullRender(model, renderer);
        assertFalse(document.finishFullRender(first, first.render()).isPresent());
        assertTrue(document.isRenderingAll(), "the newer one is still on its way");
        assertTrue(document.finishFullRender(second, second.render()).isPresent());
        assertFalse(document.isRenderingAll());
    }

    @Test
    void aModelWithFewerRowsThanShownIsRenderedAgain() {
        SessionModel model = modelWith(List.of(TranscriptRow.user("one", ""), TranscriptRow.user("two", "")));
        renderAll(model);
        assertFalse(document.needsFullRender(2));
        assertTrue(document.needsFullRender(1));
        document.requestFullRender();
        assertTrue(document.needsFullRender(2));
    }

    @Test
    void spansComeInOrderWithoutOverlapTheOuterOneKept() {
        List<Span> flat = TranscriptDocument.flatten(List.of(new Span(10, 2, Style.CODE), new Span(0, 8, Style.HEADER),
                new Span(2, 3, Style.BOLD)), 100);
        assertEquals(List.of(new Span(100, 8, Style.HEADER), new Span(110, 2, Style.CODE)), flat);
    }

    private static Frame.Event agentEvent(GatewayEvent e) {
        return new Frame.Event(e.type(), "s1", e.toJson(), -1, null);
    }

    /** What a new chat would show for the model now: a full render of it. */
    private String freshRender(SessionModel model) {
        TranscriptDocument fresh = new TranscriptDocument();
        FullRender render = fresh.startFullRender(model, renderer);
        return render.render().rendered().text();
    }

    private static TranscriptRow editRow(String status) {
        return TranscriptRow.tool("Edit Main.java", "", status, AgentRowsRenderingTest.editCall("c1", "/src/Main.java"));
    }

    @Test
    void aToolRowReplacedInPlaceIsRenderedAgainAloneAndTheRowsAfterItStay() {
        List<TranscriptRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(TranscriptRow.user("question " + i, "laptop"));
        }
        rows.add(editRow(ToolCall.PENDING));
        rows.add(TranscriptRow.tool("Run the tests", "", ToolCall.COMPLETED,
                new ToolCall("c2", "execute", "all green\n", List.of(), List.of(), false)));
        // attached while the turn runs: its tool rows are the ones the agent still updates
        SessionModel model = new SessionModel("s1");
        model.hydrate(new SessionSnapshot("s1", "k1", "Plan", "echo", 0, rows, rows.size(), true, "working", "", "", -1,
                null, List.of(), List.of()));
        renderAll(model);
        update(model); // the running turn's answer, under the rows
        int rowStart = screen.indexOf("\u25be \u25cb Edit Main.java");
        int after = screen.indexOf("\u25b8 \u2713 Run the tests");
        assertTrue(rowStart >= 0 && after > rowStart, screen.toString());
        assertTrue(screen.toString().contains("+        return 2;"), "open while it waits");

        model.apply(agentEvent(new GatewayEvent.ToolUpdate("c1", "Edit Main.java", "", ToolCall.COMPLETED,
                AgentRowsRenderingTest.editCall("c1", "/src/Main.java"))));
        assertEquals(52, model.rowCount(), "replaced, not added");
        List<Edit> made = document.update(model, renderer);
        assertEquals(1, made.size(), made.toString());
        Edit edit = made.get(0);
        assertTrue(edit.start() >= rowStart && edit.start() + edit.length() <= after, "only the tool row changes: " + edit);
        String row = "\u25b8 \u2713 Edit Main.java  \u00b7 edit \u00b7 Main.java:3 \u2014 completed\n\n";
        assertEquals(rowStart, edit.restyleStart());
        assertEquals(row.length(), edit.restyleLength(), "the row's styles are set again whole");
        assertTrue(edit.spans().stream().allMatch(sp -> sp.start() >= rowStart && sp.start() + sp.length() <= rowStart + row.length()));
        screen.replace(edit.start(), edit.start() + edit.length(), edit.text());
        String answer = TranscriptRenderer.streamingHeader() + "\n\n\n";
        assertEquals(freshRender(model) + answer, screen.toString());
        assertTrue(screen.toString().endsWith(row + "\u25b8 \u2713 Run the tests  \u00b7 execute \u2014 completed\n\n"
                + answer), screen.toString());
        assertTrue(update(model).isEmpty(), "nothing changed since");
    }

    @Test
    void aTurnsToolAndPlanRowsUpdatedWhileItStreamsEndAsANewChatWouldShowThem() {
        SessionModel model = modelWith(List.of());
        renderAll(model);
        model.apply(event("message.start", "input", "fix it", "sender_device", "laptop"));
        model.apply(event("message.delta", "text", "Looking at it.\n\n"));
        update(model);
        model.apply(agentEvent(new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Fix", "high", "in_progress"),
                new PlanEntry("Test", "", "pending")))));
        model.apply(agentEvent(new GatewayEvent.ToolStart("c1", "Edit Main.java", "", ToolCall.PENDING,
                AgentRowsRenderingTest.editCall("c1", "/src/Main.java"))));
        update(model);
        assertTrue(screen.toString().contains("\u25be \u25cb Edit Main.java"), screen.toString());
        model.apply(event("message.delta", "text", "Edited."));
        update(model);

        int planStart = screen.indexOf("Plan  0 of 2 done");
        edits.clear();
        model.apply(agentEvent(new GatewayEvent.ToolUpdate("c1", "Edit Main.java", "", ToolCall.COMPLETED,
                AgentRowsRenderingTest.editCall("c1", "/src/Main.java"))));
        model.apply(agentEvent(new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Fix", "high", "completed"),
                new PlanEntry("Test", "", "in_progress")))));
        update(model);
        assertEquals(2, edits.size(), "the tool row and the plan row, each alone: " + edits);
        Edit plan = edits.get(0);
        assertEquals(planStart + "Plan  ".length(), plan.start(), "only from the plan's first changed character: " + plan);
        assertEquals(planStart, plan.restyleStart(), "its styles are set again whole (a step done is no longer bold)");
        assertEquals("Plan  1 of 2 done\n\u2713 Fix  \u00b7 high priority\n\u25d0 Test\n\n".length(), plan.restyleLength());
        String text = screen.toString();
        assertEquals(1, text.split("Edit Main.java", -1).length - 1, "one tool row: " + text);
        assertTrue(text.contains("Plan  1 of 2 done\n\u2713 Fix  \u00b7 high priority\n\u25d0 Test\n"), text);
        assertTrue(text.endsWith("Assistant \u2026\nLooking at it.\n\nEdited.\n\n"), "the stream stays last: " + text);

        model.apply(event("message.complete", "text", "Looking at it.\n\nEdited.", "status", "complete"));
        update(model);
        assertEquals(freshRender(model), screen.toString());
    }

    @Test
    void aRowWhoseLookChangesIsRenderedAgainAndItsHeaderIsWhereAClickActs() {
        SessionModel model = modelWith(List.of(TranscriptRow.user("fix it", "laptop"), editRow(ToolCall.COMPLETED)));
        renderAll(model);
        int header = screen.indexOf("\u25b8 \u2713 Edit Main.java");
        Hit hit = document.hotspotAt(header + 4).orElseThrow();
        assertEquals("c1", hit.row().toolId());
        assertEquals(Action.TOGGLE, hit.hotspot().action());
        assertEquals(header, hit.start());
        assertTrue(document.hotspotAt(2).isEmpty(), "the user's row does nothing on a click");
        assertFalse(screen.toString().contains("return 2"));

        view.chosen.put("c1", true); // as a click on the header does
        update(model);
        assertEquals(freshRender(model), screen.toString());
        assertTrue(screen.toString().contains("+        return 2;"), screen.toString());
        assertTrue(document.hotspotAt(screen.indexOf("+        return 2;")).isEmpty());
        view.chosen.put("c1", false);
        update(model);
        assertFalse(screen.toString().contains("return 2"));
        assertTrue(update(model).isEmpty());
    }
}
