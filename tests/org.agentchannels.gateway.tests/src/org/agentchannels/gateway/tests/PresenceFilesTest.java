package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.ManualClock;
import org.agentchannels.tests.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The presence records a gateway writes: they appear, follow the status, refresh, expire and vanish. */
@SuppressWarnings("resource") // the fixture closes what it opens
class PresenceFilesTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;

    /** A clock the test moves. */
    private List<PresenceRecord> records(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).map(f -> {
                try {
                    return PresenceRecord.parse(Files.readString(f, StandardCharsets.UTF_8)).orElseThrow();
                } catch (Exception e) {
                    throw new AssertionError("a half-written or broken record: " + f, e);
                }
            }).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Optional<PresenceRecord> record(Path folder, String sessionId) {
        return records(folder).stream().filter(r -> r.sessionId().equals(sessionId)).findFirst();
    }

    @Test
    void recordsFollowTheSessionsLifeAndRefreshWithANewLifetime() throws Exception {
        ManualClock clock = new ManualClock();
        fixture = gateways.in(home);
        ScriptedAgent agent = new ScriptedAgent();
        GatewayOptions options = fixture.options("--advertise", "ws://192.0.2.10:8664/api/ws");
        fixture.gateway = Gateway.start(options, agent, () -> "unused", clock, Duration.ofMillis(100));
        Path folder = fixture.gateway.presenceDir();
        GatewayConnection c = await(fixture.client("laptop").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        SessionSnapshot created = await(c.createSession("Write the docs", List.of()));
        String id = created.sessionId();

        Await.until("the record", WAIT, () -> record(folder, id).isPresent());
        PresenceRecord r = record(folder, id).orElseThrow();
        assertEquals(created.sessionKey(), r.sessionKey());
        assertEquals("ws://192.0.2.10:8664/api/ws", r.endpoint());
        assertEquals("desktop", r.host());
        assertEquals("idle", r.status());
        assertEquals("Write the docs", r.title());
        assertEquals(1_800_000_000.0, r.updatedAt(), 0.001);
        assertEquals(r.updatedAt() + 90, r.expiresAt(), 0.001);
        String name = folder.resolve(r.instanceId() + "." + id + ".json").getFileName().toString();
        assertTrue(Files.isRegularFile(folder.resolve(name)), "named <instance_id>.<session_id>.json");

        // another device derives it as attachable
        assertEquals(Optional.of("ws://192.0.2.10:8664/api/ws"),
                RemoteSessions.derive(records(folder), List.of(), clock.millis() / 1000.0).endpointOf(id));

        await(c.submitPrompt(id, "go", "", "", WAIT));
        ScriptedAgent.ScriptedTurn turn = agent.next();
        Await.until("working", WAIT, () -> record(folder, id).map(x -> x.status().equals("working")).orElse(false));
        turn.finish();
        Await.until("idle again", WAIT, () -> record(folder, id).map(x -> x.status().equals("idle")).orElse(false));

        clock.advance(Duration.ofMillis(40_000));
        Await.until("the refresh", WAIT,
                () -> record(folder, id).map(x -> x.updatedAt() == 1_800_000_040.0).orElse(false));
        // without refreshes (a killed gateway) a record expires for its readers after 90 s
        PresenceRecord last = record(folder, id).orElseThrow();
        assertTrue(last.isExpired(1_800_000_040.0 + 91));
        assertTrue(RemoteSessions.derive(List.of(last), List.of(), 1_800_000_040.0 + 91).isEmpty());

        await(c.closeSession(id));
        Await.until("the record to go", WAIT, () -> record(folder, id).isEmpty());
    }

    @Test
    void aLoopbackGatewayAdvertisesNothingAndACleanStopRemovesEveryRecord() throws Exception {
        fixture = gateways.in(home);
        fixture.start(new ScriptedAgent());
        Path folder = fixture.gateway.presenceDir();
        GatewayConnection c = await(fixture.client("laptop").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        await(c.createSession("", List.of()));
        await(c.createSession("", List.of()));
        Await.until("two records", WAIT, () -> records(folder).size() == 2);
        assertTrue(records(folder).stream().allMatch(r -> r.endpoint().isEmpty()));
        // a record without an endpoint is never attachable elsewhere
        assertTrue(RemoteSessions.derive(records(folder), List.of(), System.currentTimeMillis() / 1000.0).isEmpty());
        fixture.gateway.close();
        assertEquals(List.of(), records(folder));
        fixture.gateway = null;
    }

    @Test
    void presenceListNeverServesARecordFromTheFutureOrOneLivingBeyondTheTtl() throws Exception {
        fixture = gateways.in(home);
        fixture.start(new ScriptedAgent());
        Path folder = Files.createDirectories(fixture.gateway.presenceDir());
        double now = System.currentTimeMillis() / 1000.0;
        String endpoint = "\"endpoint\":\"ws://192.0.2.66:8664/api/ws\"";
        Files.writeString(folder.resolve("desk-1.good0001.json"), "{\"session_id\":\"good0001\"," + endpoint
                + ",\"updated_at\":" + (now - 5) + ",\"expires_at\":" + (now + 85) + "}");
        // planted: from next year with no expiry, alive for a day, and one that says no time at all
        Files.writeString(folder.resolve("evil-1.future01.json"), "{\"session_id\":\"good0001\"," + endpoint
                + ",\"updated_at\":" + (now + 365 * 86_400.0) + "}");
        Files.writeString(folder.resolve("evil-1.forever1.json"), "{\"session_id\":\"forever1\"," + endpoint
                + ",\"updated_at\":" + now + ",\"expires_at\":" + (now + 86_400) + "}");
        Files.writeString(folder.resolve("evil-1.notime01.json"), "{\"session_id\":\"notime01\"," + endpoint + "}");
        GatewayConnection c = await(fixture.client("laptop").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));

        List<PresenceRecord> served = await(c.presence());
        assertEquals(List.of("good0001"), served.stream().map(PresenceRecord::sessionId).toList());
        assertEquals(now - 5, served.get(0).updatedAt(), 0.001, "the genuine record, not the planted one of its session");
        assertEquals(List.of("good0001"), await(c.presence(true)).stream().map(PresenceRecord::sessionId).toList(),
                "asking for the expired ones too changes nothing");
    }

    private static String plantedRecord(String sessionId, String status, double updatedAt) {
        return "{\"session_id\":\"" + sessionId + "\",\"status\":\"" + status + "\",\"endpoint\":\"ws://192.0.2.66:8664/api/ws\","
                + "\"instance_id\":\"desk-1\",\"updated_at\":" + updatedAt + ",\"expires_at\":" + (updatedAt + 60) + "}";
    }

    @Test
    void aClientNamingTheListItHoldsIsSentOnlyWhatChangedAndHoldsWhatAFreshClientIsSentWhole() throws Exception {
        fixture = gateways.in(home);
        fixture.start(new ScriptedAgent());
        Path folder = Files.createDirectories(fixture.gateway.presenceDir());
        double now = System.currentTimeMillis() / 1000.0;
        for (String id : List.of("keep0001", "edit0001", "gone0001")) {
            Files.writeString(folder.resolve("desk-1." + id + ".json"), plantedRecord(id, "idle", now - 3));
        }
        org.agentchannels.tests.support.RawWebSocket raw = fixture.raw();
        com.google.gson.JsonObject whole = await(raw.call("session.presence_list", new com.google.gson.JsonObject()));
        assertEquals(3, whole.getAsJsonArray("sessions").size());
        String version = whole.get("version").getAsString();
        assertTrue(!whole.has("since"), "a first ask gets the whole list");
        GatewayConnection c = await(fixture.client("laptop").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        assertEquals(3, await(c.presence()).size());

        Files.writeString(folder.resolve("desk-1.edit0001.json"), plantedRecord("edit0001", "working", now - 1));
        Files.delete(folder.resolve("desk-1.gone0001.json"));
        Files.writeString(folder.resolve("desk-1.news0001.json"), plantedRecord("news0001", "idle", now - 2));

        com.google.gson.JsonObject since = new com.google.gson.JsonObject();
        since.addProperty("since", version);
        com.google.gson.JsonObject changes = await(raw.call("session.presence_list", since));
        assertEquals(version, changes.get("since").getAsString());
        assertEquals(List.of("edit0001", "news0001"), PresenceRecord.listFrom(changes).stream().map(PresenceRecord::sessionId)
                .sorted().toList(), "only the changed and the new one");
        assertEquals(1, changes.getAsJsonArray("removed").size());
        assertTrue(changes.getAsJsonArray("removed").get(0).getAsString().endsWith("gone0001"));
        com.google.gson.JsonObject stale = await(raw.call("session.presence_list", since));
        assertTrue(!stale.has("since") && stale.getAsJsonArray("sessions").size() == 3,
                "a version that is no longer the one last sent gets the whole list");

        List<PresenceRecord> held = await(c.presence());
        GatewayConnection fresh = await(fixture.client("tablet").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        List<PresenceRecord> sentWhole = await(fresh.presence());
        assertEquals(sentWhole, held, "the client that applied the changes holds what a fresh one is sent whole");
        assertEquals(List.of("edit0001", "news0001", "keep0001"), held.stream().map(PresenceRecord::sessionId).toList(),
                "newest first");
        assertEquals("working", held.get(0).status());
    }
}
