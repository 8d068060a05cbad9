package org.agentchannels.gateway.internal.session;

/**
 * Told whenever a live session's presence may have changed (status, title, size) or it ended. Called with the
 * session's lock held: an implementation only takes note and does its I/O elsewhere.
 */
public interface SessionPresence {

    /**
     * What presence says about a live session.
     *
     * @param model the label of the agent it runs
     */
    record LiveSessionInfo(String runtimeId, String storedId, String title, String status, long messageCount,
            String model) {
    }

    void changed(LiveSessionInfo session);

    void ended(String runtimeId);
}
