package org.agentchannels.core.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
 * {@link #endpointOf(String)} is a hash lookup, so routing a click costs the same for any number of rows.
 */
public final class RemoteSessions {

    private static final RemoteSessions EMPTY = new RemoteSessions(List.of(), Map.of(), List.of());

    private static final Comparator<RemoteSession> NEWEST_FIRST = (a, b) -> {
        int byTime = Double.compare(b.updatedAt(), a.updatedAt());
        return byTime != 0 ? byTime : a.sessionId().compareTo(b.sessionId());
    };

    private final List<RemoteSession> sessions;
    private final Map<String, RemoteSession> bySessionId;
    private final List<RemoteDevice> devices;

    private RemoteSessions(List<RemoteSession> sessions, Map<String, RemoteSession> bySessionId,
            List<RemoteDevice> devices) {
        this.sessions = sessions;
        this.bySessionId = bySessionId;
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
        Set<String> localIds = new HashSet<>(locals.size() * 3);
        for (LocalSessionRef local : locals) {
            addIfPresent(localIds, local.id());
            addIfPresent(localIds, local.lineageRootId());
            for (String id : local.lineageIds()) {
                addIfPresent(localIds, id);
            }
        }
        // sized for every record, so that deriving ten thousand never rehashes
        Map<String, PresenceRecord> freshest = new HashMap<>(records.size() * 4 / 3 + 1);
        Map<String, Set<String>> claimants = new HashMap<>();
        // a handful of gateways advertise thousands of sessions: each endpoint is judged once
        Map<String, Boolean> dialable = new HashMap<>();
        Map<String, Optional<String>> pins = new HashMap<>();
        for (PresenceRecord record : records) {
            if (!isAttachable(record, localIds, dialable) || !matchesPin(record, pins, pinned)
                    || record.isExpired(nowEpochSeconds)
                    || !record.isCredible(nowEpochSeconds)) {
                continue;
            }
            PresenceRecord kept = freshest.get(record.sessionId());
            if (kept == null) {
                freshest.put(record.sessionId(), record);
                continue;
            }
            String endpoint = record.endpoint().trim();
            Set<String> rivals = claimants.get(record.sessionId());
            if (rivals != null) {
                rivals.add(endpoint);
            } else if (!kept.endpoint().trim().equals(endpoint)) {
                claimants.put(record.sessionId(), new TreeSet<>(List.of(kept.endpoint().trim(), endpoint)));
            }
            if (record.updatedAt() > kept.updatedAt()) {
                freshest.put(record.sessionId(), record);
            }
        }
        if (freshest.isEmpty()) {
            return EMPTY;
        }
        List<RemoteSession> sessions = new ArrayList<>(freshest.size());
        for (PresenceRecord record : freshest.values()) {
            Set<String> rivals = claimants.get(record.sessionId());
            sessions.add(toRemoteSession(record, rivals == null ? List.of() : List.copyOf(rivals)));
        }
        sessions.sort(NEWEST_FIRST);
        return of(sessions);
    }

    /** The snapshot of {@code sessions}, newest first already. */
    private static RemoteSessions of(List<RemoteSession> sessions) {
        if (sessions.isEmpty()) {
            return EMPTY;
        }
        Map<String, RemoteSession> bySessionId = new HashMap<>(sessions.size() * 4 / 3 + 1);
        // newest first, so the first session seen per endpoint names the device
        Map<String, RemoteDevice> byEndpoint = new LinkedHashMap<>();
        for (RemoteSession session : sessions) {
            bySessionId.put(session.sessionId(), session);
            if (!session.isConflicting()) {
                byEndpoint.computeIfAbsent(session.endpoint(), endpoint -> new RemoteDevice(endpoint, session.host()));
            }
        }
        List<RemoteDevice> devices = new ArrayList<>(byEndpoint.values());
        devices.sort(Comparator.comparing((RemoteDevice d) -> d.host(), String.CASE_INSENSITIVE_ORDER)
                .thenComparing(RemoteDevice::endpoint));
        // wrapped, not copied: nothing else holds these, and copying ten thousand entries costs a third of the time
        return new RemoteSessions(Collections.unmodifiableList(sessions), Collections.unmodifiableMap(bySessionId),
                Collections.unmodifiableList(devices));
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
        Map<String, LiveStatus> byId = new HashMap<>();
        Map<String, LiveStatus> byKey = new HashMap<>();
        for (LiveStatus l : live) {
            byId.put(l.endpoint() + " " + l.sessionId(), l);
            if (!l.sessionKey().isEmpty()) {
                byKey.put(l.endpoint() + " " + l.sessionKey(), l);
            }
        }
        List<RemoteSession> corrected = new ArrayList<>(sessions.size());
        boolean changed = false;
        for (RemoteSession s : sessions) {
            LiveStatus l = byId.get(s.endpoint() + " " + s.sessionId());
            if (l == null && !s.sessionKey().isEmpty()) {
                LiveStatus sameStored = byKey.get(s.endpoint() + " " + s.sessionKey());
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

    /** Whether the record's fingerprint, when it has one, is the one pinned for its endpoint, when there is one. */
    private static boolean matchesPin(PresenceRecord record, Map<String, Optional<String>> pins,
            java.util.function.Function<String, Optional<String>> pinned) {
        if (record.fingerprint().isEmpty()) {
            return true;
        }
        Optional<String> pin = pins.computeIfAbsent(record.endpoint().trim(), endpoint -> {
            try {
                return GatewayEndpoints.isDialable(endpoint) ? pinned.apply(GatewayEndpoints.parse(endpoint).toString())
                        : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty(); // a store that cannot be read pins nothing here; the handshake still checks
            }
        });
        return pin.isEmpty() || pin.get().equals(record.fingerprint());
    }

    private static boolean isAttachable(PresenceRecord record, Set<String> localIds, Map<String, Boolean> dialable) {
        if (record.sessionId().isEmpty() || !dialable.computeIfAbsent(record.endpoint(), GatewayEndpoints::isDialable)) {
            return false;
        }
        if (localIds.contains(record.sessionId())) {
            return false;
        }
        return record.sessionKey().isEmpty() || !localIds.contains(record.sessionKey());
    }

    private static RemoteSession toRemoteSession(PresenceRecord r, List<String> conflictingEndpoints) {
        String status = r.status().isBlank() ? "idle" : r.status();
        String endpoint = conflictingEndpoints.isEmpty() ? r.endpoint().trim() : "";
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
        RemoteSession session = bySessionId.get(sessionId);
        return session == null || session.isConflicting() ? Optional.empty() : Optional.of(session.endpoint());
    }

    public Optional<RemoteSession> find(String sessionId) {
        return Optional.ofNullable(bySessionId.get(sessionId));
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
