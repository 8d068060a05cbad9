package org.agentchannels.presence.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.presence.DefaultPresenceTracker;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.Futures;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/**
 * Issue 12, item 2, as an attacker plays it: a record planted in a real presence folder (or served by a local
 * gateway that does not judge records) names the victim's session and the attacker's server, a real one on
 * loopback that accepts anything without a token. The client follows the tracker's rows as the Live view and
 * {@code attach} do; the attacker's server must receive nothing.
 */
@SuppressWarnings("resource") // the fixture closes what it tracks
class HostilePresenceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SESSION = "victim01";
    private static final String KEY = "20261124_120000_abcdef";

    @TempDir
    Path folder;

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String record(String endpoint, String host, double updatedAt, Double expiresAt) {
        return "{\"version\":1,\"session_id\":\"" + SESSION + "\",\"session_key\":\"" + KEY + "\",\"status\":\"working\","
                + "\"title\":\"Release notes\",\"endpoint\":\"" + endpoint + "\",\"host\":\"" + host + "\",\"updated_at\":"
                + updatedAt + (expiresAt == null ? "" : ",\"expires_at\":" + expiresAt) + "}";
    }

    private void plant(String name, String text) throws Exception {
        Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** The user's own desktop: paired with a token. */
    private ScriptedGateway victim() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desktop").token("desk-token-1234"));
        new FakeSessionHost(gw, false).add(SESSION, KEY);
        gw.start();
        fixture.tokens.put(gw.endpoint(), "desk-token-1234");
        return gw;
    }

    /** The attacker's server: asks for no token and would gladly take the session's prompts. */
    private ScriptedGateway attacker() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desktop"));
        new FakeSessionHost(gw, false).add(SESSION, KEY);
        return gw.start();
    }

    private RemoteSessions derive(StandaloneGatewayConnector connector) throws Exception {
        DefaultPresenceTracker tracker = fixture.track(new DefaultPresenceTracker(connector, Clock.systemUTC(),
                DefaultPresenceTracker.POLL_INTERVAL));
        tracker.setPresenceDirectory(Optional.of(folder));
        return Futures.await(tracker.refresh(), WAIT);
    }

    /** What a click on the row (or {@code attach --send}) does: dial the row's endpoint, attach, send. */
    private static CompletableFuture<String> clickAndSend(StandaloneGatewayConnector connector, RemoteSessions rows) {
        return connector.attach(rows.endpointOf(SESSION).orElseThrow(), SESSION, KEY)
                .thenCompose(s -> s.submit("the user's confidential prompt"));
    }

    private static void assertGotNothing(ScriptedGateway attacker) {
        assertTrue(attacker.authorizations().isEmpty(), "the attacker's server was never dialled");
        assertTrue(attacker.requests().isEmpty());
    }

    @Test
    void aRecordFromTheFutureWithoutExpiryNoLongerTakesOverTheSession() throws Exception {
        ScriptedGateway victim = victim();
        ScriptedGateway attacker = attacker();
        plant("desk-1." + SESSION + ".json", record(victim.endpoint(), "desktop", now() - 5, now() + 85));
        plant("evil-1." + SESSION + ".json", record(attacker.endpoint(), "desktop", now() + 365 * 86_400.0, null));
        StandaloneGatewayConnector connector = fixture.connector("laptop");

        RemoteSessions rows = derive(connector);
        RemoteSession row = rows.find(SESSION).orElseThrow();
        assertFalse(row.isConflicting(), "a record that is not believed claims nothing");
        assertEquals(victim.endpoint(), row.endpoint());
        assertEquals("streaming", Futures.await(clickAndSend(connector, rows), WAIT));
        assertEquals(1, victim.requests("prompt.submit").size());
        assertGotNothing(attacker);
    }

    @Test
    void aCredibleRecordOfAnotherGatewayMakesTheRowConflictingAndNobodyIsDialled() throws Exception {
        ScriptedGateway victim = victim();
        ScriptedGateway attacker = attacker();
        fixture.trust(attacker.endpoint()); // even a gateway the user once trusted does not win by being newer
        plant("desk-1." + SESSION + ".json", record(victim.endpoint(), "desktop", now() - 30, now() + 60));
        plant("evil-1." + SESSION + ".json", record(attacker.endpoint(), "desktop", now() - 1, now() + 89));
        StandaloneGatewayConnector connector = fixture.connector("laptop");

        RemoteSessions rows = derive(connector);
        RemoteSession row = rows.find(SESSION).orElseThrow();
        assertTrue(row.isConflicting());
        assertEquals(List.of(victim.endpoint(), attacker.endpoint()).stream().sorted().toList(), row.conflictingEndpoints());
        assertFalse(rows.endpointOf(SESSION).isPresent(), "there is nothing to click through to");
        assertTrue(rows.devices().isEmpty());
        assertGotNothing(attacker);
        assertTrue(victim.requests().isEmpty());
    }

    @Test
    void aRecordNamingAnUnpairedServerGivesARowThatIsNeverDialled() throws Exception {
        ScriptedGateway attacker = attacker();
        plant("evil-1." + SESSION + ".json", record(attacker.endpoint(), "desktop", now() - 1, now() + 89));
        StandaloneGatewayConnector connector = fixture.connector("laptop");

        RemoteSessions rows = derive(connector);
        assertEquals(attacker.endpoint(), rows.endpointOf(SESSION).orElseThrow(), "shown, so the user can see it");
        assertFalse(connector.isPaired(attacker.endpoint()));
        GatewayException e = GatewayException.of(Futures.failure(clickAndSend(connector, rows), WAIT));
        assertEquals(GatewayException.Kind.NOT_PAIRED, e.kind());
        assertGotNothing(attacker);
    }

    @Test
    void theLocalGatewaysPresenceListIsJudgedTooForAHermesGatewayThatDoesNotJudgeIt() throws Exception {
        ScriptedGateway victim = victim();
        ScriptedGateway attacker = attacker();
        JsonArray served = new JsonArray();
        served.add(JsonParser.parseString(record(victim.endpoint(), "desktop", now() - 5, now() + 85)));
        served.add(JsonParser.parseString(record(attacker.endpoint(), "desktop", now() + 86_400, null)));
        served.add(JsonParser.parseString(record(attacker.endpoint(), "desktop", now() - 5, now() + 86_400)));
        served.add(JsonParser.parseString(record("ws://169.254.169.254/api/ws", "desktop", now() - 5, now() + 85)));
        ScriptedGateway local = fixture.track(new ScriptedGateway().deviceName("laptop")
                .handle("session.presence_list", (peer, r) -> ScriptedGateway.object("sessions", served)).start());
        StandaloneGatewayConnector connector = fixture.connector("");
        Futures.await(connector.connectLocal(local.endpoint()), WAIT);

        RemoteSessions rows = derive(connector);
        assertEquals(victim.endpoint(), rows.endpointOf(SESSION).orElseThrow());
        assertFalse(rows.find(SESSION).orElseThrow().isConflicting());
        assertEquals("streaming", Futures.await(clickAndSend(connector, rows), WAIT));
        assertGotNothing(attacker);
    }
}
