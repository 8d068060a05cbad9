package org.agentchannels.gateway.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * A warning anyone on the network can cause as often as they like (a refused connection, say), logged so that
 * it cannot flood the log: the first occurrence is logged at once, the ones after it within the interval are
 * only counted, and the first one after the interval logs a single line with that count and starts the next
 * interval. {@link #flush()} logs a count still pending (at a clean stop).
 */
public final class RepeatedWarning {

    /** How long repeats of one warning are counted before the count is logged. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);

    private final System.Logger log;
    private final String what;
    private final Clock clock;
    private final long intervalMillis;
    private long intervalStart = Long.MIN_VALUE;
    private long counted;
    private String lastDetail = "";

    /**
     * @param what what happened, as a line starts: "refused a connection without a valid token"
     */
    public RepeatedWarning(System.Logger log, String what, Clock clock, Duration interval) {
        this.log = log;
        this.what = what;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** @param detail what tells this occurrence apart (where from), never a secret */
    public void occurred(String detail) {
        String line;
        synchronized (this) {
            long now = clock.millis();
            if (intervalStart != Long.MIN_VALUE && now - intervalStart < intervalMillis) {
                counted++;
                lastDetail = detail;
                return;
            }
            line = counted > 0 ? summary() + "; again " + detail : what + " (" + detail + "; repeats are counted for "
                    + intervalMillis / 1000 + " s)";
            intervalStart = now;
            counted = 0;
            lastDetail = detail;
        }
        log.log(System.Logger.Level.WARNING, line);
    }

    /** Logs the count of the current interval, if any occurrence is still uncounted in the log. */
    public void flush() {
        String line;
        synchronized (this) {
            if (counted == 0) {
                return;
            }
            line = summary();
            counted = 0;
        }
        log.log(System.Logger.Level.WARNING, line);
    }

    // called with this object's lock held
    private String summary() {
        return what + ": " + counted + " more time" + (counted == 1 ? "" : "s") + " within " + intervalMillis / 1000
                + " s (the last " + lastDetail + ")";
    }
}
