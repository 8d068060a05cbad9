package org.agentchannels.gateway.internal.trust;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Keeps pairing codes from being guessed: after {@value #MAX_WRONG_PER_MINUTE} wrong codes within a minute, the
 * gateway refuses every code for {@link #LOCKOUT}, the right one too (and without using it up). Counted for the whole
 * gateway rather than per address, since a guesser may have many; a lockout then costs a person a few minutes at most.
 */
public final class PairingAttempts {

    public static final int MAX_WRONG_PER_MINUTE = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final Deque<Long> wrong = new ArrayDeque<>();
    private long lockedUntil;

    public PairingAttempts(Clock clock) {
        this.clock = clock;
    }

    /** How long codes are still refused, if they are. */
    public synchronized Optional<Duration> lockedFor() {
        long now = clock.millis();
        return now < lockedUntil ? Optional.of(Duration.ofMillis(lockedUntil - now)) : Optional.empty();
    }

    /** Counts a wrong (or expired) code; the one that makes too many starts the lockout. */
    public synchronized void wrong() {
        long now = clock.millis();
        while (!wrong.isEmpty() && wrong.peekFirst() <= now - WINDOW.toMillis()) {
            wrong.removeFirst();
        }
        wrong.addLast(now);
        if (wrong.size() >= MAX_WRONG_PER_MINUTE) {
            lockedUntil = now + LOCKOUT.toMillis();
            wrong.clear();
        }
    }
}
