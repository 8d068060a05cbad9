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

/**
 * An immutable snapshot of the sessions live on other devices, derived from presence records with the
 * seed's rules (channels Phase 2b):
 * <ol>
 * <li>a record is attachable only with a non-blank {@code endpoint} and a non-empty {@code session_id};</li>
 * <li>it is excluded when its {@code session_id} or {@code session_key} names a local row (its id, its
 * lineage root or any id of its lineage): a session is never shown twice;</li>
 * <li>expired records are dropped;</li>
 * <li>one row per {@code session_id}, the freshest {@code updated_at} winning;</li>
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
        for (PresenceRecord record : records) {
            if (!isAttachable(record, localIds) || record.isExpired(nowEpochSeconds)) {
                continue;
            }
            freshest.merge(record.sessionId(), record,
                    (kept, candidate) -> candidate.updatedAt() > kept.updatedAt() ? candidate : kept);
        }
        if (freshest.isEmpty()) {
            return EMPTY;
        }
        List<RemoteSession> sessions = new ArrayList<>(freshest.size());
        for (PresenceRecord record : freshest.values()) {
            sessions.add(toRemoteSession(record));
        }
        sessions.sort(NEWEST_FIRST);
        Map<String, RemoteSession> bySessionId = new HashMap<>(sessions.size() * 4 / 3 + 1);
        // newest first, so the first session seen per endpoint names the device
        Map<String, RemoteDevice> byEndpoint = new LinkedHashMap<>();
        for (RemoteSession session : sessions) {
            bySessionId.put(session.sessionId(), session);
            byEndpoint.computeIfAbsent(session.endpoint(), endpoint -> new RemoteDevice(endpoint, session.host()));
        }
        List<RemoteDevice> devices = new ArrayList<>(byEndpoint.values());
        devices.sort(Comparator.comparing((RemoteDevice d) -> d.host(), String.CASE_INSENSITIVE_ORDER)
                .thenComparing(RemoteDevice::endpoint));
        // wrapped, not copied: nothing else holds these, and copying ten thousand entries costs a third of the time
        return new RemoteSessions(Collections.unmodifiableList(sessions), Collections.unmodifiableMap(bySessionId),
                Collections.unmodifiableList(devices));
    }

    private static boolean isAttachable(PresenceRecord record, Set<String> localIds) {
        if (record.endpoint().isBlank() || record.sessionId().isEmpty()) {
            return false;
        }
        if (localIds.contains(record.sessionId())) {
            return false;
        }
        return record.sessionKey().isEmpty() || !localIds.contains(record.sessionKey());
    }

    private static RemoteSession toRemoteSession(PresenceRecord r) {
        String status = r.status().isBlank() ? "idle" : r.status();
        return new RemoteSession(r.sessionId(), r.sessionKey(), r.endpoint().trim(), r.title(), r.host(), r.model(),
                status, r.cwd(), r.updatedAt(), r.expiresAt(), r.messageCount());
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

    /** @return the distinct remote gateways with their host labels, sorted by host; unmodifiable */
    public List<RemoteDevice> devices() {
        return devices;
    }

    public boolean isEmpty() {
        return sessions.isEmpty();
    }

    public int size() {
        return sessions.size();
    }

    /** @return the endpoint serving {@code sessionId}, if it is a remote session of this snapshot */
    public Optional<String> endpointOf(String sessionId) {
        RemoteSession session = bySessionId.get(sessionId);
        return session == null ? Optional.empty() : Optional.of(session.endpoint());
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
