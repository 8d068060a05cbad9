package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.presence.LocalSessionRef;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.RemoteSessionsDeriver;
import org.agentchannels.core.protocol.SignIn;
import org.junit.jupiter.api.Test;

/**
 * The incremental derivation gives, poll after poll, exactly what a derivation from scratch gives, and both give what
 * the seed's rules written plainly ({@link SeedRules}, the derivation as it was before it was made quick) give.
 */
class RemoteSessionsDeriverTest {

    private static final double NOW = 1_800_000_000;
    private static final String DESKTOP = "ws://192.0.2.10:8664/api/ws";
    private static final String BUILDBOX = "ws://192.0.2.20:8664/api/ws";
    private static final String LAPTOP = "wss://laptop.example:8664/api/ws";
    private static final String PINNED = Fingerprints.of("the desk's key".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER = Fingerprints.of("someone else's key".getBytes(StandardCharsets.UTF_8));

    private static PresenceRecord record(String id, String key, String endpoint, String host, double updatedAt) {
        return new PresenceRecord(1, id, key, "idle", "title " + id, "model-x", "/src", "tui_gateway", "tui", "default",
                endpoint, host, 42, host + "-42", updatedAt, updatedAt + PresenceRecord.DEFAULT_TTL_SECONDS, 3);
    }

    private static PresenceRecord withStatus(PresenceRecord r, String status, double updatedAt) {
        return new PresenceRecord(r.version(), r.sessionId(), r.sessionKey(), status, r.title(), r.model(), r.cwd(),
                r.source(), r.client(), r.profile(), r.endpoint(), r.host(), r.pid(), r.instanceId(), updatedAt,
                updatedAt + PresenceRecord.DEFAULT_TTL_SECONDS, r.messageCount(), r.signIn(), r.fingerprint());
    }

    /** An equal record made of other objects, as a source that reads its records again hands over. */
    private static PresenceRecord copy(PresenceRecord r) {
        return new PresenceRecord(r.version(), new String(r.sessionId()), new String(r.sessionKey()),
                new String(r.status()), new String(r.title()), new String(r.model()), new String(r.cwd()),
                new String(r.source()), new String(r.client()), new String(r.profile()), new String(r.endpoint()),
                new String(r.host()), r.pid(), new String(r.instanceId()), r.updatedAt(), r.expiresAt(), r.messageCount(),
                r.signIn() == null ? null : new SignIn(new String(r.signIn().device()), new String(r.signIn().hint())),
                r.fingerprint().isEmpty() ? "" : new String(r.fingerprint()));
    }

    // ------------------------------------------------------------------ the same result, always

    @Test
    void everyPollOfARandomHistoryGivesWhatADerivationFromScratchAndTheSeedsRulesGive() {
        Random random = new Random(20261202);
        Seen seen = new Seen();
        for (int history = 0; history < 400; history++) {
            replay(new History(random, history % 4 == 0 ? 160 : 24), 25, seen);
        }
        // the histories went where the rules differ, or they would prove little
        assertEquals(400 * 25, seen.polls);
        assertTrue(seen.rows > 10_000, "rows: " + seen.rows);
        assertTrue(seen.conflicting > 100, "conflicting rows: " + seen.conflicting);
        assertTrue(seen.unchanged > 100, "polls that changed nothing: " + seen.unchanged);
    }

    @Test
    void aLongHistoryOfManySessionsWithTiesStaysTheSameAsFromScratch() {
        // enough rows and ties in one refresh for the sorting by packed keys, and few changes per poll, so that the
        // sorted rows are patched rather than sorted again
        Random random = new Random(7);
        History history = new History(random, 900);
        history.changesPerPoll = 3;
        history.pace = 0.02; // a poll every tenth of a second or so: the records live through the history
        Seen seen = new Seen();
        replay(history, 60, seen);
        assertTrue(seen.rows > 60 * 200, "rows: " + seen.rows);
    }

    /** What the polls of the random histories showed, to know that they went where the rules differ. */
    private static final class Seen {
        int polls;
        int rows;
        int conflicting;
        int unchanged;
    }

    /** Derives each poll of {@code history} three ways and compares them. */
    private static void replay(History history, int polls, Seen seen) {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        RemoteSessions previous = null;
        for (int poll = 0; poll < polls; poll++) {
            history.next();
            List<PresenceRecord> records = history.records();
            List<LocalSessionRef> locals = history.locals();
            Function<String, Optional<String>> pinned = history.pins();
            String step = "seed " + history.seed + ", poll " + poll;
            RemoteSessions incremental = deriver.derive(records, locals, history.now, pinned);
            RemoteSessions fromScratch = RemoteSessions.derive(records, locals, history.now, pinned);
            Expected expected = SeedRules.derive(records, locals, history.now, pinned);
            assertSameResult(expected, fromScratch, records, step + " (from scratch)");
            assertSameResult(expected, incremental, records, step + " (incremental)");
            seen.polls++;
            seen.rows += incremental.size();
            seen.conflicting += (int) incremental.sessions().stream().filter(RemoteSession::isConflicting).count();
            seen.unchanged += incremental == previous ? 1 : 0;
            previous = incremental;
        }
    }

    private static void assertSameResult(Expected expected, RemoteSessions actual, List<PresenceRecord> records,
            String step) {
        assertEquals(expected.sessions(), actual.sessions(), step);
        assertEquals(expected.devices(), actual.devices(), step);
        assertEquals(expected.sessions().isEmpty(), actual.isEmpty(), step);
        for (PresenceRecord r : records) {
            assertEquals(expected.endpointOf(r.sessionId()), actual.endpointOf(r.sessionId()), step);
            assertEquals(expected.find(r.sessionId()), actual.find(r.sessionId()), step);
        }
    }

    // ------------------------------------------------------------------ what is reused

    @Test
    void aPollWhereNothingChangedReturnsTheSameSnapshotAndOneChangedRecordMovesOnlyItsRow() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        List<PresenceRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(record("s" + i, "k" + i, i % 2 == 0 ? DESKTOP : BUILDBOX, "h" + i % 2, NOW - i * 0.1));
        }
        RemoteSessions first = deriver.derive(records, List.of(), NOW);
        List<PresenceRecord> copies = records.stream().map(RemoteSessionsDeriverTest::copy).toList();
        assertSame(first, deriver.derive(copies, List.of(), NOW + 1), "equal records, a second later: nothing to redo");

        List<PresenceRecord> refreshed = new ArrayList<>(records);
        refreshed.set(50, withStatus(records.get(50), "working", NOW + 2));
        RemoteSessions second = deriver.derive(refreshed, List.of(), NOW + 2);
        assertNotSame(first, second);
        assertEquals("s50", second.sessions().get(0).sessionId(), "the refreshed session is the newest now");
        for (RemoteSession row : second.sessions()) {
            if (!row.sessionId().equals("s50")) {
                assertSame(first.find(row.sessionId()).orElseThrow(), row, "the rows of unchanged records are reused");
            }
        }
        assertEquals(RemoteSessions.derive(refreshed, List.of(), NOW + 2), second);
    }

    // ------------------------------------------------------------------ the tricky cases, one each

    @Test
    void aRecordThatExpiresBetweenPollsGoesAndAnOlderDuplicateOfItTakesOver() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        PresenceRecord older = record("a1", "k1", DESKTOP, "old-desk", NOW - 80);
        PresenceRecord newer = record("a1", "k1", DESKTOP, "new-desk", NOW - 60);
        PresenceRecord other = record("b1", "", BUILDBOX, "box", NOW - 85);
        List<PresenceRecord> records = List.of(older, newer, other);
        assertEquals("new-desk", deriver.derive(records, List.of(), NOW).find("a1").orElseThrow().host());
        // at NOW + 10 the older record (written NOW - 80) has lived its 90 s; the newer one still lives
        RemoteSessions later = deriver.derive(records, List.of(), NOW + 10);
        assertEquals("new-desk", later.find("a1").orElseThrow().host());
        assertTrue(later.find("b1").isEmpty(), "b1 expired at NOW + 5");
        assertEquals(RemoteSessions.derive(records, List.of(), NOW + 10), later);
        // the newer record expires at NOW + 30, the older one already has: nothing of a1 is left
        assertTrue(deriver.derive(records, List.of(), NOW + 30).isEmpty());
        // a freshest record that lives shorter than an older one: the older one takes over when it expires
        PresenceRecord brief = new PresenceRecord(1, "a1", "k1", "working", "t", "m", "", "", "", "", DESKTOP, "brief-desk",
                1, "", NOW - 5, NOW + 5, 0);
        List<PresenceRecord> withBrief = List.of(newer, brief);
        RemoteSessionsDeriver another = new RemoteSessionsDeriver();
        assertEquals("brief-desk", another.derive(withBrief, List.of(), NOW).find("a1").orElseThrow().host());
        RemoteSessions afterBrief = another.derive(withBrief, List.of(), NOW + 6);
        assertEquals("new-desk", afterBrief.find("a1").orElseThrow().host());
        assertEquals(RemoteSessions.derive(withBrief, List.of(), NOW + 6), afterBrief);
    }

    @Test
    void aRecordFromTheFutureIsBelievedOnceTheClockCatchesUpAndNotAgainWhenItGoesBack() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        double ahead = NOW + PresenceRecord.MAX_CLOCK_SKEW_SECONDS + 30;
        PresenceRecord early = new PresenceRecord(1, "f1", "", "idle", "t", "m", "", "", "", "", DESKTOP, "desk", 1, "",
                ahead, ahead + 60, 0);
        List<PresenceRecord> records = List.of(early);
        assertTrue(deriver.derive(records, List.of(), NOW).isEmpty(), "further ahead than clocks disagree");
        assertTrue(deriver.derive(records, List.of(), NOW + 29).isEmpty());
        assertEquals(List.of("f1"), ids(deriver.derive(records, List.of(), NOW + 31)), "within the skew now");
        assertTrue(deriver.derive(records, List.of(), NOW + 10).isEmpty(), "the clock went back: not believed again");
        assertEquals(List.of("f1"), ids(deriver.derive(records, List.of(), NOW + 40)));
    }

    @Test
    void theClockGoingBackBringsBackARecordThatHadExpired() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        List<PresenceRecord> records = List.of(record("a1", "", DESKTOP, "desk", NOW));
        assertTrue(deriver.derive(records, List.of(), NOW + 100).isEmpty());
        assertEquals(List.of("a1"), ids(deriver.derive(records, List.of(), NOW + 50)));
        assertEquals(RemoteSessions.derive(records, List.of(), NOW + 50), deriver.derive(records, List.of(), NOW + 50));
    }

    @Test
    void aDuplicateFromAnotherGatewayMakesTheRowConflictingUntilItGoes() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        PresenceRecord genuine = record("a1", "k1", DESKTOP, "desk", NOW - 10);
        PresenceRecord second = record("b1", "k2", DESKTOP, "desk", NOW - 20);
        assertEquals(DESKTOP, deriver.derive(List.of(genuine, second), List.of(), NOW).endpointOf("a1").orElseThrow());
        PresenceRecord planted = record("a1", "k1", BUILDBOX, "box", NOW - 1);
        RemoteSessions conflicting = deriver.derive(List.of(genuine, second, planted), List.of(), NOW);
        assertTrue(conflicting.find("a1").orElseThrow().isConflicting());
        assertTrue(conflicting.endpointOf("a1").isEmpty());
        assertEquals(List.of(new RemoteDevice(DESKTOP, "desk")), conflicting.devices(), "named by b1 alone now");
        RemoteSessions settled = deriver.derive(List.of(genuine, second), List.of(), NOW);
        assertEquals(DESKTOP, settled.endpointOf("a1").orElseThrow(), "back on its only gateway");
        // the same record from the folder and the broker, one a trimmed copy of the other: one gateway, no conflict
        PresenceRecord spaced = record("a1", "k1", " " + DESKTOP + " ", "desk", NOW - 10);
        RemoteSessions twice = deriver.derive(List.of(genuine, second, spaced), List.of(), NOW);
        assertFalse(twice.find("a1").orElseThrow().isConflicting());
        assertEquals(RemoteSessions.derive(List.of(genuine, second, spaced), List.of(), NOW), twice);
    }

    @Test
    void equallyFreshDuplicatesAreWonByTheFirstInTheOrderOfThisPoll() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        PresenceRecord folder = record("a1", "k1", DESKTOP, "folder-name", NOW - 5);
        PresenceRecord broker = record("a1", "k1", DESKTOP, "broker-name", NOW - 5);
        assertEquals("folder-name", deriver.derive(List.of(folder, broker), List.of(), NOW).find("a1").orElseThrow().host());
        assertEquals("broker-name", deriver.derive(List.of(broker, folder), List.of(), NOW).find("a1").orElseThrow().host(),
                "the same records in another order");
        assertEquals("broker-name", deriver.derive(List.of(broker), List.of(), NOW).find("a1").orElseThrow().host());
        assertEquals("folder-name", deriver.derive(List.of(folder, broker), List.of(), NOW).find("a1").orElseThrow().host());
    }

    @Test
    void aRecordRemovedTakesItsRowAndItsDeviceWithIt() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        PresenceRecord desk = record("a1", "", DESKTOP, "desk", NOW - 1);
        PresenceRecord box = record("b1", "", BUILDBOX, "box", NOW - 2);
        PresenceRecord deskOlder = record("a2", "", DESKTOP, "desk-old-name", NOW - 3);
        RemoteSessions all = deriver.derive(List.of(desk, box, deskOlder), List.of(), NOW);
        assertEquals(List.of(new RemoteDevice(BUILDBOX, "box"), new RemoteDevice(DESKTOP, "desk")), all.devices());
        RemoteSessions without = deriver.derive(List.of(box, deskOlder), List.of(), NOW);
        assertEquals(List.of("b1", "a2"), ids(without));
        assertEquals(List.of(new RemoteDevice(BUILDBOX, "box"), new RemoteDevice(DESKTOP, "desk-old-name")),
                without.devices(), "the newest row left names the device");
        assertTrue(without.find("a1").isEmpty());
        assertSame(RemoteSessions.empty(), deriver.derive(List.of(), List.of(), NOW));
        assertEquals(List.of("a1"), ids(deriver.derive(List.of(desk), List.of(), NOW)), "and back");
    }

    @Test
    void localRowsChangingHideAndShowRecordsByIdKeyAndLineage() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        List<PresenceRecord> records = List.of(record("a1", "k1", DESKTOP, "desk", NOW - 1),
                record("a2", "k2", DESKTOP, "desk", NOW - 2), record("a3", "k3", DESKTOP, "desk", NOW - 3));
        assertEquals(List.of("a1", "a2", "a3"), ids(deriver.derive(records, List.of(), NOW)));
        assertEquals(List.of("a2", "a3"), ids(deriver.derive(records, List.of(LocalSessionRef.of("a1")), NOW)), "by id");
        assertEquals(List.of("a1", "a3"), ids(deriver.derive(records, List.of(LocalSessionRef.of("k2")), NOW)), "by key");
        List<LocalSessionRef> branched = List.of(new LocalSessionRef("child", "root", List.of("root", "k3", "child")));
        assertEquals(List.of("a1", "a2"), ids(deriver.derive(records, branched, NOW)), "by lineage");
        assertEquals(List.of("a1", "a2", "a3"), ids(deriver.derive(records, List.of(LocalSessionRef.of("elsewhere")), NOW)));
        assertEquals(RemoteSessions.derive(records, branched, NOW), deriver.derive(records, branched, NOW));
    }

    @Test
    void aPinThatChangesBetweenPollsDropsOrRestoresTheRecordsOfItsEndpoint() {
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        PresenceRecord signed = new PresenceRecord(1, "a1", "k1", "idle", "t", "m", "", "", "", "", DESKTOP, "desk", 7, "",
                NOW - 1, NOW + 89, 1, null, PINNED);
        PresenceRecord unsigned = record("a2", "k2", DESKTOP, "desk", NOW - 2);
        List<PresenceRecord> records = List.of(signed, unsigned);
        Map<String, String> pins = new HashMap<>();
        Function<String, Optional<String>> pinned = e -> Optional.ofNullable(pins.get(e));
        assertEquals(List.of("a1", "a2"), ids(deriver.derive(records, List.of(), NOW, pinned)), "nothing pinned");
        pins.put(DESKTOP, OTHER);
        assertEquals(List.of("a2"), ids(deriver.derive(records, List.of(), NOW, pinned)), "paired with another key");
        pins.put(DESKTOP, PINNED);
        assertEquals(List.of("a1", "a2"), ids(deriver.derive(records, List.of(), NOW, pinned)), "paired with its key");
        pinned = e -> {
            throw new IllegalStateException("the store cannot be read");
        };
        assertEquals(List.of("a1", "a2"), ids(deriver.derive(records, List.of(), NOW, pinned)), "a store that fails pins nothing");
    }

    @Test
    void rowsSortNewestFirstThenByIdWhateverTheIdsAndTimes() {
        // many rows of one refresh (one updated_at) with ids that share long prefixes or are not ASCII, and times
        // far apart (a NaN, which a record may carry, sorts first as Double.compare says), in every order
        Random random = new Random(3);
        // (hundreds of one stem, so that ties are sorted by the keys of their ids' next bytes, six at a time, and by
        // whole ids past twenty-four bytes; a stem's multi-byte characters straddle those bytes)
        String[] stems = { "abcdef", "abcdeg", "\u00e9t\u00e9", "\u65e5\u672c\u8a9e", "\uD83D\uDE00", "a", "", "Z", "5e0000",
                "session-of-gateway-0001-", "x".repeat(30), "ab\u00e9\u00e9\u00e9\u00e9\u65e5" };
        // the times of a few minutes at epoch seconds; near 1000; near 1 with times just above 0; and NaN among them
        // and many times a few rows each (a thousand gateways refreshing at their own moments)
        double[][] clocks = { { NOW, 0 }, { 1000, 0 }, { 1, 0 }, { NOW, 1 }, { NOW, 2 } };
        for (double[] clock : clocks) {
            double now = clock[0];
            boolean nan = clock[1] == 1;
            boolean manyTimes = clock[1] == 2;
            List<PresenceRecord> records = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String id = stems[random.nextInt(stems.length)] + Integer.toString(random.nextInt(5000), 36);
                double written = manyTimes ? now - random.nextInt(600) * 0.05 : switch (random.nextInt(6)) {
                    case 0 -> nan ? Double.NaN : now;
                    case 1 -> now > 90 ? now - 60 : Double.MIN_VALUE * (1 + random.nextInt(3));
                    default -> now - random.nextInt(3);
                };
                records.add(new PresenceRecord(1, id, "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "", written, 0, 0));
            }
            java.util.Collections.shuffle(records, random);
            RemoteSessions derived = RemoteSessions.derive(records, List.of(), now);
            Expected expected = SeedRules.derive(records, List.of(), now, e -> Optional.empty());
            assertEquals(expected.sessions(), derived.sessions(), "at " + now);
            assertTrue(derived.size() > 1000, "enough rows at " + now + ": " + derived.size());
        }
    }

    @Test
    void aDeriverFedManyEndpointsThatComeAndGoStaysRight() {
        // a hostile folder: every poll names other endpoints; the deriver's table of them is emptied on the way
        RemoteSessionsDeriver deriver = new RemoteSessionsDeriver();
        for (int poll = 0; poll < 30; poll++) {
            List<PresenceRecord> records = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                records.add(record("s" + i, "", "ws://192.0.2." + (poll * 20 + i) % 250 + ":" + (1000 + poll) + "/api/ws",
                        "h" + i, NOW - i));
            }
            records.add(record("s0", "", DESKTOP, "desk", NOW - 50));
            Expected expected = SeedRules.derive(records, List.of(), NOW + poll, e -> Optional.empty());
            assertSameResult(expected, deriver.derive(records, List.of(), NOW + poll), records, "poll " + poll);
        }
    }

    private static List<String> ids(RemoteSessions r) {
        return r.sessions().stream().map(RemoteSession::sessionId).toList();
    }

    // ------------------------------------------------------------------ random histories

    /**
     * A history of polls: records added, refreshed, changed, removed, duplicated at the same or another gateway,
     * handed over again as equal copies or reordered; local rows and pins changing; the clock moving on, jumping and
     * going back.
     */
    private static final class History {

        private static final String[] ENDPOINTS = { DESKTOP, " " + DESKTOP, BUILDBOX, LAPTOP, "http://192.0.2.30/api/ws",
            "", "ws://169.254.169.254/api/ws" };
        private static final String[] HOSTS = { "desk", "Box", "alpha", "" };
        private static final String[] STATUSES = { "idle", "working", "needs_input", "" };
        private static final String[] FINGERPRINTS = { "", "", "", PINNED, OTHER };

        final Random random;
        final long seed;
        final int idCount;
        int changesPerPoll = 4;
        /** How fast the clock goes from poll to poll, 1 for about 5 s a poll. */
        double pace = 1;
        double now;
        private final List<PresenceRecord> records = new ArrayList<>();
        private final List<LocalSessionRef> locals = new ArrayList<>();
        private final Map<String, String> pins = new HashMap<>();

        History(Random random, int idCount) {
            this.seed = random.nextLong();
            this.random = new Random(seed);
            this.idCount = idCount;
            this.now = switch (this.random.nextInt(5)) {
                case 0 -> 1000;
                default -> NOW + this.random.nextInt(1000);
            };
            for (int i = 0, n = idCount / 2 + this.random.nextInt(idCount / 2 + 1); i < n; i++) {
                records.add(newRecord());
            }
        }

        List<PresenceRecord> records() {
            return List.copyOf(records);
        }

        List<LocalSessionRef> locals() {
            return List.copyOf(locals);
        }

        Function<String, Optional<String>> pins() {
            Map<String, String> now = Map.copyOf(pins);
            return endpoint -> Optional.ofNullable(now.get(endpoint));
        }

        void next() {
            now += pace * switch (random.nextInt(10)) {
                case 0 -> -random.nextInt(30); // the clock went back
                case 1 -> 60 + random.nextInt(120); // the device slept
                case 2 -> 0;
                default -> random.nextDouble() * 10;
            };
            int changes = random.nextInt(changesPerPoll + 1);
            for (int c = 0; c < changes; c++) {
                change();
            }
            if (random.nextInt(6) == 0) {
                changeLocals();
            }
            if (random.nextInt(8) == 0) {
                changePins();
            }
            if (random.nextInt(5) == 0) {
                // read again: every record an equal copy
                records.replaceAll(RemoteSessionsDeriverTest::copy);
            }
        }

        private void change() {
            int at = records.isEmpty() ? 0 : random.nextInt(records.size());
            switch (records.isEmpty() ? 0 : random.nextInt(9)) {
                case 0 -> records.add(random.nextInt(records.size() + 1), newRecord());
                case 1 -> records.remove(at);
                case 2 -> records.set(at, refreshed(records.get(at)));
                case 3 -> records.set(at, withStatus(records.get(at), STATUSES[random.nextInt(STATUSES.length)],
                        records.get(at).updatedAt()));
                case 4 -> records.add(random.nextInt(records.size() + 1), records.get(at)); // the same one twice
                case 5 -> records.add(random.nextInt(records.size() + 1), copy(records.get(at)));
                case 6 -> records.add(random.nextInt(records.size() + 1), elsewhere(records.get(at)));
                case 7 -> records.add(random.nextInt(records.size()), records.remove(at)); // moved
                default -> records.set(at, copy(records.get(at)));
            }
        }

        private PresenceRecord newRecord() {
            String id = random.nextInt(40) == 0 ? "" : "s" + random.nextInt(idCount);
            String key = random.nextInt(3) == 0 ? "" : "k" + random.nextInt(idCount);
            return build(id, key, ENDPOINTS[random.nextInt(ENDPOINTS.length)], written(),
                    FINGERPRINTS[random.nextInt(FINGERPRINTS.length)]);
        }

        private PresenceRecord refreshed(PresenceRecord r) {
            return build(r.sessionId(), r.sessionKey(), r.endpoint(), written(), r.fingerprint());
        }

        /** The same session claimed at another gateway, or again at the same one. */
        private PresenceRecord elsewhere(PresenceRecord r) {
            return build(r.sessionId(), r.sessionKey(), ENDPOINTS[random.nextInt(ENDPOINTS.length)], written(),
                    FINGERPRINTS[random.nextInt(FINGERPRINTS.length)]);
        }

        /** Mostly whole seconds (one refresh writes many records with one time), sometimes odd ones. */
        private double written() {
            return switch (random.nextInt(20)) {
                case 0 -> now + PresenceRecord.MAX_CLOCK_SKEW_SECONDS + random.nextInt(60); // from the future
                case 1 -> 0; // no time at all
                case 2 -> now - 200; // long expired
                case 3 -> now - random.nextDouble() * 90;
                default -> Math.floor(now) - random.nextInt(90);
            };
        }

        private PresenceRecord build(String id, String key, String endpoint, double written, String fingerprint) {
            double expires = switch (random.nextInt(8)) {
                case 0 -> 0; // the default lifetime
                case 1 -> written + 3600; // longer than a record may live
                case 2 -> written + random.nextInt(90);
                default -> written + PresenceRecord.DEFAULT_TTL_SECONDS;
            };
            SignIn signIn = random.nextInt(10) == 0 ? new SignIn("desk", "run login") : null;
            return new PresenceRecord(1, id, key, STATUSES[random.nextInt(STATUSES.length)], "title " + random.nextInt(3),
                    "model", "/src", "agentchannels", "gateway", "default", endpoint, HOSTS[random.nextInt(HOSTS.length)],
                    random.nextInt(3), "i" + random.nextInt(2), written, expires, random.nextInt(5), signIn, fingerprint);
        }

        private void changeLocals() {
            if (!locals.isEmpty() && random.nextBoolean()) {
                locals.remove(random.nextInt(locals.size()));
                return;
            }
            String some = "s" + random.nextInt(idCount);
            String key = "k" + random.nextInt(idCount);
            locals.add(switch (random.nextInt(3)) {
                case 0 -> LocalSessionRef.of(some);
                case 1 -> LocalSessionRef.of(key);
                default -> new LocalSessionRef("local" + random.nextInt(5), some, List.of(key, "s" + random.nextInt(idCount)));
            });
        }

        private void changePins() {
            String endpoint = GatewayEndpoints.parse(List.of(DESKTOP, BUILDBOX, LAPTOP).get(random.nextInt(3))).toString();
            switch (random.nextInt(3)) {
                case 0 -> pins.remove(endpoint);
                case 1 -> pins.put(endpoint, PINNED);
                default -> pins.put(endpoint, OTHER);
            }
        }
    }

    // ------------------------------------------------------------------ the rules, written plainly

    /** What a derivation must give: the rows in order and the devices. */
    record Expected(List<RemoteSession> sessions, List<RemoteDevice> devices, Map<String, RemoteSession> bySessionId) {

        Expected(List<RemoteSession> sessions, List<RemoteDevice> devices) {
            this(sessions, devices, index(sessions));
        }

        private static Map<String, RemoteSession> index(List<RemoteSession> sessions) {
            Map<String, RemoteSession> index = new HashMap<>();
            sessions.forEach(s -> index.put(s.sessionId(), s));
            return index;
        }

        Optional<RemoteSession> find(String sessionId) {
            return Optional.ofNullable(bySessionId.get(sessionId));
        }

        Optional<String> endpointOf(String sessionId) {
            return find(sessionId).filter(s -> !s.isConflicting()).map(RemoteSession::endpoint);
        }
    }

    /**
     * The seed's rules as {@link RemoteSessions} derived them before it was made incremental: one pass over the
     * records, a map of the freshest per session, a comparator sort. Slow and plain, it is what the quick ones are
     * held to.
     */
    static final class SeedRules {

        static final Comparator<RemoteSession> NEWEST_FIRST = (a, b) -> {
            int byTime = Double.compare(b.updatedAt(), a.updatedAt());
            return byTime != 0 ? byTime : a.sessionId().compareTo(b.sessionId());
        };

        static Expected derive(Collection<PresenceRecord> records, Collection<LocalSessionRef> locals, double now,
                Function<String, Optional<String>> pinned) {
            Set<String> localIds = new HashSet<>();
            for (LocalSessionRef local : locals) {
                addIfPresent(localIds, local.id());
                addIfPresent(localIds, local.lineageRootId());
                local.lineageIds().forEach(id -> addIfPresent(localIds, id));
            }
            Map<String, PresenceRecord> freshest = new LinkedHashMap<>();
            Map<String, Set<String>> claimants = new HashMap<>();
            for (PresenceRecord record : records) {
                if (record.sessionId().isEmpty() || !GatewayEndpoints.isDialable(record.endpoint())
                        || localIds.contains(record.sessionId())
                        || !record.sessionKey().isEmpty() && localIds.contains(record.sessionKey())
                        || !matchesPin(record, pinned) || record.isExpired(now) || !record.isCredible(now)) {
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
            List<RemoteSession> sessions = new ArrayList<>();
            for (PresenceRecord r : freshest.values()) {
                List<String> rivals = List.copyOf(claimants.getOrDefault(r.sessionId(), Set.of()));
                sessions.add(new RemoteSession(r.sessionId(), r.sessionKey(), rivals.isEmpty() ? r.endpoint().trim() : "",
                        r.title(), r.host(), r.model(), r.status().isBlank() ? "idle" : r.status(), r.cwd(), r.updatedAt(),
                        r.expiresAt(), r.messageCount(), rivals, r.signIn()));
            }
            sessions.sort(NEWEST_FIRST);
            Map<String, RemoteDevice> byEndpoint = new LinkedHashMap<>();
            for (RemoteSession s : sessions) {
                if (!s.isConflicting()) {
                    byEndpoint.putIfAbsent(s.endpoint(), new RemoteDevice(s.endpoint(), s.host()));
                }
            }
            List<RemoteDevice> devices = new ArrayList<>(byEndpoint.values());
            devices.sort(Comparator.comparing((RemoteDevice d) -> d.host(), String.CASE_INSENSITIVE_ORDER)
                    .thenComparing(RemoteDevice::endpoint));
            return new Expected(sessions, devices);
        }

        private static boolean matchesPin(PresenceRecord record, Function<String, Optional<String>> pinned) {
            if (record.fingerprint().isEmpty()) {
                return true;
            }
            String endpoint = record.endpoint().trim();
            Optional<String> pin;
            try {
                pin = pinned.apply(GatewayEndpoints.parse(endpoint).toString());
            } catch (RuntimeException e) {
                pin = Optional.empty();
            }
            return pin.isEmpty() || pin.get().equals(record.fingerprint());
        }

        private static void addIfPresent(Set<String> ids, String id) {
            if (id != null && !id.isEmpty()) {
                ids.add(id);
            }
        }
    }
}
