package org.agentchannels.presence;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.presence.RemoteSessions;

/**
 * Sessions live on other devices, as immutable {@link RemoteSessions} snapshots derived from every presence
 * source against this device's own sessions: the local gateway's {@code session.presence_list} (polled) and a
 * presence directory read directly (watched, and rescanned). The sessions this device is attached to show what
 * their live events say, not what their records said.
 */
public interface PresenceTracker {

    @FunctionalInterface
    interface Listener {
        /** A new snapshot; called only when it differs from the last one, on the tracker's thread. */
        void remoteSessionsChanged(RemoteSessions snapshot);
    }

    /** The latest snapshot; empty until the first poll. */
    RemoteSessions current();

    /** Polls and scans every source now and completes with the resulting snapshot. */
    CompletableFuture<RemoteSessions> refresh();

    /**
     * Opening the session failed because it is no longer live there (its records outlived it: a Hermes gateway
     * reaps a session its clients left and may leave its records until they expire): its row is dropped now and
     * stays dropped while records of it remain, instead of being offered again.
     */
    void markNoLongerLive(String endpoint, String sessionId);

    /** Reads presence files from {@code folder} from now on; empty to stop reading a folder. */
    void setPresenceDirectory(Optional<Path> folder);

    Optional<Path> presenceDirectory();

    void addListener(Listener listener);

    void removeListener(Listener listener);
}
