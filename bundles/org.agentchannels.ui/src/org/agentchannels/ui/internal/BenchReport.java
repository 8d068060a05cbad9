package org.agentchannels.ui.internal;

import java.util.HashMap;
import java.util.Map;

import org.agentchannels.core.presence.RemoteSession;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;

/**
 * For {@code ./agentchannels bench} (started with {@code AGENTCHANNELS_BENCH=1} in the environment): says on standard
 * output what the bench watches from outside, each line starting {@code agentchannels-bench: }. B6 waits for the Live
 * view painted with all its sessions; B9 double-clicks a row where the view says it is ({@code live-row
 * session=<id> x=<x> y=<y> activity=<working, idle...>}, screen coordinates), takes how long the workbench took to
 * open its chat ({@code chat-opened session=<id> ms=<n>}), and waits for each chat to show what its session holds
 * ({@code chat session=<id> rows=<n> running=<b> rendering=<b> time=<epoch millis>}); from the first Live list on,
 * the {@link UiStallProbe} says how long the UI thread kept a tiny task waiting. Prints nothing otherwise. UI thread.
 */
public final class BenchReport {

    private static final boolean ENABLED = System.getenv("AGENTCHANNELS_BENCH") != null;

    private BenchReport() {
    }

    /**
     * The Live view's list with {@code sessions} sessions is set: paints it now, then says so, and for each session
     * whose row moved or shows another activity since this was last said (here, or at a paint of the tree), where on
     * the screen the middle of its row now is and what it shows.
     */
    public static void livePainted(Tree tree, int sessions) {
        if (!ENABLED || sessions == 0) {
            return;
        }
        tree.update();
        print("live view painted " + sessions + " sessions");
        @SuppressWarnings("unchecked")
        Map<String, String> said = (Map<String, String>) tree.getData(ROWS_SAID);
        if (said == null) {
            Map<String, String> first = new HashMap<>();
            tree.setData(ROWS_SAID, first);
            tree.addListener(SWT.Paint, e -> rows(tree, tree.getItems(), first)); // a row moved by a resize, say
            said = first;
            UiStallProbe.start(tree.getDisplay());
        }
        rows(tree, tree.getItems(), said);
    }

    /** The key under which the tree keeps where its rows were last said to be. */
    private static final String ROWS_SAID = BenchReport.class.getName() + ".rows";

    private static void rows(Tree tree, TreeItem[] items, Map<String, String> said) {
        for (TreeItem item : items) {
            if (item.getData() instanceof RemoteSession s) {
                Rectangle bounds = item.getBounds();
                Point middle = tree.toDisplay(bounds.x + Math.min(bounds.width, 200) / 2, bounds.y + bounds.height / 2);
                String row = "live-row session=" + s.sessionId() + " x=" + middle.x + " y=" + middle.y + " activity="
                        + s.activity().name().toLowerCase(java.util.Locale.ROOT);
                if (!row.equals(said.put(s.sessionId(), row))) {
                    print(row);
                }
            }
            rows(tree, item.getItems(), said);
        }
    }

    /** A chat opened: how long the workbench took to open its editor (its contents made), since {@code startedNanos}. */
    public static void chatOpened(String sessionId, long startedNanos) {
        if (ENABLED) {
            print("chat-opened session=" + sessionId + " ms=" + (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    /** What one chat has shown, said again only when it changes. */
    public static final class Chat {
        private String shown = "";

        /**
         * After a repaint: the session's rows, whether its turn runs, and whether the whole window is not in yet (its
         * render being made, or older rows waiting to go in above); said when that changes.
         */
        public void shown(String sessionId, int rows, boolean turnRunning, boolean renderingAll) {
            if (!ENABLED) {
                return;
            }
            String now = "chat session=" + sessionId + " rows=" + rows + " running=" + turnRunning + " rendering="
                    + renderingAll;
            if (!now.equals(shown)) {
                shown = now;
                print(now + " time=" + System.currentTimeMillis());
            }
        }
    }

    private static void print(String line) {
        System.out.println("agentchannels-bench: " + line);
        System.out.flush();
    }
}
