package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.presence.LocalSessionRef;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.SessionActivity;
import org.junit.jupiter.api.Test;

/** The seed's registry rules for "Live on other devices", one test each, plus expiry and devices. */
class RemoteSessionsTest {

    private static final double NOW = 1_800_000_000;
    private static final String DESKTOP = "ws://192.0.2.10:8664/api/ws";
    private static final String BUILDBOX = "ws://192.0.2.20:8664/api/ws";

    private static PresenceRecord record(String sessionId, String sessionKey, String endpoint, String host,
            double updatedAt) {
        return new PresenceRecord(1, sessionId, sessionKey, "idle", "title " + sessionId, "model-x", "/src", "tui_gateway",
                "tui", "default", endpoint, host, 42, host + "-42", updatedAt, updatedAt + 90, 3);
    }

    private static RemoteSessions derive(List<PresenceRecord> records, List<LocalSessionRef> locals) {
        return RemoteSessions.derive(records, locals, NOW);
    }

    @Test
    void emptyOnASingleDeviceSetup() {
        RemoteSessions none = derive(List.of(), List.of(LocalSessionRef.of("local1")));
        assertTrue(none.isEmpty());
        assertTrue(none.devices().isEmpty());
        assertSame(RemoteSessions.empty(), none);
    }

    @Test
    void dropsRecordsWithoutADialableEndpoint() {
        RemoteSessions r = derive(List.of(record("a1", "k1", "", "desk", NOW), record("a2", "k2", "   ", "desk", NOW),
                record("a3", "k3", DESKTOP, "desk", NOW)), List.of());
        assertEquals(List.of("a3"), ids(r));
    }

    @Test
    void dropsRecordsWithoutASessionId() {
        RemoteSessions r = derive(List.of(record("", "k1", DESKTOP, "desk", NOW)), List.of());
        assertTrue(r.isEmpty());
    }

    @Test
    void excludesARecordWhoseSessionIsAlreadyALocalRowById() {
        RemoteSessions r = derive(List.of(record("a1", "k1", DESKTOP, "desk", NOW), record("a2", "k2", DESKTOP, "desk", NOW)),
                List.of(LocalSessionRef.of("a1")));
        assertEquals(List.of("a2"), ids(r));
    }

    @Test
    void excludesARecordWhoseSessionKeyIsALocalRow() {
        RemoteSessions r = derive(List.of(record("a1", "20260610_120000_abcdef", DESKTOP, "desk", NOW)),
                List.of(LocalSessionRef.of("20260610_120000_abcdef")));
        assertTrue(r.isEmpty());
    }

    @Test
    void excludesARecordMatchingALocalLineageRootOrLineageId() {
        LocalSessionRef branched = new LocalSessionRef("child", "root", List.of("root", "middle", "child"));
        RemoteSessions r = derive(List.of(record("root", "", DESKTOP, "desk", NOW),
                record("x1", "middle", DESKTOP, "desk", NOW), record("x2", "other", DESKTOP, "desk", NOW)),
                List.of(branched));
        assertEquals(List.of("x2"), ids(r));
    }

    @Test
    void keepsOneRowPerSessionTheFreshestWinning() {
        PresenceRecord older = record("a1", "k1", DESKTOP, "old-name", NOW - 30);
        PresenceRecord newer = record("a1", "k1", DESKTOP, "new-name", NOW - 5);
        RemoteSessions r = derive(List.of(newer, older), List.of());
        assertEquals(1, r.size());
        assertEquals("new-name", r.sessions().get(0).host());
        assertFalse(r.sessions().get(0).isConflicting());
        RemoteSessions reversed = derive(List.of(older, newer), List.of());
        assertEquals(r, reversed, "order of the records never matters");
    }

    @Test
    void aSessionClaimedFromTwoGatewaysIsNotMovedToTheNewerClaimButMarkedAndNotDialable() {
        PresenceRecord genuine = record("a1", "k1", DESKTOP, "desk", NOW - 30);
        PresenceRecord planted = record("a1", "k1", BUILDBOX, "desk", NOW - 1);
        PresenceRecord another = record("a1", "k1", DESKTOP, "desk", NOW - 20);
        for (List<PresenceRecord> order : List.of(List.of(genuine, planted, another), List.of(planted, another, genuine),
                List.of(another, genuine, planted))) {
            RemoteSessions r = derive(order, List.of());
            RemoteSession s = r.find("a1").orElseThrow();
            assertTrue(s.isConflicting(), order.toString());
            assertEquals(List.of(DESKTOP, BUILDBOX).stream().sorted().toList(), s.conflictingEndpoints());
            assertEquals("", s.endpoint(), "no endpoint to dial");
            assertFalse(r.endpointOf("a1").isPresent(), "a click is routed to neither claimant");
            assertTrue(r.devices().isEmpty(), "neither claimant is offered for new sessions on its strength");
        }
        // once the stray record is gone the row is back on its only gateway
        RemoteSessions settled = derive(List.of(genuine, another), List.of());
        assertEquals(DESKTOP, settled.endpointOf("a1").orElseThrow());
    }

    @Test
    void aRecordFromTheFutureBeyondTheClockSkewIsNotBelievedSoItCannotOutrankTheGenuineOne() {
        PresenceRecord genuine = record("a1", "k1", DESKTOP, "desk", NOW - 10);
        PresenceRecord planted = new PresenceRecord(1, "a1", "k1", "idle", "t", "", "", "", "", "", BUILDBOX, "evil", 1, "",
                NOW + 86_400, 0, 0);
        RemoteSessions r = derive(List.of(genuine, planted), List.of());
        assertEquals(DESKTOP, r.endpointOf("a1").orElseThrow());
        assertFalse(r.find("a1").orElseThrow().isConflicting(), "a record not believed claims nothing");
        // within the skew a clock a little ahead is fine
        double ahead = NOW + PresenceRecord.MAX_CLOCK_SKEW_SECONDS - 1;
        assertEquals(List.of("b1"), ids(derive(List.of(record("b1", "", DESKTOP, "d", ahead)), List.of())));
        assertTrue(derive(List.of(record("b1", "", DESKTOP, "d", NOW + PresenceRecord.MAX_CLOCK_SKEW_SECONDS + 1)),
                List.of()).isEmpty());
    }

    @Test
    void aRecordLivingLongerThanTheTtlOrCarryingNoTimeIsDropped() {
        PresenceRecord forever = new PresenceRecord(1, "a1", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "",
                NOW - 10, NOW + 86_400, 0);
        PresenceRecord timeless = new PresenceRecord(1, "a2", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "", 0, 0, 0);
        PresenceRecord expiryOnly = new PresenceRecord(1, "a3", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "", 0,
                NOW + 60, 0);
        PresenceRecord backwards = new PresenceRecord(1, "a4", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "",
                NOW + 60, NOW + 30, 0);
        PresenceRecord fullTtl = new PresenceRecord(1, "ok", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "",
                NOW - 10, NOW - 10 + PresenceRecord.DEFAULT_TTL_SECONDS, 0);
        assertEquals(List.of("ok"), ids(derive(List.of(forever, timeless, expiryOnly, backwards, fullTtl), List.of())));
    }

    @Test
    void endpointsThatAreNoWebSocketUrlOrLinkLocalOrUnspecifiedAreNotDialable() {
        RemoteSessions r = derive(List.of(record("m1", "", "ws://169.254.169.254/api/ws", "cloud", NOW),
                record("m2", "", "ws://[fe80::1]:8664/api/ws", "cloud", NOW),
                record("m3", "", "ws://0.0.0.0:8664/api/ws", "any", NOW),
                record("m4", "", "ws://[::]:8664/api/ws", "any", NOW),
                record("m5", "", "http://192.0.2.10:8664/api/ws", "web", NOW),
                record("m6", "", "not a url", "junk", NOW),
                record("ok", "", DESKTOP, "desk", NOW)), List.of());
        assertEquals(List.of("ok"), ids(r));
    }

    @Test
    void sortsNewestFirst() {
        RemoteSessions r = derive(List.of(record("mid", "", DESKTOP, "d", NOW - 20), record("new", "", DESKTOP, "d", NOW - 1),
                record("old", "", BUILDBOX, "b", NOW - 60)), List.of());
        assertEquals(List.of("new", "mid", "old"), ids(r));
    }

    @Test
    void endpointOfRoutesOnlyRemoteSessions() {
        RemoteSessions r = derive(List.of(record("a1", "", " " + DESKTOP + " ", "desk", NOW),
                record("b1", "", BUILDBOX, "box", NOW)), List.of());
        assertEquals(DESKTOP, r.endpointOf("a1").orElseThrow(), "the endpoint is trimmed");
        assertEquals(BUILDBOX, r.endpointOf("b1").orElseThrow());
        assertFalse(r.endpointOf("unknown").isPresent());
    }

    @Test
    void dropsExpiredRecords() {
        PresenceRecord expired = new PresenceRecord(1, "gone", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1, "",
                NOW - 200, NOW - 110, 0);
        PresenceRecord noExpiryButStale = new PresenceRecord(1, "stale", "", "idle", "", "", "", "", "", "", DESKTOP, "d",
                1, "", NOW - 91, 0, 0);
        PresenceRecord noExpiryFresh = new PresenceRecord(1, "fresh", "", "idle", "", "", "", "", "", "", DESKTOP, "d", 1,
                "", NOW - 30, 0, 0);
        assertEquals(List.of("fresh"), ids(derive(List.of(expired, noExpiryButStale, noExpiryFresh), List.of())));
    }

    @Test
    void fillsDefaultsForMissingStatus() {
        PresenceRecord noStatus = new PresenceRecord(1, "a1", "", "", "", "", "", "", "", "", DESKTOP, "d", 1, "", NOW, 0, 0);
        RemoteSession s = derive(List.of(noStatus), List.of()).sessions().get(0);
        assertEquals("idle", s.status());
        assertEquals(SessionActivity.IDLE, s.activity());
    }

    @Test
    void devicesAreDistinctEndpointsSortedByHost() {
        RemoteSessions r = derive(List.of(record("a1", "", DESKTOP, "Zeta-desk", NOW - 3),
                record("a2", "", DESKTOP, "Zeta-desk", NOW - 2), record("b1", "", BUILDBOX, "alpha-box", NOW - 1)),
                List.of());
        assertEquals(List.of(new RemoteDevice(BUILDBOX, "alpha-box"), new RemoteDevice(DESKTOP, "Zeta-desk")),
                r.devices());
    }

    @Test
    void derivationScalesToTenThousandRecordsAgainstAThousandLocalRows() {
        List<PresenceRecord> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            records.add(record("s" + i, "k" + i, i % 2 == 0 ? DESKTOP : BUILDBOX, "h", NOW - i * 0.001));
        }
        List<LocalSessionRef> locals = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            locals.add(LocalSessionRef.of("k" + i));
        }
        RemoteSessions r = derive(records, locals);
        assertEquals(9_000, r.size());
        assertEquals("s1000", r.sessions().get(0).sessionId());
        assertEquals(BUILDBOX, r.endpointOf("s9999").orElseThrow());
    }

    private static List<String> ids(RemoteSessions r) {
        return r.sessions().stream().map(RemoteSession::sessionId).toList();
    }

    @Test
    void aSessionFoundNoLongerLiveIsLeftOutWhileItsRecordRemains() {
        List<PresenceRecord> records = List.of(record("a1", "k1", DESKTOP, "desk", NOW), record("a2", "k2", DESKTOP, "desk", NOW - 1));
        RemoteSessions r = derive(records, List.of()).without(java.util.Set.of(RemoteSessions.endedKey(DESKTOP, "a1")));
        assertEquals(List.of("a2"), ids(r));
        assertEquals(1, r.devices().size());
        assertTrue(derive(records, List.of()).without(java.util.Set.of(RemoteSessions.endedKey(BUILDBOX, "a1"))).find("a1")
                .isPresent(), "only the session at that gateway");
    }

    @Test
    void whatThisDeviceSeesLiveWinsOverTheRecordsStatusAndARecordOfTheReapedIdGoes() {
        PresenceRecord stale = new PresenceRecord(1, "a1", "k1", "working", "t", "m", "/src", "tui_gateway", "tui", "default",
                DESKTOP, "desk", 42, "desk-42", NOW, NOW + 90, 3);
        PresenceRecord reaped = record("old1", "k9", DESKTOP, "desk", NOW - 5);
        PresenceRecord rebuilt = record("new1", "k9", DESKTOP, "desk", NOW - 2);
        PresenceRecord elsewhere = record("b1", "k9", BUILDBOX, "box", NOW - 3);
        RemoteSessions r = derive(List.of(stale, reaped, rebuilt, elsewhere), List.of()).withLiveStatus(List.of(
                new RemoteSessions.LiveStatus(DESKTOP, "a1", "k1", SessionActivity.IDLE, null),
                new RemoteSessions.LiveStatus(DESKTOP, "new1", "k9", SessionActivity.NEEDS_INPUT, null)));
        assertEquals(SessionActivity.IDLE, r.find("a1").orElseThrow().activity(), "its turn ended: the events say so");
        assertEquals(SessionActivity.NEEDS_INPUT, r.find("new1").orElseThrow().activity());
        assertTrue(r.find("old1").isEmpty(), "live under its new runtime id: the old record is left over");
        assertTrue(r.find("b1").isPresent(), "another gateway's record is not this one's");
        RemoteSessions untouched = derive(List.of(stale), List.of());
        assertSame(untouched, untouched.withLiveStatus(List.of()));
    }
}
