package org.agentchannels.gateway.internal.session;

import java.util.ArrayList;
import java.util.List;

/**
 * A burst: the events one thread has at hand at once (the lines of one read of an agent's output, the deltas an
 * agent hands over together), whose frames each client's transport gathers and writes together when the burst ends,
 * rather than one write for each. A frame sent outside a burst is written at once, as before. Bursts nest; the
 * outermost one's end flushes every connection its frames went to, whatever happened inside it, so no frame is left
 * unwritten. Per thread: no other thread is handed anything, and a burst costs nothing to the frames of other threads.
 */
public final class Bursts {

    /** A connection whose frames may wait in its transport until it is flushed. */
    public interface Flushable {
        /** Writes what waits; never blocks. */
        void flush();
    }

    /** An open burst; closing the outermost one flushes. */
    public interface Burst extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Open implements Burst {
        int depth;
        final List<Flushable> touched = new ArrayList<>();
        /** The same as {@link #touched}, once it holds more than a handful (a burst to two hundred viewers). */
        java.util.Set<Flushable> touchedSet;

        @Override
        public void close() {
            if (--depth > 0) {
                return;
            }
            CURRENT.remove();
            for (Flushable f : touched) {
                try {
                    f.flush();
                } catch (RuntimeException e) {
                    // a connection that closed meanwhile: its client re-attaches with replay
                }
            }
        }
    }

    private static final ThreadLocal<Open> CURRENT = new ThreadLocal<>();

    private Bursts() {
    }

    /** Opens a burst on this thread (or goes one deeper into the open one). */
    public static Burst open() {
        Open open = CURRENT.get();
        if (open == null) {
            open = new Open();
            CURRENT.set(open);
        }
        open.depth++;
        return open;
    }

    /**
     * Whether this thread is in a burst: then {@code connection} is flushed at its end (once, however many frames
     * went to it), and the caller may leave its frame waiting.
     */
    public static boolean holdFor(Flushable connection) {
        Open open = CURRENT.get();
        if (open == null) {
            return false;
        }
        if (open.touchedSet != null) {
            if (open.touchedSet.add(connection)) {
                open.touched.add(connection);
            }
        } else if (!open.touched.contains(connection)) { // a handful of viewers: a list beats a set
            open.touched.add(connection);
            if (open.touched.size() > 8) {
                open.touchedSet = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                open.touchedSet.addAll(open.touched);
            }
        }
        return true;
    }
}
