package org.agentchannels.core.presence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.agentchannels.core.GatewayEndpoints;

/**
 * An immutable snapshot of the sessions live on other devices, derived from presence records with the
 * seed's rules (channels Phase 2b), hardened against planted records:
 * <ol>
 * <li>a record is attachable only with a dialable {@code endpoint} ({@link GatewayEndpoints#isDialable}: a
 * {@code ws://}/{@code wss://} URL, not a link-local or unspecified address) and a non-empty {@code session_id};</li>
 * <li>it is excluded when its {@code session_id} or {@code session_key} names a local row (its id, its
 * lineage root or any id of its lineage): a session is never shown twice;</li>
 * <li>expired records are dropped, and so are records that are not
 * {@linkplain PresenceRecord#isCredible credible} (from the future, or living longer than a record may);</li>
 * <li>one row per {@code session_id}, the freshest {@code updated_at} winning among the records of one gateway;
 * a session claimed by records of more than one gateway is never moved to the newer claim: its row is
 * {@linkplain RemoteSession#isConflicting conflicting}, names every claimant and has no endpoint to dial;</li>
 * <li>newest first.</li>
 * </ol>
 * {@link #endpointOf(String)} is a hash lookup, so routing a click costs the same for any number of rows (the map is
 * made at a snapshot's first lookup). A poller derives with a {@link RemoteSessionsDeriver}, which gives the same
 * snapshots from what changed since its previous poll.
 */
public final class RemoteSessions {

    private static final RemoteSessions EMPTY = new RemoteSessions(List.of(), List.of());

    private static final Comparator<RemoteDevice> BY_HOST = Comparator
            .comparing((RemoteDevice d) -> d.host(), String.CASE_INSENSITIVE_ORDER).thenComparing(RemoteDevice::endpoint);

    private final List<RemoteSession> sessions;
    private final List<RemoteDevice> devices;
    /**
     * Built at the first lookup, not by the derivation: a poll derives a snapshot that nothing may look up (the Live
     * view lists rows; a click looks one up), and building it was a third of a poll. Immutable once published.
     */
    private volatile Map<String, RemoteSession> bySessionId;

    private RemoteSessions(List<RemoteSession> sessions, List<RemoteDevice> devices) {
        this.sessions = sessions;
        this.devices = devices;
    }

    /** The snapshot of a single-device setup: nothing to show. */
    public static RemoteSessions empty() {
        return EMPTY;
    }

    /**
     * @param records presence records from every source, in any order, duplicates allowed
     * @param locals the sessions this device already shows
     * @param nowEpochSeconds the current time, for expiry
     */
    public static RemoteSessions derive(Collection<PresenceRecord> records, Collection<LocalSessionRef> locals,
            double nowEpochSeconds) {
        return derive(records, locals, nowEpochSeconds, endpoint -> Optional.empty());
    }

    /**
     * As {@link #derive(Collection, Collection, double)}, and a record whose {@linkplain PresenceRecord#fingerprint()
     * certificate fingerprint} is not the one this device pinned for its endpoint is not attachable: that gateway is
     * not the one paired (or its certificate changed), and it is not offered to be dialled. A record without a
     * fingerprint, or for an endpoint with no pin, is judged as before (the TLS handshake checks the pin anyway).
     *
     * @param pinned the fingerprint this device pinned for an endpoint, asked once per endpoint
     */
    public static RemoteSessions derive(Collection<PresenceRecord> records, Collection<LocalSessionRef> locals,
            double nowEpochSeconds, java.util.function.Function<String, Optional<String>> pinned) {
        // one implementation of the rules: a deriver's first poll is a derivation from scratch
        return new RemoteSessionsDeriver().derive(records, locals, nowEpochSeconds, pinned);
    }

    /** Every id the local rows name: their ids, lineage roots and lineage ids. */
    static Set<String> localIds(Collection<LocalSessionRef> locals) {
        Set<String> ids = HashSet.newHashSet(locals.size() * 3);
        for (LocalSessionRef local : locals) {
            addIfPresent(ids, local.id());
            addIfPresent(ids, local.lineageRootId());
            for (String id : local.lineageIds()) {
                addIfPresent(ids, id);
            }
        }
        return ids;
    }

    /**
     * The snapshot of {@code rows}, newest first already, and of their gateways; the array and list are the
     * snapshot's from now on.
     *
     * @param devices each endpoint of a row that is not conflicting once, with the host its newest such row names
     */
    static RemoteSessions ofSorted(RemoteSession[] rows, List<RemoteDevice> devices) {
        if (rows.length == 0) {
            return EMPTY;
        }
        devices.sort(BY_HOST);
        // wrapped, not copied: nothing else holds these, and copying ten thousand entries costs a third of the time
        return new RemoteSessions(Collections.unmodifiableList(Arrays.asList(rows)), Collections.unmodifiableList(devices));
    }

    /** The snapshot of {@code sessions}, newest first already. */
    private static RemoteSessions of(List<RemoteSession> sessions) {
        // newest first, so the first session seen per endpoint names the device
        Map<String, RemoteDevice> byEndpoint = new HashMap<>();
        for (RemoteSession session : sessions) {
            if (!session.isConflicting() && byEndpoint.get(session.endpoint()) == null) {
                byEndpoint.put(session.endpoint(), new RemoteDevice(session.endpoint(), session.host()));
            }
        }
        return ofSorted(sessions.toArray(new RemoteSession[0]), new ArrayList<>(byEndpoint.values()));
    }

    /**
     * What this device sees of a session it follows live: its events are newer than any presence record (a
     * Hermes record stays "working" after its turn until the next refresh).
     *
     * @param endpoint the trimmed endpoint of the gateway it is attached at
     */
    public record LiveStatus(String endpoint, String sessionId, String sessionKey, SessionActivity activity,
            org.agentchannels.core.protocol.SignIn signIn) {
    }

    /**
     * This snapshot with the sessions this device follows live corrected by what it sees of them: their status
     * is the live one; and a record of a session that is live under another runtime id at the same gateway
     * (Hermes rebuilt a reaped session with {@code session.resume}) is left over, so it is dropped.
     */
    public RemoteSessions withLiveStatus(Collection<LiveStatus> live) {
        if (live.isEmpty() || sessions.isEmpty()) {
            return this;
        }
        // keyed by id and by session key, the endpoint compared after: no key is built per row
        Map<String, List<LiveStatus>> byId = new HashMap<>();
        Map<String, List<LiveStatus>> byKey = new HashMap<>();
        for (LiveStatus l : live) {
            byId.computeIfAbsent(l.sessionId(), id -> new ArrayList<>(1)).add(l);
            if (!l.sessionKey().isEmpty()) {
                byKey.computeIfAbsent(l.sessionKey(), key -> new ArrayList<>(1)).add(l);
            }
        }
        List<RemoteSession> corrected = new ArrayList<>(sessions.size());
        boolean changed = false;
        for (RemoteSession s : sessions) {
            LiveStatus l = lastAt(byId.get(s.sessionId()), s.endpoint());
            if (l == null && !s.sessionKey().isEmpty()) {
                LiveStatus sameStored = lastAt(byKey.get(s.sessionKey()), s.endpoint());
                if (sameStored != null && !sameStored.sessionId().equals(s.sessionId())) {
                    changed = true;
                    continue; // live under its new runtime id: this record is the reaped one's
                }
            }
            String status = l == null ? s.status() : l.activity().wireWord();
            if (l == null || status.equals(s.status()) && java.util.Objects.equals(l.signIn(), s.signIn())) {
                corrected.add(s);
                continue;
            }
            changed = true;
            corrected.add(new RemoteSession(s.sessionId(), s.sessionKey(), s.endpoint(), s.title(), s.host(), s.model(),
                    status, s.cwd(), s.updatedAt(), s.expiresAt(), s.messageCount(), s.conflictingEndpoints(), l.signIn()));
        }
        return changed ? of(corrected) : this;
    }

    /** The last of {@code statuses} at {@code endpoint} (the last one told wins), or null. */
    private static LiveStatus lastAt(List<LiveStatus> statuses, String endpoint) {
        if (statuses == null) {
            return null;
        }
        for (int i = statuses.size() - 1; i >= 0; i--) {
            if (statuses.get(i).endpoint().equals(endpoint)) {
                return statuses.get(i);
            }
        }
        return null;
    }

    /**
     * This snapshot without the sessions this device found to be no longer live (opening them failed: their
     * records outlived them), each named {@code endpoint + " " + sessionId}.
     */
    public RemoteSessions without(Set<String> ended) {
        if (ended.isEmpty()) {
            return this;
        }
        List<RemoteSession> kept = new ArrayList<>(sessions.size());
        for (RemoteSession s : sessions) {
            if (!ended.contains(endedKey(s.endpoint(), s.sessionId()))) {
                kept.add(s);
            }
        }
        return kept.size() == sessions.size() ? this : of(kept);
    }

    /** How {@link #without} names a session that is no longer live. */
    public static String endedKey(String endpoint, String sessionId) {
        return endpoint.trim() + " " + sessionId;
    }

    /** @param trimmedEndpoint the record's endpoint, trimmed */
    static RemoteSession toRemoteSession(PresenceRecord r, String trimmedEndpoint, List<String> conflictingEndpoints) {
        String status = r.status().isBlank() ? "idle" : r.status();
        String endpoint = conflictingEndpoints.isEmpty() ? trimmedEndpoint : "";
        return new RemoteSession(r.sessionId(), r.sessionKey(), endpoint, r.title(), r.host(), r.model(), status, r.cwd(),
                r.updatedAt(), r.expiresAt(), r.messageCount(), conflictingEndpoints, r.signIn());
    }

    private static void addIfPresent(Set<String> ids, String id) {
        if (id != null && !id.isEmpty()) {
            ids.add(id);
        }
    }

    /** @return the sessions, newest first; unmodifiable */
    public List<RemoteSession> sessions() {
        return sessions;
    }

    /** @return the distinct remote gateways with their host labels, sorted by host (no conflicting claimant); unmodifiable */
    public List<RemoteDevice> devices() {
        return devices;
    }

    public boolean isEmpty() {
        return sessions.isEmpty();
    }

    public int size() {
        return sessions.size();
    }

    /**
     * @return the endpoint serving {@code sessionId}, if it is a remote session of this snapshot that one gateway
     *         alone claims
     */
    public Optional<String> endpointOf(String sessionId) {
        RemoteSession session = bySessionId().get(sessionId);
        return session == null || session.isConflicting() ? Optional.empty() : Optional.of(session.endpoint());
    }

    public Optional<RemoteSession> find(String sessionId) {
        return Optional.ofNullable(bySessionId().get(sessionId));
    }

    private Map<String, RemoteSession> bySessionId() {
        Map<String, RemoteSession> index = bySessionId;
        if (index == null) {
            // two threads may both build it: each builds the same map, and either one serves
            Map<String, RemoteSession> built = HashMap.newHashMap(sessions.size());
            for (RemoteSession session : sessions) {
                built.put(session.sessionId(), session);
            }
            index = built;
            bySessionId = index;
        }
        return index;
    }

    /** Snapshots are equal when they would show the same rows, so listeners can skip repaints. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteSessions that && sessions.equals(that.sessions);
    }

    @Override
    public int hashCode() {
        return sessions.hashCode();
    }

    @Override
    public String toString() {
        return "RemoteSessions" + sessions;
    }
}
