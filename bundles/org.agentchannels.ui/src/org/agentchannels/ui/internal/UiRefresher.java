package org.agentchannels.ui.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.swt.widgets.Display;

/**
 * Turns any number of "something changed" calls from any thread into at most one repaint per frame (about
 * 60 a second) on the UI thread: one pending {@code asyncExec} at a time, and no closer than 16 ms to the
 * previous repaint. Never blocks the caller.
 */
public final class UiRefresher {

    static final int FRAME_MILLIS = 16;

    private final Display display;
    private final Runnable repaint;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long lastRun;

    public UiRefresher(Display display, Runnable repaint) {
        this.display = display;
        this.repaint = repaint;
    }

    /** Asks for a repaint; callable from any thread. */
    public void request() {
        if (!pending.compareAndSet(false, true) || display.isDisposed()) {
            return;
        }
        try {
            display.asyncExec(this::schedule);
        } catch (org.eclipse.swt.SWTException e) {
            pending.set(false); // the display is gone
        }
    }

    private void schedule() {
        long wait = FRAME_MILLIS - (System.nanoTime() - lastRun) / 1_000_000;
        if (wait > 0) {
            display.timerExec((int) wait, this::run);
        } else {
            run();
        }
    }

    private void run() {
        pending.set(false);
        lastRun = System.nanoTime();
        repaint.run();
    }
}
