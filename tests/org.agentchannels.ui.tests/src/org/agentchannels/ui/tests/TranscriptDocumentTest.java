package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.internal.chat.TranscriptDocument;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Edit;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullRender;
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
    private final TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);
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

    /** A full render made at once (the pane makes it in a Job), put on the screen as the pane sets it. */
    private void renderAll(SessionModel model) {
        FullRender render = document.startFullRender(model);
        TranscriptRenderer.Rendered r = renderer.render(render.rows());
        assertTrue(document.finishFullRender(render, r));
        screen.setLength(0);
        screen.append(r.text());
    }

    private Optional<Edit> update(SessionModel model) {
        Optional<Edit> edit = document.updateTail(model, renderer);
        edit.ifPresent(e -> {
            screen.replace(e.start(), e.start() + e.length(), e.text());
            edits.add(e);
        });
        return edit;
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
        FullRender latest = document.startFullRender(model);
        assertEquals(50, latest.firstRow());
        assertEquals(TranscriptDocument.WINDOW, latest.rows().size());
        assertFalse(latest.keepTop());
        assertTrue(document.isRenderingAll());
        assertTrue(document.finishFullRender(latest, renderer.render(latest.rows())));
        assertFalse(document.needsFullRender(model.rowCount()));

        document.showEarlier();
        assertTrue(document.needsFullRender(model.rowCount()));
        FullRender earlier = document.startFullRender(model);
        assertEquals(0, earlier.firstRow());
        assertEquals(250, earlier.rows().size());
        assertTrue(earlier.keepTop(), "older rows appear at the top, where the view stays");
    }

    @Test
    void anOlderFullRenderThatArrivesLateIsDropped() {
        SessionModel model = modelWith(List.of(TranscriptRow.user("one", "")));
        FullRender first = document.startFullRender(model);
        FullRender second = document.startFullRender(model);
        assertFalse(document.finishFullRender(first, renderer.render(first.rows())));
        assertTrue(document.isRenderingAll(), "the newer one is still on its way");
        assertTrue(document.finishFullRender(second, renderer.render(second.rows())));
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
}
