package org.agentchannels.connector.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.agentchannels.core.presence.PresenceChanges;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.Methods;

import com.google.gson.JsonObject;

/**
 * The presence list as one connection last read it, so that its next {@code session.presence_list} asks only
 * for what changed since ({@link PresenceChanges}) and the answer is applied to it. A gateway that answers with
 * the whole list (a Hermes one, a restarted one, or one that no longer has the version named) replaces it.
 */
final class HeldPresence {

    private String version = "";
    private boolean includeExpired;
    private Map<String, PresenceRecord> byName = new java.util.LinkedHashMap<>();

    /** The parameters of the next ask: the version held, when it was read with the same {@code includeExpired}. */
    synchronized JsonObject params(boolean includeExpired) {
        return Methods.presenceList(includeExpired, includeExpired == this.includeExpired ? version : "");
    }

    /**
     * The whole list after {@code result}, which becomes the one held.
     *
     * @return empty when {@code result} holds changes since a version other than the one held (two asks crossed):
     *         ask again for the whole list
     */
    synchronized Optional<List<PresenceRecord>> take(JsonObject result, boolean includeExpired) {
        Optional<String> since = PresenceChanges.since(result);
        String next = PresenceChanges.version(result).orElse("");
        if (since.isPresent()) {
            if (!since.get().equals(version) || includeExpired != this.includeExpired || version.isEmpty()) {
                return Optional.empty();
            }
            List<PresenceRecord> all = PresenceChanges.apply(byName, PresenceChanges.changesFrom(result));
            version = next;
            return Optional.of(all);
        }
        List<PresenceRecord> all = PresenceRecord.listFrom(result);
        byName = PresenceChanges.byName(all);
        version = next;
        this.includeExpired = includeExpired;
        return Optional.of(all);
    }
}
