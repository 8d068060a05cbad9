package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.LocalSession;
import org.agentchannels.core.protocol.SessionSummary;
import org.junit.jupiter.api.Test;

class LocalSessionTest {

    private static SessionSummary stored(String id, String title) {
        return SessionSummary.stored(id, title, "", 1780300000, 2, "agentchannels");
    }

    private static SessionSummary live(String runtimeId, String key, String status) {
        return new SessionSummary(runtimeId, key, "live title", "", "m", status, 1780300000, 2, "", 1780300100, false);
    }

    @Test
    void joinsLiveRowsToTheirStoredRowsByStoredIdAndKeepsLiveOnesNotStoredYet() {
        SessionSummary a = stored("k-a", "First");
        SessionSummary b = stored("k-b", "");
        SessionSummary liveB = live("r-b", "k-b", "working");
        SessionSummary liveNew = live("r-new", "", "waiting"); // a Hermes session before its first prompt
        List<LocalSession> sessions = LocalSession.merge(List.of(a, b), List.of(liveNew, liveB));
        assertEquals(List.of(new LocalSession(a, null), new LocalSession(b, liveB), new LocalSession(null, liveNew)),
                sessions);
        assertEquals(List.of("k-a", "k-b", "r-new"), sessions.stream().map(LocalSession::id).toList());
        assertEquals(List.of("", "r-b", "r-new"), sessions.stream().map(LocalSession::liveId).toList());
        assertEquals(List.of("First", "live title", "live title"), sessions.stream().map(LocalSession::title).toList());
        assertEquals(List.of(SessionActivity.IDLE, SessionActivity.WORKING, SessionActivity.NEEDS_INPUT),
                sessions.stream().map(LocalSession::activity).toList());
    }

    @Test
    void aSessionIsStoredLiveOrBoth() {
        assertThrows(IllegalArgumentException.class, () -> new LocalSession(null, null));
    }
}
