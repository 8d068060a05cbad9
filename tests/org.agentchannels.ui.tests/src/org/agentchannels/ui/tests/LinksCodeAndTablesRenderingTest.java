package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.ui.internal.chat.LinkTarget;
import org.agentchannels.ui.internal.chat.TranscriptDocument;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullRender;
import org.agentchannels.ui.internal.chat.TranscriptDocument.FullText;
import org.agentchannels.ui.internal.chat.TranscriptDocument.Hit;
import org.agentchannels.ui.internal.chat.TranscriptRenderer;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Action;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Hotspot;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Rendered;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Span;
import org.agentchannels.ui.internal.chat.TranscriptRenderer.Style;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.gson.JsonObject;

/**
 * Links, code blocks and tables in the transcript, as rendered (pure, no display): paths and URLs in answers and
 * tool rows become link hotspots carrying their target, Markdown links to a web page or a file too, never another
 * scheme; a code block's Copy carries exactly its text; a GFM table is laid out in aligned columns, CJK counted
 * as two columns and very wide cells cut; a long answer costs no more than its length and its links are bounded.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class LinksCodeAndTablesRenderingTest {

    private final TranscriptRenderer renderer = new TranscriptRenderer("laptop", false);

    private static List<String> targets(Rendered r) {
        return r.hotspots().stream().filter(h -> h.action() == Action.OPEN).map(Hotspot::target).toList();
    }

    /** The text each link hotspot covers. */
    private static List<String> linked(Rendered r) {
        return r.hotspots().stream().filter(h -> h.action() == Action.OPEN)
                .map(h -> r.text().substring(h.start(), h.start() + h.length())).toList();
    }

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
    void pathsAndUrlsInAnAnswerAreLinksThatCarryTheirTarget() {
        Rendered r = renderer.markdownFragment("See src/Foo.java:42, then src/Foo.java:42:7 and /home/me/notes.md "
                + "(or https://example.org/wiki/A_(b)). Main.java:3 too; 请看lib/中文.txt 和 docs/guide.md。\n\n"
                + "Not /approve, and/or, e.g. or 1.5/2, nor example.org.");
        assertEquals(List.of("src/Foo.java:42", "src/Foo.java:42:7", "/home/me/notes.md", "https://example.org/wiki/A_(b)",
                "Main.java:3", "docs/guide.md"), targets(r));
        assertEquals(targets(r), linked(r), "a link found in text covers exactly its target");
        assertEquals(Style.LINK, styleAt(r, "src/Foo.java:42,"));
        assertTrue(r.text().contains("(or https://example.org/wiki/A_(b)). Main.java"), r.text());
    }

    @Test
    void inlineCodeThatIsAPathIsAMonospaceLinkAndMarkdownLinksOpenOnlyWebPagesAndFiles() {
        Rendered r = renderer.markdownFragment("Open `src/Foo.java:3` or `parse()`, read [the guide](docs/guide.md) and "
                + "[the site](https://example.org/a), but not [this](javascript:alert(1)) nor [mail](mailto:a@b.c). "
                + "A [file URL](file:///tmp/notes.txt).");
        assertEquals(List.of("src/Foo.java:3", "docs/guide.md", "https://example.org/a", "file:///tmp/notes.txt"), targets(r));
        assertEquals(List.of("src/Foo.java:3", "the guide", "the site", "file URL"), linked(r));
        assertEquals(Style.CODE_LINK, styleAt(r, "src/Foo.java:3"));
        assertEquals(Style.INLINE_CODE, styleAt(r, "parse()"));
        assertEquals(Style.LINK, styleAt(r, "this"), "a link still, though it opens nothing");
    }

    @Test
    void aLinksTargetReadsAsAWebPageOrAFileWithItsLineAndNothingElse() {
        assertEquals(Optional.of(new LinkTarget(LinkTarget.Kind.FILE, "", "src/Foo.java", 42, 7)), LinkTarget.parse("src/Foo.java:42:7"));
        assertEquals(Optional.of(new LinkTarget(LinkTarget.Kind.FILE, "", "src/Foo.java", 42, 0)), LinkTarget.parse("./src/Foo.java:42"));
        assertEquals(Optional.of(new LinkTarget(LinkTarget.Kind.FILE, "", "Foo.java", 10, 0)), LinkTarget.parse("Foo.java#L10"));
        assertEquals(Optional.of(new LinkTarget(LinkTarget.Kind.FILE, "", "/tmp/a b.txt", 3, 0)), LinkTarget.parse("file:///tmp/a%20b.txt:3"));
        assertEquals(Optional.of(new LinkTarget(LinkTarget.Kind.FILE, "", "C:\\work\\a.txt", 4, 0)), LinkTarget.parse("C:\\work\\a.txt:4"));
        assertEquals(LinkTarget.Kind.WEB, LinkTarget.parse("HTTPS://Example.org/x?y=1#z").orElseThrow().kind());
        assertEquals("https://example.org/x?y=1#z", LinkTarget.parse("https://example.org/x?y=1#z").orElseThrow().url());
        for (String never : List.of("javascript:alert(1)", "JavaScript:alert(1)", "mailto:a@b.c", "data:text/html,hi",
                "ftp://example.org/f", "file://otherhost/share/a.txt", "http://", "#anchor", "", "vbscript:x")) {
            assertEquals(Optional.empty(), LinkTarget.parse(never), never);
        }
    }

    @Test
    void codeBlocksKeepTheirTextUnlinkedAndTheirCopyCarriesExactlyIt() {
        Rendered r = renderer.markdownFragment("Run:\n\n```sh\ncd src/app && ./build.sh https://example.org\nls\n```\n\n"
                + "    indented();\n    more();\n\n```\n```\n");
        assertEquals(List.of(), targets(r), "nothing in a code block is a link: " + r.text());
        List<Hotspot> copies = r.hotspots().stream().filter(h -> h.action() == Action.COPY).toList();
        assertEquals(List.of("cd src/app && ./build.sh https://example.org\nls", "indented();\nmore();"),
                copies.stream().map(Hotspot::target).toList(), "exactly each block's text; an empty block has no Copy");
        for (Hotspot copy : copies) {
            assertEquals("Copy", r.text().substring(copy.start(), copy.start() + copy.length()));
            int block = copy.start() + copy.length() + 1;
            assertEquals('\n', r.text().charAt(block - 1), "Copy ends its line");
            assertEquals(TranscriptRenderer.CODE_BLOCK_OBJECT, r.text().charAt(block), "the block follows it");
            assertEquals(copy.target(), r.spans().stream().filter(s -> s.start() == block).findFirst().orElseThrow().code());
            assertEquals(Style.LINK, styleAt(r, r.text().substring(copy.start(), copy.start() + copy.length() + 1)));
        }
        assertTrue(r.text().startsWith("Run:\n\nsh  Copy\n\uFFFC\n"), r.text());
    }

    @Test
    void toolRowsLinkTheirPlacesTheirOutputsPathsAndTheirDiffsPaths() {
        ToolCall call = new ToolCall("c1", "execute", "FAIL src/test/FooTest.java:12 expected 2\nsee https://ci.example.org/1\n",
                List.of(new ToolCall.Diff("/work/app/src/Foo.java", "a\n", "b\n")),
                List.of(new ToolCall.Location("/work/app/src/Foo.java", 7), new ToolCall.Location("/work/app/pom.xml", 0)), false);
        Rendered r = renderer.renderRow(TranscriptRow.tool("Run tests", "", ToolCall.FAILED, call),
                renderer.look(TranscriptRow.tool("Run tests", "", ToolCall.FAILED, call)));
        assertEquals(List.of("/work/app/src/Foo.java:7", "/work/app/pom.xml", "src/test/FooTest.java:12",
                "https://ci.example.org/1", "/work/app/src/Foo.java"), targets(r));
        assertEquals(List.of("Foo.java:7", "pom.xml", "src/test/FooTest.java:12", "https://ci.example.org/1",
                "/work/app/src/Foo.java"), linked(r), "the header names a file by its name, and links its path");
        assertEquals(Style.CODE_LINK, styleAt(r, "src/test/FooTest.java:12"), "monospace, as the output around it");
        assertEquals(Style.CODE, styleAt(r, "FAIL "));
    }

    @Test
    void aLongAnswerIsLinearAndItsLinksAreBounded() {
        StringBuilder answer = new StringBuilder();
        while (answer.length() < 200_000) {
            answer.append("Changed src/main/Thing").append(answer.length()).append(".java:12 and https://example.org/")
                    .append(answer.length()).append(".\n\n");
        }
        Rendered r = renderer.render(List.of(TranscriptRow.assistant(answer.toString(), "", "complete")));
        assertEquals(200, targets(r).size(), "a row makes at most 200 links; the rest stay text");
        assertTrue(r.text().length() > 190_000, "all the text is there");
        // what a quadratic scan would never finish: 2 MB of one path-like word, of a URL of brackets, of colons
        String word = "a/".repeat(500_000) + "b.java:1";
        String url = "https://example.org/" + ")".repeat(1_000_000);
        String colons = ":1".repeat(1_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String huge : List.of(word, url, colons)) {
                Rendered one = renderer.markdownFragment(huge);
                assertTrue(one.hotspots().size() <= 1, one.hotspots().toString());
            }
        }, "a watchdog: linear work ends in well under a second");
    }

    private static String[] lines(Rendered r) {
        return r.text().split("\n");
    }

    /** The display column at which the character at {@code index} of {@code line} starts (CJK counting two). */
    private static int column(String line, int index) {
        int columns = 0;
        for (int i = 0; i < index; i++) {
            char c = line.charAt(i);
            columns += c >= 0x1100 && (c <= 0x115f || c >= 0x2e80 && c <= 0xa4cf || c >= 0xac00 && c <= 0xd7a3
                    || c >= 0xf900 && c <= 0xfaff || c >= 0xff00 && c <= 0xff60) ? 2 : 1;
        }
        return columns;
    }

    private static List<Integer> barColumns(String line) {
        List<Integer> at = new ArrayList<>();
        for (int i = line.indexOf(" | "); i >= 0; i = line.indexOf(" | ", i + 1)) {
            at.add(column(line, i + 1));
        }
        return at;
    }

    @Test
    void aTableIsLaidOutInAlignedColumnsWithItsHeaderBoldAndCjkCountedTwice() {
        Rendered r = renderer.markdownFragment("Sizes:\n\n| File | 名前 | Size |\n|:--|:-:|--:|\n"
                + "| `src/Foo.java:3` | 東京タワー | 12 |\n| b | x | 12345 |\n\nAfter.");
        String[] lines = lines(r);
        assertEquals("Sizes:", lines[0]);
        assertEquals("", lines[1]);
        String header = lines[2];
        String rule = lines[3];
        String first = lines[4];
        String second = lines[5];
        assertEquals("File           |    名前    |  Size", header);
        assertEquals("---------------+------------+------", rule);
        assertEquals("src/Foo.java:3 | 東京タワー |    12", first);
        assertEquals("b              |     x      | 12345", second, "centred and right-aligned as the rule says");
        assertEquals(barColumns(header), barColumns(first));
        assertEquals(barColumns(header), barColumns(second));
        assertEquals(List.of(15, 28), barColumns(header));
        assertEquals("", lines[6]);
        assertEquals("After.", lines[7]);
        assertEquals(Style.TABLE_HEADER, styleAt(r, "File"));
        assertEquals(Style.TABLE, styleAt(r, "-----"));
        assertEquals(Style.TABLE, styleAt(r, "b  "));
        assertEquals(Style.CODE_LINK, styleAt(r, "src/Foo.java:3"), "a path in a cell is a link");
        assertEquals(List.of("src/Foo.java:3"), targets(r));
        for (String line : List.of(header, first, second)) {
            assertFalse(line.endsWith(" "), "no spaces at a line's end: [" + line + "]");
        }
    }

    @Test
    void aVeryWideCellIsCutWithAnEllipsis() {
        String wide = "x".repeat(100);
        String cjk = "漢".repeat(50);
        Rendered r = renderer.markdownFragment("| A | B |\n|---|---|\n| " + wide + " | " + cjk + " |\n");
        String row = lines(r)[2];
        String[] cells = row.split(" \\| ");
        assertEquals("x".repeat(59) + "\u2026", cells[0]);
        assertEquals("漢".repeat(29) + "\u2026", cells[1], "29 wide characters and the ellipsis: 59 columns");
        assertEquals(60 + 3 + 59, column(row, row.length()));
    }

    @Test
    void theStreamingAnswersFinishedBlocksHaveTheirLinksAndCopy() {
        SessionModel model = new SessionModel("s1");
        model.hydrate(new org.agentchannels.core.protocol.SessionSnapshot("s1", "k1", "", "echo", 0, List.of(), 0, false,
                "idle", "", "", -1, null, List.of(), List.of()));
        TranscriptDocument document = new TranscriptDocument();
        FullRender render = document.startFullRender(model, renderer);
        FullText full = render.render();
        StringBuilder screen = new StringBuilder(document.finishFullRender(render, full).orElseThrow().text());
        model.apply(event("message.start", "input", "where?", "sender_device", "laptop"));
        model.apply(event("message.delta", "text", "In src/Foo.java:3.\n\n```\nint x;\n```\n\nStill writ"));
        for (TranscriptDocument.Edit e : document.update(model, renderer)) {
            screen.replace(e.start(), e.start() + e.length(), e.text());
        }
        int path = screen.indexOf("src/Foo.java:3");
        Hit hit = document.hotspotAt(path + 2).orElseThrow();
        assertEquals(Action.OPEN, hit.hotspot().action());
        assertEquals("src/Foo.java:3", hit.hotspot().target());
        assertEquals(path, hit.start());
        assertEquals(null, hit.row(), "the answer still streams: no row yet");
        Hit copy = document.hotspotAt(screen.indexOf("Copy")).orElseThrow();
        assertEquals("int x;", copy.hotspot().target());
        assertEquals(Optional.of("int x;"), document.codeBlockAt(screen.indexOf("\uFFFC")));
        assertEquals(Optional.empty(), document.codeBlockAt(screen.indexOf("Still")));

        model.apply(event("message.complete", "text", "In src/Foo.java:3.\n\n```\nint x;\n```\n\nStill writing.", "status",
                "complete"));
        for (TranscriptDocument.Edit e : document.update(model, renderer)) {
            screen.replace(e.start(), e.start() + e.length(), e.text());
        }
        Hit done = document.hotspotAt(screen.indexOf("src/Foo.java:3")).orElseThrow();
        assertEquals("src/Foo.java:3", done.hotspot().target());
        assertEquals(TranscriptRow.ASSISTANT, done.row().role(), "the finished row's own link now");
        assertEquals(Optional.of("int x;"), document.codeBlockAt(screen.indexOf("\uFFFC")));
        assertEquals(Optional.of("int x;"), document.codeBlockAt(screen.indexOf("Copy")));
        assertEquals(Optional.empty(), document.codeBlockAt(screen.indexOf("In src")));
    }

    private static org.agentchannels.core.protocol.Frame.Event event(String type, String... fields) {
        JsonObject payload = new JsonObject();
        for (int i = 0; i < fields.length; i += 2) {
            payload.addProperty(fields[i], fields[i + 1]);
        }
        return new org.agentchannels.core.protocol.Frame.Event(type, "s1", payload, -1, null);
    }
}
