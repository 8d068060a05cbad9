package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.internal.chat.TranscriptRenderer;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Action;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Hotspot;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.ToolRowView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rows an agent reports, as the chat renders them (pure, no display): a tool call's header with its status,
 * closed once completed and open while it runs or on request, its content in monospace and its diffs as coloured
 * unified diffs, bounded; a plan as a checklist.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class AgentRowsRenderingTest {

    static final String OLD = "class Main {\n    int answer() {\n        return 1;\n    }\n}\n";
    static final String NEW = "class Main {\n    int answer() {\n        return 2;\n    }\n}\n";

    static ToolCall editCall(String id, String path) {
        return new ToolCall(id, "edit", "", List.of(new ToolCall.Diff(path, OLD, NEW)),
                List.of(new ToolCall.Location(path, 3)), false);
    }

    /** The person's choices, and the files that are here. */
    static final class View implements ToolRowView {
        final Map<String, Boolean> chosen = new HashMap<>();
        final Set<String> here;

        View(Set<String> here) {
            this.here = here;
        }

        @Override
        public Boolean chosen(String toolId) {
            return chosen.get(toolId);
        }

        @Override
        public boolean canCompare(String path) {
            return here.contains(path);
        }
    }

    private static Rendered render(TranscriptRenderer renderer, TranscriptRow row) {
        return renderer.renderRow(row, renderer.look(row));
    }

    /** The style of the span that covers {@code needle}'s first character, or null. */
    private static Style styleAt(Rendered r, String needle) {
        int at = r.text().indexOf(needle);
        assertTrue(at >= 0, "no " + needle + " in " + r.text());
        for (Span s : r.spans()) {
            if (s.start() <= at && at < s.start() + s.length()) {
                return s.style();
            }
        }
        return null;
    }

    @Test
    void aToolCallIsOneHeaderLineOpenWhileItRunsAndClosedOnceCompleted() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false, new View(Set.of()));
        ToolCall call = editCall("c1", "/src/demo/Main.java");
        // the gateway's context line (for clients that show no detail) says again what kind and places say
        Rendered pending = render(renderer, TranscriptRow.tool("Edit Main.java", "edit: /src/demo/Main.java:3",
                ToolCall.PENDING, call));
        String header = pending.text().substring(0, pending.text().indexOf('\n'));
        assertEquals("\u25be \u25cb Edit Main.java  \u00b7 edit \u00b7 Main.java:3 \u2014 pending", header);
        assertTrue(pending.text().contains("\n+        return 2;\n"), "open while it waits: " + pending.text());
        int place = header.indexOf("Main.java:3");
        int diffPath = pending.text().indexOf("/src/demo/Main.java");
        assertEquals(List.of(new Hotspot(place, "Main.java:3".length(), Action.OPEN, -1, "/src/demo/Main.java:3"),
                new Hotspot(0, header.length(), Action.TOGGLE, -1),
                new Hotspot(diffPath, "/src/demo/Main.java".length(), Action.OPEN, -1, "/src/demo/Main.java")),
                pending.hotspots(), "the whole header opens and closes it; its place and the diff's path open the file");
        assertEquals(Style.LINK, styleAt(pending, "Main.java:3"));

        Rendered running = render(renderer, TranscriptRow.tool("Edit Main.java", "", ToolCall.IN_PROGRESS, call));
        assertTrue(running.text().startsWith("\u25be \u25d0 Edit Main.java"), running.text());
        assertEquals(Style.RUNNING, styleAt(running, "\u25d0"));

        Rendered done = render(renderer, TranscriptRow.tool("Edit Main.java", "", ToolCall.COMPLETED, call));
        assertEquals("\u25b8 \u2713 Edit Main.java  \u00b7 edit \u00b7 Main.java:3 \u2014 completed\n\n", done.text(),
                "closed once completed, one line");
        assertEquals(Style.DONE, styleAt(done, "\u2713"));
        assertEquals(Style.QUIET, styleAt(done, "\u00b7 edit"));

        Rendered failed = render(renderer, TranscriptRow.tool("Edit Main.java", "", ToolCall.FAILED, call));
        assertTrue(failed.text().startsWith("\u25be \u2717 Edit Main.java"), "a failure stays open, to show why");
        assertEquals(Style.FAILED, styleAt(failed, "\u2717"));
    }

    @Test
    void aPersonsChoiceOpensACompletedCallAndClosesARunningOne() {
        View view = new View(Set.of());
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false, view);
        TranscriptRow done = TranscriptRow.tool("Edit Main.java", "", ToolCall.COMPLETED, editCall("c1", "/src/Main.java"));
        Object closed = renderer.look(done);
        view.chosen.put("c1", true);
        Object opened = renderer.look(done);
        assertFalse(closed.equals(opened), "a different look: the row is rendered again");
        Rendered r = render(renderer, done);
        assertTrue(r.text().startsWith("\u25be \u2713"), r.text());
        assertTrue(r.text().contains("-        return 1;"), r.text());

        TranscriptRow running = TranscriptRow.tool("Run tests", "", ToolCall.IN_PROGRESS,
                new ToolCall("c2", "execute", "all green\n", List.of(), List.of(), false));
        view.chosen.put("c2", false);
        assertEquals("\u25b8 \u25d0 Run tests  \u00b7 execute \u2014 in progress\n\n", render(renderer, running).text());
    }

    @Test
    void aDiffIsAUnifiedDiffWithAddedLinesGreenRemovedRedAndHunkHeadersQuiet() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false, new View(Set.of()));
        Rendered r = render(renderer, TranscriptRow.tool("Edit Main.java", "", ToolCall.PENDING,
                editCall("c1", "/src/demo/Main.java")));
        String text = r.text();
        assertTrue(text.contains("\n/src/demo/Main.java  +1 \u22121\n@@ -1,5 +1,5 @@\n class Main {\n     int answer() {\n"
                + "-        return 1;\n+        return 2;\n     }\n }\n\n"), text);
        assertEquals(Style.DIFF_ADDED, styleAt(r, "+        return 2;"));
        assertEquals(Style.DIFF_REMOVED, styleAt(r, "-        return 1;"));
        assertEquals(Style.DIFF_HUNK, styleAt(r, "@@ -1,5"));
        assertEquals(Style.CODE, styleAt(r, " class Main {"), "context lines are monospace too");
        assertEquals(Style.LINK, styleAt(r, "/src/demo/Main.java"), "the diff's path opens the file");
        assertFalse(text.contains("Open in Compare Editor"), "the file is not on this machine");
    }

    @Test
    void aDiffOfAFileOnThisMachineOffersTheCompareEditor() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false, new View(Set.of("/src/b.txt")));
        ToolCall call = new ToolCall("c1", "edit", "", List.of(new ToolCall.Diff("/elsewhere/a.txt", "a\n", "b\n"),
                new ToolCall.Diff("/src/b.txt", "", "new file\n")), List.of(), false);
        Rendered r = render(renderer, TranscriptRow.tool("Edit two files", "", ToolCall.PENDING, call));
        int link = r.text().indexOf("Open in Compare Editor");
        assertTrue(link > r.text().indexOf("/src/b.txt"), r.text());
        assertEquals(r.text().lastIndexOf("Open in Compare Editor"), link, "only for the file that is here");
        assertEquals(Style.LINK, styleAt(r, "Open in Compare Editor"));
        assertEquals(List.of(Action.OPEN, Action.OPEN, Action.TOGGLE, Action.OPEN, Action.OPEN, Action.COMPARE),
                r.hotspots().stream().map(Hotspot::action).toList(), "the places, the header, each diff's path, compare");
        assertEquals(List.of("/elsewhere/a.txt", "/src/b.txt", "/elsewhere/a.txt", "/src/b.txt"), r.hotspots().stream()
                .filter(h -> h.action() == Action.OPEN).map(Hotspot::target).toList());
        Hotspot compare = r.hotspots().get(5);
        assertEquals(new Hotspot(link, "Open in Compare Editor".length(), Action.COMPARE, 1), compare);
        assertTrue(r.text().contains("@@ -0,0 +1,1 @@\n+new file"), r.text());
        assertTrue(r.text().startsWith("\u25be \u25cb Edit two files  \u00b7 edit \u00b7 a.txt, b.txt \u2014 pending"),
                "a call naming no places names its diffs' files: " + r.text());
    }

    @Test
    void contentIsMonospaceAndBigDetailIsBoundedAndSaysSo() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            output.append("line ").append(i).append('\n');
        }
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("row ").append(i).append('\n');
        }
        ToolCall call = new ToolCall("c1", "execute", output.toString(),
                List.of(new ToolCall.Diff("/tmp/big.txt", "", big.toString())), List.of(), true);
        Rendered r = render(renderer, TranscriptRow.tool("Run it", "", ToolCall.FAILED, call));
        assertEquals(Style.CODE, styleAt(r, "line 0\n"));
        assertTrue(r.text().contains("line " + (TranscriptRenderer.MAX_CONTENT_LINES - 1) + "\n"));
        assertFalse(r.text().contains("line " + TranscriptRenderer.MAX_CONTENT_LINES + "\n"));
        assertTrue(r.text().contains("\u2026 " + (1000 - TranscriptRenderer.MAX_CONTENT_LINES) + " more lines not shown"),
                r.text().substring(0, 200));
        long diffLines = r.text().lines().filter(l -> l.startsWith("+row ")).count();
        assertEquals(TranscriptRenderer.MAX_DIFF_LINES - 1, diffLines, "the hunk header and the lines within the bound");
        assertTrue(r.text().contains("\u2026 " + (5001 - TranscriptRenderer.MAX_DIFF_LINES)
                + " more lines of this change not shown"));
        assertTrue(r.text().contains("/tmp/big.txt  +5000 \u22120"), "the counts are of the whole change");
        assertTrue(r.text().contains("too large to keep"), "the gateway cut it, and the row says so");
        assertEquals(Style.NOTE, styleAt(r, "Part of this call"));
    }

    @Test
    void aHermesToolRowStaysOneQuietLine() {
        Rendered r = render(new TranscriptRenderer("laptop", false), TranscriptRow.tool("terminal", "ls -la"));
        assertEquals("\u2699 terminal: ls -la\n\n", r.text());
        assertEquals(List.of(new Span(0, "\u2699 terminal: ls -la".length(), Style.QUIET)), r.spans());
        assertEquals(List.of(), r.hotspots());
        TranscriptRow noDetail = TranscriptRow.tool("Read notes", "", ToolCall.COMPLETED,
                new ToolCall("c3", "read", "", List.of(), List.of(new ToolCall.Location("/n/notes.md", 0)), false));
        assertEquals("\u2713 Read notes  \u00b7 read \u00b7 notes.md \u2014 completed\n\n",
                render(new TranscriptRenderer("laptop", false), noDetail).text(), "nothing to open: no open/closed mark");
    }

    @Test
    void aPlanIsAChecklistWithItsPrioritiesQuiet() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);
        Rendered r = render(renderer, TranscriptRow.plan(List.of(new PlanEntry("Read the parser", "high", "completed"),
                new PlanEntry("Write the test", "medium", "in_progress"), new PlanEntry("Ship it", "low", "pending"))));
        assertEquals("Plan  1 of 3 done\n\u2713 Read the parser  \u00b7 high priority\n"
                + "\u25d0 Write the test  \u00b7 medium priority\n\u25cb Ship it  \u00b7 low priority\n\n", r.text());
        assertEquals(Style.HEADER, styleAt(r, "Plan"));
        assertEquals(Style.DONE, styleAt(r, "\u2713"));
        assertEquals(Style.QUIET, styleAt(r, "Read the parser"), "a step done reads as done");
        assertEquals(Style.RUNNING, styleAt(r, "\u25d0"));
        assertEquals(Style.BOLD, styleAt(r, "Write the test"), "the step being worked on stands out");
        assertEquals(Style.QUIET, styleAt(r, "\u25cb"));
        assertEquals(null, styleAt(r, "Ship it"));
        assertEquals(Style.QUIET, styleAt(r, "  \u00b7 low priority"));
    }

    @Test
    void rowsRenderedTogetherAreTheRowsOneAfterTheOther() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false, new View(Set.of("/src/Main.java")));
        List<TranscriptRow> rows = List.of(TranscriptRow.user("fix it", "laptop"),
                TranscriptRow.tool("Edit Main.java", "", ToolCall.PENDING, editCall("c1", "/src/Main.java")),
                TranscriptRow.plan(List.of(new PlanEntry("Fix", "", "in_progress"))));
        Rendered all = renderer.render(rows);
        StringBuilder joined = new StringBuilder();
        List<Hotspot> hotspots = new ArrayList<>();
        for (TranscriptRow row : rows) {
            Rendered one = render(renderer, row);
            int offset = joined.length();
            one.hotspots().forEach(h -> hotspots.add(h.moved(offset)));
            joined.append(one.text());
        }
        assertEquals(joined.toString(), all.text());
        assertEquals(hotspots, all.hotspots());
        assertNotNull(styleAt(all, "Open in Compare Editor"));
    }
}
