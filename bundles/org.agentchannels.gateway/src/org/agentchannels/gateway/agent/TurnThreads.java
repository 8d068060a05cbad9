package org.agentchannels.gateway.agent;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.gateway.internal.LoggedFailure;

/**
 * The thread each turn of an agent runs on: whatever its body throws still ends the turn, as an error the clients
 * see, so the session goes on to its next prompt. The failure is logged by its class and stack only (a message
 * may quote the prompt).
 */
final class TurnThreads {

    private static final System.Logger LOG = System.getLogger(TurnThreads.class.getName());

    private TurnThreads() {
    }

    /** Starts {@code body} on a daemon thread named {@code name}; throws if no thread can be made. */
    static Thread start(String name, Agent.Sink sink, Runnable body) {
        Thread thread = DaemonThreads.named(name).newThread(() -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) { // not rethrown: the default handler would print the message
                LOG.log(System.Logger.Level.WARNING, "a turn failed on " + name, LoggedFailure.of(e));
                sink.complete(Agent.Result.error(failed(e)));
            }
        });
        thread.start();
        return thread;
    }

    /** What a turn that failed in the agent's code says to the clients: the kind of failure, not its message. */
    static String failed(Throwable e) {
        return "the agent failed (" + e.getClass().getSimpleName() + ")";
    }
}
