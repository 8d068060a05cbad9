package org.agentchannels.presence;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.core.presence.RemoteSessions;

/**
 * Sessions live on other devices, as immutable {@link RemoteSessions} snapshots derived from every presence
 * source against this device's own sessions: the local gateway's {@code session.presence_list} (polled) and a
 * presence directory read directly (watched, and rescanned).
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

    /** Reads presence files from {@code folder} from now on; empty to stop reading a folder. */
    void setPresenceDirectory(Optional<Path> folder);

    Optional<Path> presenceDirectory();

    void addListener(Listener listener);

    void removeListener(Listener listener);
}
