package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.cli.Terminal;
import org.agentchannels.core.Pairing;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The command line against a June-line Hermes gateway as it really behaves (issue 14). */
class HermesCliTest {

    private static final String KEY = "20261124_120000_abcdef";
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    private FakeSessionHost host;

    /** A Hermes gateway on the desk with session s1, and the presence record another device sees of it. */
    private ScriptedGateway desk(String token) throws Exception {
        ScriptedGateway gw = new ScriptedGateway().deviceName("desktop");
        if (token != null) {
            gw.token(token);
        }
        cli.track(gw);
        host = new FakeSessionHost(gw, false);
        gw.start();
        FakeSessionHost.HostedSession s = host.add("s1", KEY);
        s.title = "Fix the flaky test";
        return gw;
    }

    private Path presence(ScriptedGateway gw, String sessionId, String title) throws Exception {
        Path folder = dir.resolve("presence");
        Files.createDirectories(folder);
        double now = System.currentTimeMillis() / 1000.0;
        Files.writeString(folder.resolve("desktop-1." + sessionId + ".json"), "{\"version\":1,\"session_id\":\"" + sessionId
                + "\",\"session_key\":\"" + KEY + "\",\"status\":\"working\",\"title\":\"" + title + "\",\"endpoint\":\""
                + gw.endpoint() + "\",\"host\":\"desktop\",\"updated_at\":" + (now - 5) + ",\"expires_at\":" + (now + 60) + "}");
        return folder;
    }

    private Path trusting(ScriptedGateway gw) throws Exception {
        return CliRun.tokenFile(dir.resolve("tokens"), Pairing.WITHOUT_TOKEN + " " + gw.endpoint() + "\n");
    }

    @Test
    void aTokenRefusedWith403SaysTheTokenOrTheOriginAndHowToPairAgain() throws Exception {
        ScriptedGateway gw = desk("the-right-one");
        Path tokens = CliRun.tokenFile(dir.resolve("tokens"), gw.endpoint() + " a-stale-token\n");
        int status = cli.run("attach", "s1", "--presence-dir", presence(gw, "s1", "t").toString(), "--token-file",
                tokens.toString());
        assertEquals(Exit.UNAUTHORIZED, status);
        assertTrue(cli.err().contains("refused the token or this client's origin (HTTP 403: "), cli.err());
        assertTrue(cli.err().contains("to pair again, run './agentchannels gateway pair' on that device"), cli.err());
        assertFalse(cli.err().contains("host or origin not allowed"), "a plain wrong token is not said to be the origin");
        assertFalse(cli.err().contains("a-stale-token") || cli.out().contains("a-stale-token"));
    }

    @Test
    void attachJsonNamesTheTitleTheResultLacks() throws Exception {
        ScriptedGateway gw = desk(null);
        Path folder = presence(gw, "s1", "Fix the flaky test");
        assertEquals(Exit.OK, cli.run("attach", "s1", "--presence-dir", folder.toString(), "--token-file",
                trusting(gw).toString(), "--json"), cli.err());
        JsonObject json = JsonParser.parseString(cli.out()).getAsJsonObject();
        assertEquals("Fix the flaky test", json.get("title").getAsString());
    }

    @Test
    void theSpinnerShowsOnATerminalOnlyAndNeverInTheTranscriptOrJson() throws Exception {
        ScriptedGateway gw = desk(null);
        Path folder = presence(gw, "s1", "t");
        Path tokens = trusting(gw);
        host.startTurn("s1", "why?", "desktop", "");
        cli.terminal(new Terminal() {
            @Override
            public boolean isInteractive() {
                return true;
            }

            @Override
            public Reader input() {
                return Reader.nullReader();
            }
        });
        java.util.concurrent.CompletableFuture<Integer> attach = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli.run("attach", "s1", "--presence-dir", folder.toString(), "--token-file", tokens.toString()));
        Await.until("the attach", WAIT, () -> host.session("s1").viewers() == 1);
        host.spinner("s1", "(\u00ac_\u00ac) pondering...");
        Await.until("the spinner on the terminal", WAIT, () -> cli.out().contains("(\u00ac_\u00ac) pondering..."));
        host.reasoning("s1", "The port is shared.");
        host.spinner("s1", "");
        host.delta("s1", "It is the port.");
        host.complete("s1", "", "complete");
        assertEquals(Exit.OK, attach.get(30, java.util.concurrent.TimeUnit.SECONDS), cli.err());
        String onTerminal = cli.out();
        assertTrue(onTerminal.contains("assistant: It is the port."), onTerminal);
        assertFalse(onTerminal.substring(onTerminal.indexOf("assistant:")).contains("pondering"),
                "erased before the answer, never part of it");

        host.startTurn("s1", "again?", "desktop", "");
        cli.terminal(Terminal.NONE);
        java.util.concurrent.CompletableFuture<Integer> json = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli.run("attach", "s1", "--presence-dir", folder.toString(), "--token-file", tokens.toString(), "--json"));
        Await.until("the second attach", WAIT, () -> gw.requests("session.activate").size() == 2
                && host.session("s1").viewers() == 1);
        host.spinner("s1", "(\u00ac_\u00ac) pondering...");
        host.reasoning("s1", "Still the port.");
        host.complete("s1", "Yes.", "complete");
        assertEquals(Exit.OK, json.get(30, java.util.concurrent.TimeUnit.SECONDS), cli.err());
        assertFalse(cli.out().contains("pondering"), cli.out());
        assertTrue(cli.out().contains("\"reasoning\": \"Still the port.\""), "real reasoning is kept: " + cli.out());
    }

    @Test
    void sendWaitsForTheRunningTurnThenSendsOnce() throws Exception {
        ScriptedGateway gw = desk(null);
        Path folder = presence(gw, "s1", "t");
        host.startTurn("s1", "the desk's turn", "desktop", "");
        ScriptedGateway.Handler submit = gw.handler("prompt.submit");
        java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();
        gw.handle("prompt.submit", (peer, r) -> {
            try {
                var result = submit.handle(peer, r);
                new Thread(() -> { // taken: its turn answers
                    host.delta("s1", "after you");
                    host.complete("s1", "", "complete");
                }).start();
                return result;
            } catch (ScriptedGateway.RpcError busy) {
                if (refused.compareAndSet(false, true)) { // the desk's turn ends a little after the refusal
                    new Thread(() -> {
                        sleep(300);
                        host.complete("s1", "the desk is done", "complete");
                    }).start();
                }
                throw busy;
            }
        });
        assertEquals(Exit.OK, cli.run("attach", "s1", "--presence-dir", folder.toString(), "--token-file",
                trusting(gw).toString(), "--send", "my turn", "--timeout", "20"), cli.err());
        assertEquals(List.of("my turn"), host.prompts());
        assertTrue(cli.out().contains("assistant: after you"), cli.out());
        assertTrue(gw.requests("prompt.submit").size() >= 2, "refused while busy, then sent when free");
    }

    @Test
    void anErrorAfterAPartlyStreamedLineStartsOnANewLine() throws Exception {
        ScriptedGateway gw = desk(null);
        Path folder = presence(gw, "s1", "t");
        host.startTurn("s1", "endless", "desktop", "");
        host.delta("s1", "half a line");
        assertEquals(Exit.FAILED, cli.run("attach", "s1", "--presence-dir", folder.toString(), "--token-file",
                trusting(gw).toString(), "--timeout", "4"));
        assertTrue(cli.out().endsWith("half a line\n"), "the streamed line ended before the error: " + cli.out());
        assertTrue(cli.err().contains("gave up waiting"), cli.err());
    }

    @Test
    void aSessionWhoseRecordOutlivedItIsSaidToBeNoLongerLive() throws Exception {
        ScriptedGateway gw = desk(null);
        host.reap("s1"); // never prompted: gone under both ids, its record stays
        assertEquals(Exit.NO_SUCH_SESSION, cli.run("attach", "s1", "--presence-dir", presence(gw, "s1", "t").toString(),
                "--token-file", trusting(gw).toString()));
        assertTrue(cli.err().contains("session s1 is no longer live on"), cli.err());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
