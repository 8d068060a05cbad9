package org.agentchannels.core.session;

import org.agentchannels.core.protocol.TranscriptRow;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The prompts typed on this device that the transcript does not hold yet, oldest first. Not thread-safe: the
 * {@link SessionModel} that owns it guards it with its own lock.
 */
final class Outbox {

    private final LinkedHashMap<String, OutgoingPrompt> prompts = new LinkedHashMap<>();

    void add(String submissionId, String text, String senderDevice) {
        prompts.put(submissionId, new OutgoingPrompt(submissionId, text, senderDevice, OutgoingPrompt.State.SENDING, ""));
    }

    /** @return whether the prompt's state changed */
    boolean mark(String submissionId, OutgoingPrompt.State state, String failure) {
        OutgoingPrompt prompt = prompts.get(submissionId);
        if (prompt == null || prompt.state() == state) {
            return false;
        }
        prompts.put(submissionId, prompt.with(state, failure));
        return true;
    }

    /** Whether a prompt is still to deliver: on its way, queued or held (a failed one is not). */
    boolean hasUndelivered() {
        for (OutgoingPrompt p : prompts.values()) {
            if (p.state() != OutgoingPrompt.State.FAILED) {
                return true;
            }
        }
        return false;
    }

    boolean remove(String submissionId) {
        return prompts.remove(submissionId) != null;
    }

    /**
     * Takes out the prompt whose turn started: by its submission id when the gateway named it, else the oldest
     * one not failed with the same text.
     */
    boolean removeStarted(String submissionId, String text) {
        if (!submissionId.isEmpty() && prompts.remove(submissionId) != null) {
            return true;
        }
        for (var it = prompts.values().iterator(); it.hasNext();) {
            OutgoingPrompt p = it.next();
            if (p.state() != OutgoingPrompt.State.FAILED && p.state() != OutgoingPrompt.State.HELD && p.text().equals(text)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /**
     * Takes out the oldest prompt sent and not failed: a June-line gateway does not say which prompt started a
     * turn, and the oldest one sent did (its turn may start before the answer to prompt.submit arrives). A held
     * prompt was not sent, so another device's turn never takes it.
     *
     * @return the prompt, or {@code null} when none waits
     */
    OutgoingPrompt takeOldestPending() {
        for (OutgoingPrompt p : prompts.values()) {
            if (p.state() != OutgoingPrompt.State.FAILED && p.state() != OutgoingPrompt.State.HELD) {
                prompts.remove(p.submissionId());
                return p;
            }
        }
        return null;
    }

    /** The user row a starting turn adds, and whether this outbox changed to give it; {@code row} may be null. */
    record Started(TranscriptRow row, boolean changed) {
    }

    /**
     * A turn starts: its user row is the prompt the gateway names (which leaves this outbox if it was typed
     * here) or, from a gateway that names none (the June line), the oldest prompt typed here.
     */
    Started turnStarted(String input, String senderDevice, String submissionId) {
        if (!input.isEmpty()) {
            return new Started(TranscriptRow.user(input, senderDevice), removeStarted(submissionId, input));
        }
        OutgoingPrompt first = takeOldestPending();
        return first == null ? new Started(null, false)
                : new Started(TranscriptRow.user(first.text(), first.senderDevice()), true);
    }

    /** Drops the prompts the gateway accepted: a full snapshot holds them, or a later message.start will. */
    boolean removeAccepted() {
        return prompts.values().removeIf(p -> p.state() == OutgoingPrompt.State.ACCEPTED);
    }

    boolean isEmpty() {
        return prompts.isEmpty();
    }

    List<OutgoingPrompt> all() {
        return List.copyOf(prompts.values());
    }
}
