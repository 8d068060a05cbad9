package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agentchannels.core.UnifiedDiff;
import org.agentchannels.core.UnifiedDiff.Kind;
import org.agentchannels.core.UnifiedDiff.Line;
import org.agentchannels.core.UnifiedDiff.Result;
import org.junit.jupiter.api.Test;

/** The unified diff of an agent's edit: hunks as diff writes them, the shortest edit, and bounded work and size. */
class UnifiedDiffTest {

    private static List<String> marked(Result r) {
        return r.lines().stream().map(Line::marked).toList();
    }

    @Test
    void aChangeIsAHunkWithItsContext() {
        Result r = UnifiedDiff.of("a\nb\nc\n", "a\nB\nc\nd\n", 100);
        assertEquals(List.of("@@ -1,3 +1,4 @@", " a", "-b", "+B", " c", "+d"), marked(r));
        assertEquals(2, r.added());
        assertEquals(1, r.removed());
        assertEquals(0, r.omitted());
    }

    @Test
    void aNewFileIsAllAddedAndAnUnchangedOneIsNoDiff() {
        assertEquals(List.of("@@ -0,0 +1,2 @@", "+x", "+y"), marked(UnifiedDiff.of("", "x\ny", 100)));
        assertEquals(List.of("@@ -1,1 +0,0 @@", "-gone"), marked(UnifiedDiff.of("gone\n", "", 100)));
        assertTrue(UnifiedDiff.of("same\ntext\n", "same\r\ntext\r\n", 100).isEmpty(), "line ends are not changes");
    }

    @Test
    void changesFarApartAreHunksOfTheirOwnAndNearOnesShareOne() {
        List<String> old = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            old.add("line " + i);
        }
        List<String> changed = new ArrayList<>(old);
        changed.set(1, "LINE 2");
        changed.set(24, "LINE 25");
        Result apart = UnifiedDiff.of(String.join("\n", old), String.join("\n", changed), 100);
        List<String> hunks = marked(apart).stream().filter(l -> l.startsWith("@@")).toList();
        assertEquals(List.of("@@ -1,5 +1,5 @@", "@@ -22,7 +22,7 @@"), hunks);

        changed = new ArrayList<>(old);
        changed.set(1, "LINE 2");
        changed.set(8, "LINE 9"); // six unchanged lines between: within twice the context, one hunk
        hunks = marked(UnifiedDiff.of(String.join("\n", old), String.join("\n", changed), 100)).stream()
                .filter(l -> l.startsWith("@@")).toList();
        assertEquals(List.of("@@ -1,12 +1,12 @@"), hunks);
    }

    /** The old and the new text read back from a diff of everything (one hunk, all of it context). */
    private static String[] sides(Result r) {
        StringBuilder oldSide = new StringBuilder();
        StringBuilder newSide = new StringBuilder();
        for (Line l : r.lines()) {
            if (l.kind() == Kind.CONTEXT || l.kind() == Kind.REMOVED) {
                oldSide.append(l.text()).append('\n');
            }
            if (l.kind() == Kind.CONTEXT || l.kind() == Kind.ADDED) {
                newSide.append(l.text()).append('\n');
            }
        }
        return new String[] { oldSide.toString(), newSide.toString() };
    }

    private static int lcs(String[] a, String[] b) {
        int[][] t = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                t[i][j] = a[i].equals(b[j]) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
            }
        }
        return t[0][0];
    }

    private static String randomText(Random random, int lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            s.append("l").append(random.nextInt(6)).append('\n');
        }
        return s.toString();
    }

    @Test
    void theDiffTurnsTheOldTextIntoTheNewWithTheFewestEdits() {
        Random random = new Random(13);
        for (int round = 0; round < 300; round++) {
            String a = randomText(random, random.nextInt(25));
            String b = randomText(random, random.nextInt(25));
            Result r = UnifiedDiff.of(a, b, 1_000_000, Integer.MAX_VALUE);
            if (a.equals(b)) {
                assertTrue(r.isEmpty());
                continue;
            }
            String[] sides = sides(r);
            assertEquals(a, sides[0], "round " + round);
            assertEquals(b, sides[1], "round " + round);
            String[] la = a.isEmpty() ? new String[0] : a.split("\n");
            String[] lb = b.isEmpty() ? new String[0] : b.split("\n");
            assertEquals(la.length + lb.length - 2 * lcs(la, lb), r.added() + r.removed(), "round " + round + ": not the shortest");
        }
    }

    @Test
    void aScrambledEditBeyondTheBoundsIsStillRightAndABigDiffIsCut() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            a.append("old ").append(i).append('\n');
            b.append("new ").append(i).append('\n');
        }
        Result whole = UnifiedDiff.of(a.toString(), b.toString(), 1_000_000, Integer.MAX_VALUE);
        String[] sides = sides(whole);
        assertEquals(a.toString(), sides[0]);
        assertEquals(b.toString(), sides[1]);
        assertEquals(3000, whole.added());
        assertEquals(3000, whole.removed());

        Result cut = UnifiedDiff.of(a.toString(), b.toString(), 50);
        assertEquals(50, cut.lines().size());
        assertEquals(6001 - 50, cut.omitted(), "one hunk header and 6,000 changed lines");
        assertEquals(3000, cut.added(), "the counts are of the whole change");
    }
}
