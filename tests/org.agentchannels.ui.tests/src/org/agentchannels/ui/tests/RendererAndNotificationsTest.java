package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.ui.internal.RemoteNotifications;
import org.agentchannels.ui.internal.chat.TranscriptRenderer;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/** What the chat shows for rows, and when a notification is due. */
@ExtendWith(NoErrorLoggedExtension.class)
class RendererAndNotificationsTest {

    private static String styled(Rendered r, Style style) {
        StringBuilder out = new StringBuilder();
        for (Span s : r.spans()) {
            if (s.style() == style) {
                out.append('[').append(r.text(), s.start(), s.start() + s.length()).append(']');
            }
        }
        return out.toString();
    }

    /** The text of each code block, in order. */
    private static List<String> code(Rendered r) {
        return r.spans().stream().filter(s -> s.style() == Style.CODE_BLOCK).map(s -> s.code()).toList();
    }

    @Test
    void codeIsShadedAsCodeAndAFencedBlockNamesItsLanguage() {
        Rendered r = new TranscriptRenderer("laptop", false).markdownFragment(
                "Call `parse()` here:\n\n```java\nint depth = 0;\nparse(text);\n```\n\n    indented();\n");
        assertEquals("[parse()]", styled(r, Style.INLINE_CODE));
        assertEquals("[\uFFFC][\uFFFC]", styled(r, Style.CODE_BLOCK), "each block one character, the chat's view over it");
        assertEquals(List.of("int depth = 0;\nparse(text);", "indented();"), code(r), "exactly the code, what Copy would take");
        assertEquals("[java]", styled(r, Style.QUIET), "the language above the block");
        assertTrue(r.text().contains("java  Copy\n\uFFFC"), "beside it, the block's Copy link: " + r.text());
        assertTrue(r.text().contains("\nCopy\n\uFFFC"), "an indented block has one too: " + r.text());
        assertEquals("", styled(r, Style.CODE), "plain monospace is for tool output and diffs");
    }

    @Test
    void theFinishedBlocksOfAStreamingAnswerEndAfterItsLastBlankLineOutsideCode() {
        String text = "## Plan\n\nFirst **step**\n\n```\ncode\n\nstill code\n";
        int end = TranscriptRenderer.finishedBlocksEnd(text, 0);
        assertEquals(text.indexOf("```"), end, "a blank line inside a fenced block ends nothing");
        assertEquals(end, TranscriptRenderer.finishedBlocksEnd(text, end));
        String closed = text + "```\n\nNext par";
        assertEquals(closed.indexOf("Next"), TranscriptRenderer.finishedBlocksEnd(closed, end));
        assertEquals(0, TranscriptRenderer.finishedBlocksEnd("no blank line yet", 0));
    }

    @Test
    void anAnswerRenderedBlockByBlockWhileItStreamsReadsAsTheFinishedAnswer() {
        String answer = "## Release\n\n1. **Tests** are green\n2. Docs with `code`\n\nA [link](http://example.invalid) "
                + "and *more*.\n\n```\nmake ship\n```\n\n- one\n- two\n\nThe end.";
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);
        StringBuilder streamed = new StringBuilder();
        int from = 0;
        while (true) {
            int end = TranscriptRenderer.finishedBlocksEnd(answer, from);
            if (end == from) {
                break;
            }
            Rendered chunk = renderer.markdownFragment(answer.substring(from, end));
            streamed.append(streamed.length() > 0 ? TranscriptRenderer.BLOCK_SEPARATOR : "").append(chunk.text());
            from = end;
        }
        streamed.append(TranscriptRenderer.BLOCK_SEPARATOR).append(renderer.markdownFragment(answer.substring(from)).text());
        Rendered whole = renderer.render(List.of(TranscriptRow.assistant(answer, "", "complete")));
        assertEquals(whole.text(), "Assistant\n" + streamed + "\n\n");
        assertTrue(!streamed.toString().contains("**") && !streamed.toString().contains("##"), streamed.toString());
    }

    @Test
    void userRowsSayWhichDeviceTheyCameFrom() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);
        Rendered r = renderer.render(List.of(TranscriptRow.user("mine", "laptop"), TranscriptRow.user("theirs", "desk")));
        assertEquals("You\nmine\n\nFrom desk\ntheirs\n\n", r.text());
        assertEquals("[You][From desk]", styled(r, Style.HEADER));
    }

    @Test
    void assistantMarkdownIsParsedIntoStyles() {
        TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);
        Rendered r = renderer.render(List.of(TranscriptRow.assistant(
                "# Plan\n\nRun **all** the *tests* with `mvn verify`:\n\n- one\n- two\n\n```\ncode block\n```", "", "complete")));
        assertTrue(r.text().contains("Plan\n\nRun all the tests with mvn verify:\n\n"), r.text());
        assertTrue(r.text().contains("\u2022 one\n\u2022 two\n"), r.text());
        assertEquals("[Plan]", styled(r, Style.HEADING));
        assertEquals("[all]", styled(r, Style.BOLD));
        assertEquals("[tests]", styled(r, Style.ITALIC));
        assertEquals("[mvn verify]", styled(r, Style.INLINE_CODE));
        assertEquals(List.of("code block"), code(r));
    }

    @Test
    void reasoningIsCollapsedUnlessShownAndFailuresAreMarked() {
        TranscriptRow row = TranscriptRow.assistant("answer", "thinking hard", "complete");
        assertTrue(new TranscriptRenderer("", false).render(List.of(row)).text().contains("(reasoning hidden, 13 characters)"));
        assertTrue(new TranscriptRenderer("", true).render(List.of(row)).text().contains("thinking hard"));
        Rendered failed = new TranscriptRenderer("", false).render(List.of(TranscriptRow.assistant("HTTP 401", "", "error")));
        assertEquals("[HTTP 401]", styled(failed, Style.FAILED));
        assertTrue(failed.text().startsWith("Assistant \u2014 failed\n"));
        Rendered tool = new TranscriptRenderer("", false).render(List.of(TranscriptRow.tool("terminal", "ls -la")));
        assertEquals("[\u2699 terminal: ls -la]", styled(tool, Style.QUIET));
    }

    @Test
    void veryLongLinesAreBrokenAtSpacesWithoutMovingAnythingAndGrowingTextOnlyGrows() {
        String words = "word ".repeat(2000);
        String broken = TranscriptRenderer.breakLongLines(words);
        assertEquals(words.length(), broken.length());
        assertTrue(broken.lines().allMatch(l -> l.length() <= TranscriptRenderer.LONG_LINE + 5));
        for (int cut = 1; cut < words.length(); cut += 97) {
            String prefix = TranscriptRenderer.breakLongLines(words.substring(0, cut));
            assertTrue(broken.startsWith(prefix), "a streamed prefix is a prefix of the whole at " + cut);
        }
        assertEquals("short line", TranscriptRenderer.breakLongLines("short line"));
    }

    @Test
    void aNotificationIsDueWhenATurnEndsOrInputIsNeeded() {
        assertEquals(RemoteNotifications.Event.FINISHED, RemoteNotifications.eventFor(SessionActivity.WORKING, SessionActivity.IDLE));
        assertEquals(RemoteNotifications.Event.NEEDS_INPUT,
                RemoteNotifications.eventFor(SessionActivity.WORKING, SessionActivity.NEEDS_INPUT));
        assertNull(RemoteNotifications.eventFor(SessionActivity.IDLE, SessionActivity.IDLE));
        assertNull(RemoteNotifications.eventFor(null, SessionActivity.IDLE));
        assertNull(RemoteNotifications.eventFor(SessionActivity.NEEDS_INPUT, SessionActivity.NEEDS_INPUT));
    }
}
