package org.agentchannels.core.presence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.agentchannels.core.GatewayEndpoints;

/**
 * Derives {@link RemoteSessions} poll after poll, redoing only what changed since the previous poll: the rules are
 * {@link RemoteSessions}' and every snapshot is exactly the one {@link RemoteSessions#derive} gives for the same
 * arguments, but a session whose records are the ones of the previous poll (the same objects, or equal ones), in the
 * same order, keeps its row unless the time, the local rows or a pin changed what its records say, and the sorted
 * rows are patched rather than sorted again. A poll costs a look at each record and what changed, not a derivation
 * of everything there is.
 * <p>
 * The time is the one input every poll changes, so each row remembers the span of {@code now} over which its
 * records' verdicts stay the same (until the first of them expires; from the moment a record from the future is
 * believed); a poll outside it derives that session again.
 * <p>
 * One poller owns a deriver: it is not thread-safe. The snapshots it returns are immutable and may be shared.
 */
public final class RemoteSessionsDeriver {

    /** Sessions by id, as of the previous poll. */
    private Map<String, Session> sessions = new HashMap<>();
    /** The same sessions in the order they first came; sessions with no record left are dropped each poll. */
    private final ArrayList<Session> all = new ArrayList<>();
    private int poll;
    private List<LocalSessionRef> locals = List.of();
    private Set<String> localIds = Set.of();
    /**
     * Each endpoint as records spell it, judged once: a handful of gateways advertise thousands of sessions. One
     * {@link Endpoint} per trimmed endpoint, whose string every row there shares. Emptied, and everything derived
     * again, when it holds far more endpoints than the records name.
     */
    private Map<String, Endpoint> endpoints = new HashMap<>();
    private Map<String, Endpoint> byTrimmedEndpoint = new HashMap<>();
    /** The endpoint {@link #endpointOf} last found, and the record's string it found it for. */
    private String lastRaw;
    private Endpoint lastEndpoint;
    /** The rows of {@link #snapshot}, newest first; never changed once a snapshot holds them. */
    private RemoteSession[] sorted = new RemoteSession[0];
    private RemoteSessions snapshot = RemoteSessions.empty();

    /** As {@link RemoteSessions#derive(Collection, Collection, double)}, from what changed since the previous call. */
    public RemoteSessions derive(Collection<PresenceRecord> records, Collection<LocalSessionRef> locals,
            double nowEpochSeconds) {
        return derive(records, locals, nowEpochSeconds, endpoint -> Optional.empty());
    }

    /**
     * As {@link RemoteSessions#derive(Collection, Collection, double, Function)}, from what changed since the previous
     * call. {@code pinned} is asked once per endpoint of the records that carry a fingerprint at every call, since a
     * pairing may have changed it.
     */
    public RemoteSessions derive(Collection<PresenceRecord> records, Collection<LocalSessionRef> locals,
            double nowEpochSeconds, Function<String, Optional<String>> pinned) {
        poll++;
        if (endpoints.size() > 2 * records.size() + 64) {
            forgetAll(); // rows hold the endpoints they name: none may stay from before
        }
        boolean fromScratch = sessions.isEmpty();
        if (fromScratch) {
            sessions = HashMap.newHashMap(records.size()); // no rehashing ten thousand times over
            all.ensureCapacity(records.size());
            if (endpoints.isEmpty()) { // nor growing through a thousand gateways' endpoints
                int gateways = Math.min(records.size(), 1_024);
                endpoints = HashMap.newHashMap(gateways);
                byTrimmedEndpoint = HashMap.newHashMap(gateways);
            }
        }
        Set<String> newlyLocalOrNot = updateLocals(locals, fromScratch);
        // one loop a method: each is compiled as soon as its own loop is hot, not after hundreds of polls
        List<Session> changed = new ArrayList<>(fromScratch ? records.size() : 16);
        if (fromScratch) {
            seeFirst(records, changed);
        } else {
            see(records, changed);
        }
        boolean repinned = askPins(pinned);
        List<RemoteSession> removed = new ArrayList<>();
        sweep(nowEpochSeconds, newlyLocalOrNot, repinned, changed, removed);
        List<RemoteSession> added = new ArrayList<>(changed.size());
        deriveChanged(changed, new Rules(this, nowEpochSeconds, pinned), removed, added);
        if (removed.isEmpty() && added.isEmpty()) {
            return snapshot;
        }
        RemoteSession[] next = removed.size() + added.size() <= sorted.length / 8 ? patched(removed, added) : null;
        if (next == null) {
            next = allRows();
        }
        sorted = next;
        snapshot = RemoteSessions.ofSorted(next, devices());
        return snapshot;
    }

    /** Hands each record to its session, which finds whether its records are those of the previous poll. */
    private void see(Collection<PresenceRecord> records, List<Session> changed) {
        for (PresenceRecord record : records) {
            Session session = sessions.get(record.sessionId());
            if (session == null) {
                session = new Session(record.sessionId());
                sessions.put(session.id, session);
                all.add(session);
            }
            session.see(record, poll, changed);
        }
    }

    /** As {@link #see}, when no session is known yet: each id is looked up once, as it is added. */
    private void seeFirst(Collection<PresenceRecord> records, List<Session> changed) {
        for (PresenceRecord record : records) {
            Session session = new Session(record.sessionId());
            Session known = sessions.putIfAbsent(session.id, session);
            if (known == null) {
                all.add(session);
            } else {
                session = known; // a session claimed by more than one record
            }
            session.see(record, poll, changed);
        }
    }

    /**
     * Drops the sessions no record named in this poll, their rows into {@code removed}, and finds those whose
     * records came again but whose row may not hold: records gone at the end, the time, local rows or pins.
     */
    private void sweep(double now, Set<String> newlyLocalOrNot, boolean repinned, List<Session> changed,
            List<RemoteSession> removed) {
        int kept = 0;
        for (int i = 0, n = all.size(); i < n; i++) {
            Session session = all.get(i);
            if (session.seen != poll) {
                sessions.remove(session.id);
                if (session.row != null) {
                    removed.add(session.row);
                }
                continue;
            }
            all.set(kept++, session);
            if (!session.differs && (session.matched < session.count || !session.holdsAt(now)
                    || session.names(newlyLocalOrNot) || repinned && session.isRepinned(this))) {
                session.differ(changed);
            }
        }
        all.subList(kept, all.size()).clear();
    }

    /** Derives the rows of {@code changed} again; the rows that went into {@code removed}, the new ones into {@code added}. */
    private static void deriveChanged(List<Session> changed, Rules rules, List<RemoteSession> removed,
            List<RemoteSession> added) {
        for (Session session : changed) {
            RemoteSession before = session.row;
            RemoteSession after = session.commitAndDerive(rules);
            if (Objects.equals(before, after)) {
                session.row = before; // the same row: nothing to move
            } else {
                if (before != null) {
                    removed.add(before);
                }
                if (after != null) {
                    added.add(after);
                }
            }
        }
    }

    private void forgetAll() {
        lastRaw = null;
        lastEndpoint = null;
        endpoints.clear();
        byTrimmedEndpoint.clear();
        sessions.clear();
        all.clear();
        sorted = new RemoteSession[0];
        snapshot = RemoteSessions.empty();
    }

    /**
     * The gateways of the rows, each named by its newest row that is not conflicting: found from the sessions'
     * own keys, without a lookup per row.
     */
    private List<RemoteDevice> devices() {
        List<Endpoint> named = new ArrayList<>();
        for (Session session : all) {
            Endpoint at = session.rowEndpoint;
            if (at == null) {
                continue;
            }
            if (at.namedAt != poll) {
                at.namedAt = poll;
                at.namer = session;
                named.add(at);
            } else if (session.isNewerThan(at.namer)) {
                at.namer = session;
            }
        }
        List<RemoteDevice> devices = new ArrayList<>(named.size());
        for (Endpoint at : named) {
            devices.add(new RemoteDevice(at.trimmed, at.namer.row.host()));
        }
        return devices;
    }

    /**
     * @param fromScratch whether no session is left from the previous poll, so that none needs to know
     * @return the ids that became local rows or stopped being ones since the previous poll
     */
    private Set<String> updateLocals(Collection<LocalSessionRef> next, boolean fromScratch) {
        if (next == locals) {
            return Set.of();
        }
        List<LocalSessionRef> copy = List.copyOf(next);
        if (copy.equals(locals)) {
            locals = copy;
            return Set.of();
        }
        Set<String> ids = RemoteSessions.localIds(copy);
        if (fromScratch) {
            locals = copy;
            localIds = ids;
            return Set.of();
        }
        Set<String> difference = new HashSet<>(ids);
        difference.addAll(localIds);
        Set<String> both = new HashSet<>(ids);
        both.retainAll(localIds);
        difference.removeAll(both);
        locals = copy;
        localIds = ids;
        return difference;
    }

    /**
     * Asks again for the pin of every endpoint a record with a fingerprint named (a pairing may have changed one);
     * endpoints first met in this poll are asked when their records are judged.
     *
     * @return whether a pin is not the one of the previous poll
     */
    private boolean askPins(Function<String, Optional<String>> pinned) {
        boolean repinned = false;
        for (Endpoint endpoint : byTrimmedEndpoint.values()) {
            if (endpoint.isFingerprinted) {
                Optional<String> pin = endpoint.pinIn(pinned);
                endpoint.repinned = !pin.equals(endpoint.pin);
                repinned |= endpoint.repinned;
                endpoint.pin = pin;
                endpoint.pinnedAt = poll;
            }
        }
        return repinned;
    }

    /** The rows of {@link #sorted} without {@code removed} and with {@code added}, or null if one is not there. */
    private RemoteSession[] patched(List<RemoteSession> removed, List<RemoteSession> added) {
        int n = sorted.length;
        int[] removedAt = new int[removed.size()];
        for (int i = 0; i < removedAt.length; i++) {
            RemoteSession row = removed.get(i);
            int at = Arrays.binarySearch(sorted, row, NewestFirst.ORDER);
            if (at < 0 || sorted[at] != row) {
                return null;
            }
            removedAt[i] = at;
        }
        Arrays.sort(removedAt);
        RemoteSession[] inserted = added.toArray(new RemoteSession[0]);
        Arrays.sort(inserted, NewestFirst.ORDER);
        RemoteSession[] out = new RemoteSession[n - removedAt.length + inserted.length];
        int from = 0;
        int to = 0;
        int nextRemoved = 0;
        for (int i = 0; i <= inserted.length; i++) {
            int until;
            if (i < inserted.length) {
                int at = Arrays.binarySearch(sorted, inserted[i], NewestFirst.ORDER);
                // equal to a row only when that row is its session's previous one, which goes
                until = at >= 0 ? at : -at - 1;
            } else {
                until = n;
            }
            while (from < until) {
                int skip = nextRemoved < removedAt.length ? removedAt[nextRemoved] : n;
                int end = Math.min(skip, until);
                System.arraycopy(sorted, from, out, to, end - from);
                to += end - from;
                from = end;
                if (skip < until) {
                    from++;
                    nextRemoved++;
                }
            }
            if (i < inserted.length) {
                out[to++] = inserted[i];
            }
        }
        return to == out.length && nextRemoved == removedAt.length ? out : null;
    }

    private RemoteSession[] allRows() {
        RemoteSession[] rows = new RemoteSession[all.size()];
        long[] timeKeys = new long[rows.length];
        long[] idKeys = new long[rows.length];
        long[] nextIdKeys = new long[rows.length];
        int n = 0;
        for (Session session : all) {
            if (session.row != null) {
                timeKeys[n] = session.timeKey;
                idKeys[n] = session.idKey;
                nextIdKeys[n] = session.nextIdKey;
                rows[n++] = session.row;
            }
        }
        NewestFirst.sort(rows, timeKeys, idKeys, nextIdKeys, n);
        return n == rows.length ? rows : Arrays.copyOf(rows, n);
    }

    /** The endpoint a record names, judged. */
    private Endpoint endpointOf(PresenceRecord record) {
        String raw = record.endpoint();
        // a gateway's records come together: most records name the endpoint of the one before. The hashes (kept in
        // the strings) are compared first: comparing unequal endpoints' characters was a tenth of a derivation
        if (raw == lastRaw || lastRaw != null && raw.hashCode() == lastRaw.hashCode() && raw.equals(lastRaw)) {
            return lastEndpoint;
        }
        Endpoint endpoint = endpoints.get(raw);
        if (endpoint == null) {
            // dialable or not as its trimmed form is: GatewayEndpoints judges that
            endpoint = byTrimmedEndpoint.computeIfAbsent(raw.trim(), Endpoint::new);
            endpoints.put(raw, endpoint);
        }
        lastRaw = raw;
        lastEndpoint = endpoint;
        return endpoint;
    }

    /**
     * A gateway's endpoint, trimmed: whether it may be dialled, what is pinned for it, and the session that names
     * its device.
     */
    private static final class Endpoint {

        /** The one string for this endpoint that rows hold. */
        final String trimmed;
        final boolean isDialable;
        /** Whether a record with a fingerprint named it, so that its pin matters. */
        boolean isFingerprinted;
        /** What is pinned for it as of poll {@link #pinnedAt}, and whether that differs from the poll before. */
        Optional<String> pin = Optional.empty();
        int pinnedAt;
        boolean repinned;
        /** The newest session with a row that is not conflicting here, as of poll {@link #namedAt}. */
        Session namer;
        int namedAt;

        Endpoint(String trimmed) {
            this.trimmed = trimmed;
            this.isDialable = GatewayEndpoints.isDialable(trimmed); // judged once, not at every pin asked
        }

        /** What {@code pinned} says is pinned for it; nothing for one that is not dialable. */
        Optional<String> pinIn(Function<String, Optional<String>> pinned) {
            if (!isDialable) {
                return Optional.empty();
            }
            try {
                return java.util.Objects.requireNonNullElse(pinned.apply(trimmed), Optional.empty());
            } catch (RuntimeException e) {
                return Optional.empty(); // a store that cannot be read pins nothing here; the handshake still checks
            }
        }
    }

    /** The rules of one poll, as {@link RemoteSessions} states them. */
    private static final class Rules {

        final RemoteSessionsDeriver deriver;
        final Set<String> localIds;
        final double now;
        final Function<String, Optional<String>> pinned;

        Rules(RemoteSessionsDeriver deriver, double now, Function<String, Optional<String>> pinned) {
            this.deriver = deriver;
            this.localIds = deriver.localIds;
            this.now = now;
            this.pinned = pinned;
        }

        /**
         * Whether the record may be offered, whatever the time: everything but its expiry and being from the future.
         *
         * @param endpoint the record's
         */
        boolean isAttachableAtAnyTime(PresenceRecord record, Endpoint endpoint) {
            if (record.sessionId().isEmpty() || !endpoint.isDialable || localIds.contains(record.sessionId())
                    || !record.sessionKey().isEmpty() && localIds.contains(record.sessionKey())) {
                return false;
            }
            if (!record.fingerprint().isEmpty()) {
                if (endpoint.pinnedAt != deriver.poll) {
                    endpoint.pin = endpoint.pinIn(pinned);
                    endpoint.pinnedAt = deriver.poll;
                    endpoint.isFingerprinted = true;
                }
                Optional<String> pin = endpoint.pin;
                if (pin.isPresent() && !pin.get().equals(record.fingerprint())) {
                    return false;
                }
            }
            return record.hasCredibleTimes();
        }
    }

    /** One session id: its records of the last poll in their order, and the row they make. */
    private static final class Session {

        private static final PresenceRecord[] NONE = {};

        final String id;
        /** {@link NewestFirst#idKey} of the id's first and next bytes, and {@link NewestFirst#timeKey} of the row's time. */
        final long idKey;
        final long nextIdKey;
        long timeKey;
        PresenceRecord[] records = NONE;
        int count;
        RemoteSession row;
        /** Where {@link #row} is, when it is not conflicting; else null. */
        Endpoint rowEndpoint;
        /** The span of {@code now} in which the records' verdicts, and so {@link #row}, stay what they were. */
        double validFrom;
        double validUntil;

        /** The poll that last named this session. */
        int seen;
        /** In that poll, how many of {@link #records} came again, in order, before one differed. */
        int matched;
        /** Whether that poll's records differ from {@link #records}; they are then in {@link #next}. */
        boolean differs;
        PresenceRecord[] next;
        int nextCount;

        Session(String id) {
            this.id = id;
            this.idKey = NewestFirst.idKey(id);
            this.nextIdKey = NewestFirst.idKey(id, NewestFirst.ID_KEY_BYTES);
        }

        void see(PresenceRecord record, int poll, List<Session> changed) {
            if (seen != poll) {
                seen = poll;
                matched = 0;
                differs = false;
            }
            if (!differs) {
                if (matched < count) {
                    PresenceRecord previous = records[matched];
                    if (previous == record || previous.equals(record)) {
                        // the newer object kept: the source holds it anyway, and the older one can go
                        records[matched++] = record;
                        return;
                    }
                }
                differ(changed);
            }
            if (nextCount == next.length) {
                next = Arrays.copyOf(next, Math.max(2, nextCount * 2));
            }
            next[nextCount++] = record;
        }

        /** From now on this poll's records are the ones seen so far and those still to come. */
        void differ(List<Session> changed) {
            differs = true;
            next = Arrays.copyOf(records, Math.max(matched, 1));
            nextCount = matched;
            changed.add(this);
        }

        boolean holdsAt(double now) {
            return now >= validFrom && now < validUntil;
        }

        /** Whether the id, or a record's session key, is among {@code ids}. */
        boolean names(Set<String> ids) {
            if (ids.isEmpty()) {
                return false;
            }
            if (ids.contains(id)) {
                return true;
            }
            for (int i = 0; i < count; i++) {
                String key = records[i].sessionKey();
                if (!key.isEmpty() && ids.contains(key)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether a record with a fingerprint is at an endpoint whose pin changed in this poll. */
        boolean isRepinned(RemoteSessionsDeriver deriver) {
            for (int i = 0; i < count; i++) {
                if (!records[i].fingerprint().isEmpty() && deriver.endpointOf(records[i]).repinned) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Takes this poll's records and derives the row: the freshest of the records that are attachable, unexpired
         * and believed wins (the first of equally fresh ones), and a session claimed at more than one endpoint is
         * conflicting.
         */
        RemoteSession commitAndDerive(Rules rules) {
            records = next;
            count = nextCount;
            next = null;
            double now = rules.now;
            double from = Double.NEGATIVE_INFINITY;
            double until = Double.POSITIVE_INFINITY;
            PresenceRecord freshest = null;
            Endpoint freshestEndpoint = null;
            Set<String> claimants = null;
            for (int i = 0; i < count; i++) {
                PresenceRecord record = records[i];
                Endpoint at = rules.deriver.endpointOf(record);
                if (!rules.isAttachableAtAnyTime(record, at)) {
                    continue;
                }
                // both verdicts flip once at most as time goes on: expired from its expiry on; believed from some
                // moment on, which is not worked out here: a record from the future is judged again at every poll
                double expiry = record.expiry();
                boolean expired = record.isExpired(now);
                if (expiry > 0) {
                    if (expired) {
                        from = Math.max(from, expiry);
                    } else {
                        until = Math.min(until, expiry);
                    }
                }
                boolean fromTheFuture = record.isFromTheFuture(now);
                if (fromTheFuture) {
                    until = Math.min(until, Math.nextUp(now));
                } else {
                    from = Math.max(from, now);
                }
                if (expired || fromTheFuture) {
                    continue;
                }
                if (freshest == null) {
                    freshest = record;
                    freshestEndpoint = at;
                    continue;
                }
                if (claimants != null) {
                    claimants.add(at.trimmed);
                } else if (freshestEndpoint != at) {
                    claimants = new TreeSet<>(List.of(freshestEndpoint.trimmed, at.trimmed));
                }
                if (record.updatedAt() > freshest.updatedAt()) {
                    freshest = record;
                    freshestEndpoint = at;
                }
            }
            validFrom = from;
            validUntil = until;
            if (freshest == null) {
                row = null;
                rowEndpoint = null;
            } else {
                row = RemoteSessions.toRemoteSession(freshest, freshestEndpoint.trimmed,
                        claimants == null ? List.of() : List.copyOf(claimants));
                rowEndpoint = claimants == null ? freshestEndpoint : null;
                timeKey = NewestFirst.timeKey(row.updatedAt());
            }
            return row;
        }

        /** Whether this session's row sorts before {@code other}'s ({@link NewestFirst#ORDER}). */
        boolean isNewerThan(Session other) {
            if (timeKey != other.timeKey) {
                return timeKey < other.timeKey;
            }
            if (idKey != other.idKey) {
                return idKey < other.idKey;
            }
            if (nextIdKey != other.nextIdKey) {
                return nextIdKey < other.nextIdKey;
            }
            return id.compareTo(other.id) < 0;
        }
    }
}
