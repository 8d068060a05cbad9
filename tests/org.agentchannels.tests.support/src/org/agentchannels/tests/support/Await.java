package org.agentchannels.tests.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, so no test sleeps a fixed time or hangs forever. Deadlines here are
 * watchdogs, not performance goals: make them generous.
 */
public final class Await {

    private Await() {
    }

    /**
     * Waits until {@code condition} holds, running {@code pump} between checks (for a UI test: dispatch the
     * pending SWT events, so the condition can come true on the UI thread).
     *
     * @throws AssertionError naming {@code what} when the deadline passes first
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Runnable pump) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            pump.run();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** {@link #until(String, Duration, BooleanSupplier, Runnable)} for tests off the UI thread. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> {
        });
    }
}
