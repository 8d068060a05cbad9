package org.agentchannels.presence.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.presence.DefaultPresenceTracker;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/** The tracker over a real presence folder and a scripted local gateway, with a clock the test moves. */
class PresenceTrackerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long START = 1_800_000_000L;

    @TempDir
    Path folder;

    private final MovableClock clock = new MovableClock();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** A clock the test sets; the tracker reads it for expiry. */
    static final class MovableClock extends Clock {
        final AtomicLong epochSeconds = new AtomicLong(START);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(epochSeconds.get());
        }
    }

    private static String record(String sessionId, String sessionKey, String title, String host, long updatedAt) {
        return "{\"version\":1,\"session_id\":\"" + sessionId + "\",\"session_key\":\"" + sessionKey + "\",\"status\":\"working\","
                + "\"title\":\"" + title + "\",\"endpoint\":\"ws://192.0.2.10:8664/api/ws\",\"host\":\"" + host + "\","
                + "\"updated_at\":" + updatedAt + ",\"expires_at\":" + (updatedAt + 90) + "}";
    }

    /** Writes as a gateway does: a temporary file renamed into place. */
    private void write(String name, String text) throws Exception {
        Path tmp = folder.resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private DefaultPresenceTracker tracker(StandaloneGatewayConnector connector) {
        DefaultPresenceTracker t = new DefaultPresenceTracker(connector, clock, Duration.ofMillis(100));
        toClose.add(t);
        return t;
    }

    private static List<String> titles(RemoteSessions s) {
        return s.sessions().stream().map(RemoteSession::title).toList();
    }

    @Test
    void followsRecordsThatAppearChangeExpireAndVanish() throws Exception {
        DefaultPresenceTracker tracker = tracker(null);
        List<RemoteSessions> seen = new CopyOnWriteArrayList<>();
        tracker.addListener(seen::add);
        tracker.setPresenceDirectory(Optional.of(folder));
        tracker.start();

        write("desk-1.a1.json", record("a1", "k1", "first", "desk", START));
        Await.until("the record to appear", WAIT, () -> titles(tracker.current()).equals(List.of("first")));
        write("desk-1.a2.json", record("a2", "k2", "second", "desk", START + 5));
        Await.until("the newer record first", WAIT, () -> titles(tracker.current()).equals(List.of("second", "first")));
        assertEquals(Optional.of("ws://192.0.2.10:8664/api/ws"), tracker.current().endpointOf("a1"));

        write("desk-1.a1.json", record("a1", "k1", "first, renamed", "desk", START + 10));
        Await.until("the refreshed record", WAIT,
                () -> titles(tracker.current()).equals(List.of("first, renamed", "second")));

        clock.epochSeconds.set(START + 96); // a2 (expires at START + 95) has expired, a1 has not
        Await.until("the expired record to go", WAIT, () -> titles(tracker.current()).equals(List.of("first, renamed")));

        Files.delete(folder.resolve("desk-1.a1.json"));
        Await.until("the deleted record to go", WAIT, () -> tracker.current().isEmpty());
        // only changes were told: the renamed refresh and each removal, no repeats of the same snapshot
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(!seen.get(i).equals(seen.get(i - 1)), "the same snapshot was told twice");
        }
    }

    @Test
    void aBrokenFileIsSkippedAndTheOthersStay() throws Exception {
        write("good.json", record("g1", "kg", "good", "desk", START));
        Files.writeString(folder.resolve("truncated.json"), record("t1", "kt", "trunc", "desk", START).substring(0, 50));
        Files.writeString(folder.resolve("garbage.json"), "\u0000\u0001 not json");
        Files.writeString(folder.resolve("huge.json"), "{\"x\":\"" + "y".repeat(300_000) + "\"}");
        DefaultPresenceTracker tracker = tracker(null);
        tracker.setPresenceDirectory(Optional.of(folder));
        RemoteSessions snapshot = tracker.refresh().get(20, TimeUnit.SECONDS);
        assertEquals(List.of("good"), titles(snapshot));
    }

    @Test
    void mergesTheLocalGatewaysPresenceAndHidesItsOwnSessions() throws Exception {
        JsonArray records = new JsonArray();
        records.add(JsonParser.parseString(record("r1", "kr1", "remote via gateway", "buildbox", START)));
        // the local gateway lists its own live session too: it must not show as "on another device"
        records.add(JsonParser.parseString(record("mine1", "kmine", "my own", "laptop", START)));
        // and a stored session of this device resumed elsewhere is matched by its key
        records.add(JsonParser.parseString(record("x9", "kstored", "twin of a stored row", "desk", START)));
        ScriptedGateway local = new ScriptedGateway().deviceName("laptop")
                .handle("session.presence_list", (peer, r) -> ScriptedGateway.object("sessions", records))
                .handle("session.active_list", (peer, r) -> JsonParser.parseString(
                        "{\"sessions\":[{\"id\":\"mine1\",\"session_key\":\"kmine\",\"status\":\"idle\"}]}"))
                .handle("session.list", (peer, r) -> JsonParser.parseString(
                        "{\"sessions\":[{\"id\":\"kstored\",\"title\":\"old\"}]}"))
                .start();
        toClose.add(local);
        StandaloneGatewayConnector connector = GatewayConnectors.standalone(new InMemoryTokenStore(), "",
                new Backoff(50, 400, () -> 0.5));
        toClose.add(connector);
        connector.connectLocal(local.endpoint()).get(20, TimeUnit.SECONDS);
        write("desk-1.d1.json", record("d1", "kd1", "from the folder", "desk", START + 1));
        DefaultPresenceTracker tracker = tracker(connector);
        tracker.setPresenceDirectory(Optional.of(folder));
        tracker.start();
        Await.until("both sources", WAIT,
                () -> titles(tracker.current()).equals(List.of("from the folder", "remote via gateway")));
        assertTrue(local.requests("session.presence_list").size() >= 1);
    }

    @Test
    void anAttachedSessionShowsWhatItsEventsSayAndOneFoundNoLongerLiveStaysOffTheList() throws Exception {
        ScriptedGateway desk = new ScriptedGateway().deviceName("desk");
        org.agentchannels.tests.support.FakeSessionHost host = new org.agentchannels.tests.support.FakeSessionHost(desk, false);
        host.add("s1", "k1");
        desk.start();
        toClose.add(desk);
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.trustWithoutToken(desk.endpoint());
        StandaloneGatewayConnector connector = GatewayConnectors.standalone(tokens, "laptop", new Backoff(50, 400, () -> 0.5));
        toClose.add(connector);
        // Hermes leaves a record "working" after its turn, and the record of a reaped session behind
        write("desk.s1.json", record("s1", "k1", "attached here", "desk", START).replace("ws://192.0.2.10:8664/api/ws",
                desk.endpoint()));
        write("desk.gone1.json", record("gone1", "kgone", "reaped", "desk", START - 1).replace("ws://192.0.2.10:8664/api/ws",
                desk.endpoint()));
        DefaultPresenceTracker tracker = tracker(connector);
        tracker.setPresenceDirectory(Optional.of(folder));
        tracker.start();
        Await.until("both records", WAIT, () -> titles(tracker.current()).equals(List.of("attached here", "reaped")));
        assertEquals(org.agentchannels.core.presence.SessionActivity.WORKING,
                tracker.current().find("s1").orElseThrow().activity(), "not attached: the record's word");

        org.agentchannels.connector.AttachedSession s = connector.attach(desk.endpoint(), "s1", "k1", "attached here")
                .get(20, TimeUnit.SECONDS);
        Await.until("the live status", WAIT, () -> tracker.current().find("s1").orElseThrow().activity()
                == org.agentchannels.core.presence.SessionActivity.IDLE);
        host.startTurn("s1", "go", "desk", "");
        Await.until("a new turn shows at once", WAIT, () -> tracker.current().find("s1").orElseThrow().activity()
                == org.agentchannels.core.presence.SessionActivity.WORKING);
        host.complete("s1", "done", "complete");
        Await.until("and its end", WAIT, () -> tracker.current().find("s1").orElseThrow().activity()
                == org.agentchannels.core.presence.SessionActivity.IDLE);
        assertTrue(s.model().rowCount() > 0);

        tracker.markNoLongerLive(desk.endpoint(), "gone1");
        Await.until("the reaped row to go", WAIT, () -> titles(tracker.current()).equals(List.of("attached here")));
        for (int i = 0; i < 3; i++) {
            tracker.refresh().get(20, TimeUnit.SECONDS);
            assertEquals(List.of("attached here"), titles(tracker.current()), "not offered again while its record stays");
        }
    }
}
