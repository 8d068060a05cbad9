package org.agentchannels.product.internal;

import java.lang.management.ManagementFactory;

/**
 * For {@code ./agentchannels bench} (B6, started with {@code AGENTCHANNELS_BENCH=1} in the environment): says on standard
 * output when each phase of the start-up ended, as wall-clock milliseconds, so the bench can show where the time to
 * the painted Live view goes. The first two are times the runtime already keeps: the JVM's own start time and the
 * Equinox launcher's {@code eclipse.startTime}. Prints nothing otherwise.
 */
final class StartupMarks {

    private static final boolean ENABLED = System.getenv("AGENTCHANNELS_BENCH") != null;

    private StartupMarks() {
    }

    /** At the application's start: the JVM's start, the launcher's start and now. */
    static void applicationStarted() {
        if (!ENABLED) {
            return;
        }
        long now = System.currentTimeMillis();
        print("JVM started", ManagementFactory.getRuntimeMXBean().getStartTime());
        try {
            print("launcher started", Long.parseLong(System.getProperty("eclipse.startTime", "")));
        } catch (NumberFormatException notStartedByTheLauncher) {
            // a product started another way has no launcher mark; the bench charts the phases it gets
        }
        print("application started", now);
    }

    /** When the first workbench window is open. */
    static void windowOpened() {
        if (ENABLED) {
            print("window opened", System.currentTimeMillis());
        }
    }

    private static void print(String what, long epochMillis) {
        System.out.println("agentchannels-bench: " + what + " at " + epochMillis);
        System.out.flush();
    }
}
