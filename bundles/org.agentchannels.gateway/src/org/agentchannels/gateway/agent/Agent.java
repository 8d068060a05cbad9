package org.agentchannels.gateway.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
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
     * The gateway this agent serves, given once before any session starts: where the agent reports what a
     * session's agent says outside its turns (an ACP agent offers its commands right after {@code session/new}).
     */
    default void bind(Host host) {
    }

    /**
     * Where an agent reports what belongs to a session rather than to a turn. Calls may come from any thread at
     * any time, in or outside a turn, and never block on the disk; a session that has ended is ignored.
     */
    interface Host {
        /** Takes no report. */
        Host NONE = new Host() {
            @Override
            public void commands(String sessionId, List<SlashCommand> commands) {
            }

            @Override
            public void title(String sessionId, String title) {
            }
        };

        /** The commands the session's agent offers now, replacing those it offered before. */
        void commands(String sessionId, List<SlashCommand> commands);

        /** The session's agent titled the session: it becomes the title, as {@code session.title} sets one. */
        void title(String sessionId, String title);
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

        /**
         * A tool row: added, or, when {@code call} has the id of a row this turn added, that row replaced by this
         * whole new state.
         *
         * @param title what the call does, as the agent names it
         * @param context a line of what it works on (its kind and places), for clients that show no more
         * @param status {@link ToolCall#PENDING} to {@link ToolCall#FAILED}; empty when the agent does not say
         * @param call the call's id and detail; {@code null} for a row of its own that is never updated
         */
        void tool(String title, String context, String status, ToolCall call);

        /** A tool row that is never updated: its title and what it works on. */
        default void tool(String title, String context) {
            tool(title, context, "", null);
        }

        /** The agent's plan for this turn: its one plan row, added or replaced. */
        void plan(List<PlanEntry> entries);

        /** A note in the transcript: something the agent reported that has no row of its own. */
        void note(String text);

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
