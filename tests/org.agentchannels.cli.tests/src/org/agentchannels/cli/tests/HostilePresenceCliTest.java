package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Issue 12, items 2 and 10, at the command line: hostile records planted in a real presence folder name the
 * victim's session and an attacker's server (a real one on loopback that takes anything without a token);
 * {@code attach --send} must never hand it the prompt, and {@code live} says which rows cannot be dialled.
 */
class HostilePresenceCliTest {

    private static final String SESSION = "a0b0c000";
    private static final String KEY = "20261124_120000_abcdef";
    private static final String PROMPT = "deploy with the production credentials";

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    /** A gateway hosting the session whose turn ends as soon as a prompt comes. */
    private ScriptedGateway gateway(String name, String token) throws Exception {
        ScriptedGateway gw = new ScriptedGateway().deviceName(name);
        if (token != null) {
            gw.token(token);
        }
        cli.track(gw);
        FakeSessionHost host = new FakeSessionHost(gw, false);
        host.add(SESSION, KEY);
        ScriptedGateway.Handler submit = gw.handler("prompt.submit");
        gw.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(() -> host.complete(SESSION, "done", "complete")).start();
            return result;
        });
        return gw.start();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private Path folder() throws Exception {
        return Files.createDirectories(dir.resolve("presence"));
    }

    private void plant(String file, String sessionId, String endpoint, double updatedAt, Double expiresAt) throws Exception {
        Files.writeString(folder().resolve(file), "{\"version\":1,\"session_id\":\"" + sessionId + "\",\"session_key\":\""
                + KEY + "\",\"status\":\"idle\",\"title\":\"Release\",\"host\":\"desktop\",\"endpoint\":\"" + endpoint
                + "\",\"updated_at\":" + updatedAt + (expiresAt == null ? "" : ",\"expires_at\":" + expiresAt) + "}");
    }

    private Path tokens(String... lines) throws Exception {
        return CliRun.tokenFile(dir.resolve("tokens"), String.join("\n", lines) + "\n");
    }

    private static void assertGotNothing(ScriptedGateway attacker) {
        assertTrue(attacker.authorizations().isEmpty(), "the attacker's server was never dialled");
        assertTrue(attacker.requests().isEmpty());
    }

    @Test
    void aPlantedRecordFromTheFutureWithoutExpiryNoLongerReceivesThePrompt() throws Exception {
        ScriptedGateway victim = gateway("desktop", "desk-token-1234");
        ScriptedGateway attacker = gateway("desktop", null);
        plant("desktop-1." + SESSION + ".json", SESSION, victim.endpoint(), now() - 10, now() + 80);
        plant("evil-1." + SESSION + ".json", SESSION, attacker.endpoint(), now() + 30 * 86_400, null);

        int status = cli.run("attach", SESSION, "--presence-dir", folder().toString(), "--token-file",
                tokens(victim.endpoint() + " desk-token-1234").toString(), "--send", PROMPT);
        assertEquals(Exit.OK, status, cli.err());
        assertEquals(PROMPT, victim.requests("prompt.submit").get(0).params().get("text").getAsString());
        assertGotNothing(attacker);
    }

    @Test
    void aSessionOnlyAnUnpairedServerClaimsIsNotAttachedAndTheMessageSaysHowToPair() throws Exception {
        ScriptedGateway attacker = gateway("desktop", null);
        plant("evil-1." + SESSION + ".json", SESSION, attacker.endpoint(), now() - 1, now() + 89);

        assertEquals(Exit.NOT_PAIRED, cli.run("attach", SESSION, "--presence-dir", folder().toString(), "--send", PROMPT));
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        assertTrue(cli.err().contains(attacker.endpoint() + " is not paired"), cli.err());
        assertTrue(cli.err().contains("./agentchannels gateway pair") && cli.err().contains("trust-without-token"), cli.err());
        assertEquals(Exit.NOT_PAIRED, cli.run("attach", SESSION, "--presence-dir", folder().toString()));
        assertGotNothing(attacker);

        // a gateway that asks for no token is dialled once the person says, in so many words, to trust it
        assertEquals(Exit.OK, cli.run("attach", SESSION, "--presence-dir", folder().toString(), "--token-file",
                tokens("trust-without-token " + attacker.endpoint()).toString(), "--send", PROMPT), cli.err());
        assertEquals(1, attacker.requests("prompt.submit").size());
    }

    @Test
    void aSessionClaimedByTwoGatewaysIsAttachedAtNoneAndLiveSaysSo() throws Exception {
        ScriptedGateway victim = gateway("desktop", "desk-token-1234");
        ScriptedGateway attacker = gateway("desktop", null);
        plant("desktop-1." + SESSION + ".json", SESSION, victim.endpoint(), now() - 30, now() + 60);
        plant("evil-1." + SESSION + ".json", SESSION, attacker.endpoint(), now() - 1, now() + 89);
        Path tokens = tokens(victim.endpoint() + " desk-token-1234", "trust-without-token " + attacker.endpoint());

        assertEquals(Exit.CONFLICTING, cli.run("attach", SESSION, "--presence-dir", folder().toString(), "--token-file",
                tokens.toString(), "--send", PROMPT));
        assertTrue(cli.err().contains("claimed by more than one gateway") && cli.err().contains(victim.endpoint())
                && cli.err().contains(attacker.endpoint()), cli.err());
        assertGotNothing(attacker);
        assertTrue(victim.requests().isEmpty());

        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder().toString(), "--token-file", tokens.toString()));
        assertTrue(cli.out().contains("conflicting claims") && cli.out().contains(victim.endpoint())
                && cli.out().contains(attacker.endpoint()), cli.out());
        assertTrue(cli.out().contains("attached at none"), cli.out());
        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder().toString(), "--json"));
        JsonObject row = JsonParser.parseString(cli.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("", row.get("endpoint").getAsString());
        assertFalse(row.get("paired").getAsBoolean());
        assertEquals(2, row.getAsJsonArray("conflicting_endpoints").size());
        assertGotNothing(attacker);
    }

    @Test
    void liveSaysWhichRowsAreNotPairedAndHowToPairThem() throws Exception {
        plant("desktop-1.paired01.json", "paired01", "ws://192.0.2.10:8664/api/ws", now() - 5, now() + 85);
        plant("box-1.unknown1.json", "unknown1", "ws://192.0.2.66:8664/api/ws", now() - 5, now() + 85);
        plant("cloud-1.meta0001.json", "meta0001", "ws://169.254.169.254/api/ws", now() - 5, now() + 85);
        Path tokens = tokens("ws://192.0.2.10:8664/api/ws desk-token-1234");

        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder().toString(), "--token-file", tokens.toString()));
        String table = cli.out();
        assertTrue(table.lines().findFirst().orElseThrow().endsWith("PAIRING"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("paired01") && l.endsWith(" paired")
                && !l.endsWith("not paired")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("unknown1") && l.endsWith(" not paired")), table);
        assertFalse(table.contains("meta0001"), "a link-local endpoint is not dialable, so not listed");
        assertTrue(table.contains("./agentchannels gateway pair"), table);

        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder().toString(), "--token-file", tokens.toString(), "--json"));
        JsonArray rows = JsonParser.parseString(cli.out()).getAsJsonArray();
        assertEquals(2, rows.size());
        for (var r : rows) {
            JsonObject o = r.getAsJsonObject();
            assertEquals(o.get("session_id").getAsString().equals("paired01"), o.get("paired").getAsBoolean(), o.toString());
        }
    }

    @Test
    void linkLocalAndUnspecifiedEndpointsAreRefusedAsUsageErrors() throws Exception {
        assertEquals(Exit.USAGE, cli.run("sessions", "--gateway", "ws://169.254.169.254/api/ws"));
        assertTrue(cli.err().contains("link-local"), cli.err());
        assertEquals(Exit.USAGE, cli.run("live", "--gateway", "ws://0.0.0.0:8664/api/ws"));
        assertTrue(cli.err().contains("unspecified"), cli.err());
        assertEquals(Exit.USAGE, cli.run("attach", SESSION, "--gateway", "ws://[fe80::1]:8664/api/ws", "--send", PROMPT));
        assertTrue(cli.err().contains("link-local"), cli.err());
    }
}
