package org.agentchannels.core;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code initial} doubling to {@code cap}, with "equal jitter" (half the
 * delay fixed, half random) so that many clients cut off together do not all return in the same instant,
 * while no delay drops below half its step.
 */
public final class Backoff {

    private final long initialMillis;
    private final long capMillis;
    private final DoubleSupplier random;

    /** 1 s doubling to a 15 s cap, as the Hermes desktop reconnects. */
    public static Backoff standard() {
        return new Backoff(1000, 15_000, Math::random);
    }

    /** @param random a source of values in [0, 1); tests pass a fixed one */
    public Backoff(long initialMillis, long capMillis, DoubleSupplier random) {
        if (initialMillis <= 0 || capMillis < initialMillis) {
            throw new IllegalArgumentException("need 0 < initial <= cap");
        }
        this.initialMillis = initialMillis;
        this.capMillis = capMillis;
        this.random = random;
    }

    /** The step before jitter for the {@code attempt}-th retry (1-based). */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(attempt, 1) - 1, 30);
        return Math.min(capMillis, initialMillis << shift);
    }

    /** @return how long to wait before the {@code attempt}-th retry (1-based) */
    public long delayMillis(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half));
    }
}
