package org.agentchannels.gateway.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.TranscriptRow;

import com.google.gson.JsonObject;

/**
 * What answers the prompts of a gateway's sessions. A gateway offers one or several ({@link HostedAgent}); each
 * session runs one. Each turn runs on its own thread and reports through its {@link Sink} until
 * {@link Sink#complete} (exactly once).
 */
public interface Agent {

    /** The label shown as the session's model. */
    String model();

    /** Starts a turn and returns at once. */
    Turn start(Request request, Sink sink);

    /**
     * A session is live: an agent that is slow to start may start for it now, ahead of its first prompt.
     *
     * @param cwd the directory the session works in, checked against the gateway's workspaces; {@code null}
     *        when the gateway has none (the agent's own default)
     */
    default void sessionStarted(String sessionId, Path cwd) {
    }

    /** The session has ended (closed, or the gateway stops): whatever the agent keeps for it may go. */
    default void sessionEnded(String sessionId) {
    }

    /** The gateway stops, after every session has ended. */
    default void close() {
    }

    /**
     * @param history the transcript before this prompt
     * @param senderDevice the device the prompt was typed on
     */
    record Request(String sessionId, List<TranscriptRow> history, String prompt, String senderDevice) {
    }

    /** How a turn ended: {@code complete}, {@code error} (with a readable {@code error}) or {@code interrupted}. */
    record Result(String status, String error, JsonObject usage) {
        public static Result complete(JsonObject usage) {
            return new Result("complete", "", usage == null ? new JsonObject() : usage);
        }

        public static Result error(String why) {
            return new Result("error", why, new JsonObject());
        }

        public static Result interrupted() {
            return new Result("interrupted", "", new JsonObject());
        }
    }

    /** Where a turn reports. Calls are thread-safe; after {@link #complete} nothing more is taken. */
    interface Sink {
        void delta(String text);

        void reasoning(String text);

        void tool(String name, String context);

        /** Asks the person and waits; the future fails if the turn is interrupted first. */
        CompletableFuture<String> ask(InputRequest.Kind kind, String prompt, List<String> choices);

        void complete(Result result);
    }

    /** A running turn. */
    interface Turn {
        /** Stops the turn soon; it then completes as {@code interrupted}. */
        void interrupt();
    }
}
