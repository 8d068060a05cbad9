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
     * A session is live: an agent that is slow to start may start for it now, ahead of its first prompt, and
     * report how that goes through {@code events}.
     */
    default void sessionStarted(SessionStart start, SessionEvents events) {
    }

    /** What the agent is doing for a session outside its turns; asked whenever it reports a change. */
    default SessionState state(String sessionId) {
        return SessionState.READY;
    }

    /** The session has ended (closed, or the gateway stops): whatever the agent keeps for it may go. */
    default void sessionEnded(String sessionId) {
    }

    /** The gateway stops, after every session has ended. */
    default void close() {
    }

    /**
     * A session going live.
     *
     * @param sessionId its runtime id, as {@link Request#sessionId()} names it
     * @param storedId its stored id
     * @param cwd the directory it works in, checked against the gateway's workspaces; {@code null} when the
     *        gateway has none (the agent's own default)
     * @param agentSessionId the agent's own id for this session, as {@link SessionEvents#agentSessionId} last
     *        reported it (kept in the store); empty when there is none
     * @param reopened the session existed before (loaded from the store): its earlier turns happened with an
     *        agent that may be gone
     */
    record SessionStart(String sessionId, String storedId, Path cwd, String agentSessionId, boolean reopened) {
        public SessionStart {
            agentSessionId = agentSessionId == null ? "" : agentSessionId;
        }
    }

    /**
     * What an agent does for a session outside its turns.
     *
     * @param starting it is being started (some take seconds): the session shows as starting
     * @param signIn while it cannot go on until someone signs it in on the gateway's device, what to do there as
     *        the agent says it (empty when it says nothing); {@code null} when it needs no sign-in
     */
    record SessionState(boolean starting, String signIn) {
        public static final SessionState READY = new SessionState(false, null);
    }

    /**
     * Where an agent reports what happens to a session outside its turns. {@link #stateChanged} and {@link
     * #agentSessionId} never block and may come from any thread, holding any lock: the gateway takes them in
     * order, on a thread of its own. {@link #forgotten} is applied before it returns, as a turn's reports are.
     */
    interface SessionEvents {
        /** Takes no report. */
        SessionEvents NONE = new SessionEvents() {
            @Override
            public void stateChanged() {
            }

            @Override
            public void agentSessionId(String id) {
            }

            @Override
            public void forgotten() {
            }
        };

        /** The agent's {@link Agent#state} for this session changed; the gateway asks it again. */
        void stateChanged();

        /** The agent's own id for the session changed; stored, and given back at the next start. */
        void agentSessionId(String id);

        /**
         * The agent works on in a session of its own that does not remember the earlier turns (it could not
         * reopen the one it had): the transcript gets a note saying so, before this returns, so that it comes
         * before what the agent answers next. Takes the session's lock: call it holding none a turn may wait on.
         */
        void forgotten();
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

        /**
         * Opens a burst: what this thread sends until it is closed is written to each device together, at its
         * close, rather than an event at a time. For an agent that has several updates at hand at once (a read
         * of its output holding many); one that sends as things come needs none. Close it in a {@code finally}.
         */
        default AutoCloseable burst() {
            return () -> {
            };
        }

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
