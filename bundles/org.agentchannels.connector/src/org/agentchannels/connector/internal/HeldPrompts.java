package org.agentchannels.connector.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The prompts of one session that its gateway refused as busy (4009: another turn runs, and a Hermes gateway
 * does not queue), oldest first. They are sent one at a time when the session is free, so they run in the
 * order they were typed, each once. Bounded: a person does not type more while one turn runs.
 */
final class HeldPrompts {

    /** The most prompts kept for one session. */
    static final int MAX_HELD = 32;

    /** A prompt kept until the session is free, and the future its sender waits on. */
    record Held(String submissionId, String text, CompletableFuture<String> outcome) {
    }

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    /** One of them is on its way to the gateway: no other goes until it is answered. */
    private boolean sending;

    /** @return false when {@link #MAX_HELD} already wait */
    synchronized boolean hold(Held prompt) {
        if (queue.size() >= MAX_HELD) {
            return false;
        }
        queue.addLast(prompt);
        return true;
    }

    /**
     * A prompt sent at once (none was held or on its way) came back busy: it is older than any held since, so it
     * goes first.
     */
    synchronized boolean holdFirst(Held prompt) {
        if (queue.size() >= MAX_HELD) {
            return false;
        }
        queue.addFirst(prompt);
        return true;
    }

    /** The one sent last came back busy again: it goes first again. */
    synchronized void holdAgain(Held prompt) {
        sending = false;
        queue.addFirst(prompt);
    }

    /** The oldest, to send now; {@code null} when none waits or one is on its way already. */
    synchronized Held takeNext() {
        if (sending || queue.isEmpty()) {
            return null;
        }
        sending = true;
        return queue.pollFirst();
    }

    /** The one sent was answered (taken, or failed for good). */
    synchronized void answered() {
        sending = false;
    }

    /** @return whether it was still held (and now is not) */
    synchronized boolean withdraw(String submissionId) {
        return queue.removeIf(p -> p.submissionId().equals(submissionId));
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Whether one waits or is on its way: a prompt typed now goes behind them. */
    synchronized boolean isBusy() {
        return sending || !queue.isEmpty();
    }

    /** Takes out every held prompt, to fail them. */
    synchronized List<Held> drain() {
        List<Held> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }
}
