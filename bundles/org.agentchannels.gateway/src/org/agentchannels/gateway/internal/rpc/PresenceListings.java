package org.agentchannels.gateway.internal.rpc;

import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.core.presence.PresenceChanges;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.gateway.internal.session.Client;

import com.google.gson.JsonObject;

/**
 * What {@code session.presence_list} answers each client: the whole list, or, when the client names the
 * version it holds and that is the one last sent to it, only what changed since ({@link PresenceChanges}). One
 * list is kept per client, the last one it was sent; it goes with the client.
 */
final class PresenceListings {

    /** The list last sent to one client, its version, and whether it held expired records too. */
    private record Sent(String version, boolean includeExpired, Map<String, PresenceRecord> byName) {
    }

    private final Map<Client, Sent> sent = new WeakHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    /** Versions differ between runs of the gateway, so a client's version from an earlier run is never taken. */
    private final String run = Long.toString(System.nanoTime(), 36);

    /** The answer to {@code client} for the list {@code now}, the client holding version {@code since} (may be empty). */
    JsonObject answer(Client client, List<PresenceRecord> now, boolean includeExpired, String since) {
        String version = run + "-" + versions.incrementAndGet();
        Sent before;
        synchronized (sent) {
            before = sent.get(client);
            sent.put(client, new Sent(version, includeExpired, PresenceChanges.byName(now)));
        }
        if (before != null && !since.isEmpty() && since.equals(before.version()) && before.includeExpired() == includeExpired) {
            return PresenceChanges.changesToJson(PresenceChanges.between(before.byName(), now), version, since);
        }
        return PresenceChanges.wholeToJson(now, version);
    }
}
