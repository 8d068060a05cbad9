package org.agentchannels.gateway.internal.presence;

import java.io.IOException;
import java.util.List;

import org.agentchannels.core.presence.PresenceRecord;

/**
 * Somewhere this gateway's presence records go and every gateway's are read from: the presence folder, a team's
 * broker. {@link PresencePublisher} calls it from its one thread; reads come from any thread.
 */
interface PresenceStore {

    /** What a log line calls this store: a folder's path, a broker's URL (never a secret). */
    String describe();

    /** Writes (or replaces) one of this gateway's records. */
    void write(String instanceId, PresenceRecord record) throws IOException;

    /** Removes the record of a session of this gateway that ended. */
    void delete(String instanceId, String sessionId) throws IOException;

    /** Every gateway's records this store holds now, expired ones too. */
    List<PresenceRecord> read() throws IOException;

    /** The clean stop, once this gateway's records were deleted: whatever the store keeps of this gateway is gone. */
    void close();
}
