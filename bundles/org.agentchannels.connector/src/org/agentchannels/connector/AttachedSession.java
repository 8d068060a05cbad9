package org.agentchannels.connector;

import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.protocol.Acknowledgement;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.session.SessionModel;

/**
 * A session this client follows on one gateway: its live {@link SessionModel} and the calls a chat makes on
 * it. Prompts are delivered exactly once or reported failed: a prompt typed while the connection is down waits
 * for the reconnect; one whose answer was lost with the connection is sent again with the same
 * {@code submission_id} where the gateway de-duplicates them, and reported failed where it cannot.
 */
public interface AttachedSession {

    SessionModel model();

    String endpoint();

    GatewayConnection connection();

    /** The runtime id on the gateway (it changes when a fallback resume rebuilt the session). */
    String sessionId();

    String sessionKey();

    /** Whether this session lives on another device's gateway (prompts then carry {@code sender_device}). */
    boolean isRemote();

    boolean isDetached();

    /**
     * Sends a prompt. It shows in the model's outbox at once; the result completes with the gateway's status
     * ({@code streaming}, {@code queued}, ...) or fails with a readable reason, and the outbox entry says the
     * same.
     */
    CompletableFuture<String> submit(String text);

    /** Stops the running turn. */
    CompletableFuture<Acknowledgement> interrupt();

    /** Answers a blocking prompt in the style it came in (event or server request). */
    CompletableFuture<Void> answer(InputRequest request, String answer);
}
