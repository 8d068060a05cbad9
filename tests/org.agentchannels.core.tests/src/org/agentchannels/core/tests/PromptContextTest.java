package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.agentchannels.core.protocol.PromptContext;
import org.agentchannels.core.protocol.PromptContext.ContextPart;
import org.agentchannels.core.protocol.PromptContext.TextPart;
import org.junit.jupiter.api.Test;

class PromptContextTest {

    @Test
    void aSelectionIsAFencedBlockNamingItsFileAndLinesThatReadsBackAsItWasSent() {
        PromptContext selection = new PromptContext("src/Foo.java", 10, 12, "java", "int a;\nint b;\nint c;\n");
        assertEquals("```java path=src/Foo.java lines=10-12\nint a;\nint b;\nint c;\n```", selection.fenced());
        assertEquals("src/Foo.java:10-12", selection.label());
        assertEquals(List.of(new TextPart("Why does this fail?"), new ContextPart(selection), new TextPart("thanks")),
                PromptContext.split("Why does this fail?\n\n" + selection.fenced() + "\nthanks\n"));
        assertEquals("src/Foo.java:7", new PromptContext("src/Foo.java", 7, 7, "java", "x").label());
        assertEquals("```java path=src/Foo.java lines=7\nx\n```", new PromptContext("src/Foo.java", 7, 7, "java", "x").fenced());
    }

    @Test
    void aWholeFileAPathWithSpacesAndATextWithFencesOfItsOwnSurviveTheRoundTrip() {
        PromptContext readme = new PromptContext("/home/me/My \"Notes\"/README.md", 0, 0, "markdown",
                "Build:\n```sh\nmvn verify\n```\n````\nfour\n````");
        String fenced = readme.fenced();
        assertTrue(fenced.startsWith("`````markdown path=\"/home/me/My \\\"Notes\\\"/README.md\"\n"), fenced);
        assertEquals(List.of(new ContextPart(readme)), PromptContext.split(fenced));
        assertFalse(readme.isRange());
        PromptContext empty = new PromptContext("empty.txt", 0, 0, "", "");
        assertEquals(List.of(new ContextPart(empty)), PromptContext.split(empty.fenced()));
    }

    @Test
    void fencedBlocksAPersonTypesStayText() {
        String typed = "Look:\n```java\nint a;\n```\nand ```java path=x.java never closed";
        assertEquals(List.of(new TextPart(typed)), PromptContext.split(typed));
        assertFalse(PromptContext.hasContext(typed));
        assertFalse(PromptContext.hasContext("```java path=src/A.java\nint a;"), "an unclosed block is text");
        assertTrue(PromptContext.hasContext("```java path=src/A.java\nint a;\n```"));
    }

    @Test
    void aBadContextIsRefusedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> new PromptContext("", 0, 0, "", "x"));
        assertThrows(IllegalArgumentException.class, () -> new PromptContext("a\nb", 0, 0, "", "x"));
        assertThrows(IllegalArgumentException.class, () -> new PromptContext("a", 5, 4, "", "x"));
        assertThrows(IllegalArgumentException.class, () -> new PromptContext("a", 0, 4, "", "x"));
        assertEquals("", new PromptContext("a", 0, 0, "java path=evil", "x").language(), "a language is one word");
    }

    @Test
    void manyUnclosedOpeningsCostOneScanEach() {
        // a hostile prompt of openings that never close: linear, not quadratic (a generous watchdog)
        String hostile = "```java path=a.java\n".repeat(200_000);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertEquals(1, PromptContext.split(hostile).size()));
    }
}
