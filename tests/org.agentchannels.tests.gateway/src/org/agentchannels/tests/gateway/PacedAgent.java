package org.agentchannels.tests.gateway;

import java.util.concurrent.atomic.AtomicBoolean;

import org.agentchannels.gateway.agent.Agent;

/**
 * An agent for tests that streams at a steady pace: {@code words} deltas, one every {@code pauseMillis}, then
 * the turn completes. Stopped, it completes as interrupted and remembers that it was.
 */
public final class PacedAgent implements Agent {

    private final String prefix;
    private final int words;
    private final long pauseMillis;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    /**
     * @param prefix each delta is this, its number and a space; null: the prompt and a dash, so each turn's
     *            words say which prompt they answer
     */
    public PacedAgent(String prefix, int words, long pauseMillis) {
        this.prefix = prefix;
        this.words = words;
        this.pauseMillis = pauseMillis;
    }

    /** Whether a turn was stopped before its last word. */
    public boolean wasInterrupted() {
        return interrupted.get();
    }

    @Override
    public String model() {
        return "paced";
    }

    @Override
    public Turn start(Request request, Sink sink) {
        String word = prefix == null ? request.prompt() + "-" : prefix;
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            for (int i = 0; i < words && !stop.get(); i++) {
                sink.delta(word + i + " ");
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (stop.get()) {
                interrupted.set(true);
                sink.complete(Result.interrupted());
            } else {
                sink.complete(Result.complete(null));
            }
        }, "paced-agent");
        t.setDaemon(true);
        t.start();
        return () -> stop.set(true);
    }
}
