package org.agentchannels.core.session;

/**
 * A prompt typed on this device that the transcript does not hold yet. It is shown after the transcript
 * until the gateway starts its turn; a prompt that could not be delivered stays, marked {@link State#FAILED},
 * so the person knows.
 *
 * @param submissionId this client's id for the prompt (our gateway's idempotency key)
 */
public record OutgoingPrompt(String submissionId, String text, String senderDevice, State state, String failure) {

    public enum State {
        /** Waiting for a connection, or sent and not yet acknowledged. */
        SENDING,
        /** The gateway took it; its turn has not started (it may be queued behind another). */
        ACCEPTED,
        /**
         * Kept here: the gateway refused it because another turn runs and it does not queue (a Hermes gateway's
         * 4009 "session busy"); it is sent, once, when that turn ends.
         */
        HELD,
        /** Not delivered; {@link OutgoingPrompt#failure()} says why. */
        FAILED
    }

    public OutgoingPrompt {
        failure = failure == null ? "" : failure;
    }

    OutgoingPrompt with(State newState, String why) {
        return new OutgoingPrompt(submissionId, text, senderDevice, newState, why);
    }
}
