package org.agentchannels.ui.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;

/**
 * For {@code ./agentchannels bench} (B9, with {@code AGENTCHANNELS_BENCH=1}; {@link BenchReport} starts it): how long the
 * UI thread keeps a tiny task waiting. A daemon thread posts one with {@code asyncExec} every 10 ms and, every 100 ms, says on standard output the
 * longest wait of that tenth of a second ({@code agentchannels-bench: ui-wait ms=12 time=<epoch millis>}), so the bench
 * can take the worst over the moments it drives. Collector pauses are counted: a person sees them as the same freeze.
 */
final class UiStallProbe {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private UiStallProbe() {
    }

    /** Starts probing the display's thread until the display is disposed; once, however often it is asked. */
    static void start(Display display) {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread probe = new Thread(() -> probe(display), "agentchannels-bench-ui-probe");
        probe.setDaemon(true);
        probe.start();
    }

    private static void probe(Display display) {
        long periodStart = System.nanoTime();
        long longest = 0;
        while (!display.isDisposed()) {
            CountDownLatch ran = new CountDownLatch(1);
            long posted = System.nanoTime();
            try {
                display.asyncExec(ran::countDown);
                while (!ran.await(1, TimeUnit.SECONDS)) {
                    if (display.isDisposed()) {
                        return;
                    }
                }
                long now = System.nanoTime();
                longest = Math.max(longest, now - posted);
                if (now - periodStart >= PERIOD_NANOS) {
                    System.out.println("agentchannels-bench: ui-wait ms=" + TimeUnit.NANOSECONDS.toMillis(longest) + " time="
                            + System.currentTimeMillis());
                    System.out.flush();
                    periodStart = now;
                    longest = 0;
                }
                Thread.sleep(10);
            } catch (SWTException disposed) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
