package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.OfferedAgent;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.tests.support.TlsImpostor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/** The command line against scripted gateways on loopback and a presence folder. */
class AgentChannelsCliTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    private ScriptedGateway gateway(String name) throws Exception {
        ScriptedGateway gw = new ScriptedGateway().deviceName(name);
        cli.track(gw);
        return gw;
    }

    private Path presence(String sessionId, String sessionKey, String title, String host, String endpoint) throws Exception {
        Path folder = dir.resolve("presence");
        Files.createDirectories(folder);
        double now = System.currentTimeMillis() / 1000.0;
        Files.writeString(folder.resolve(host + "-1." + sessionId + ".json"), "{\"version\":1,\"session_id\":\"" + sessionId
                + "\",\"session_key\":\"" + sessionKey + "\",\"status\":\"working\",\"title\":\"" + title
                + "\",\"endpoint\":\"" + endpoint + "\",\"host\":\"" + host + "\",\"updated_at\":" + (now - 30)
                + ",\"expires_at\":" + (now + 60) + "}");
        return folder;
    }

    @Test
    void liveListsTheSessionsOfOtherDevicesAsATableAndAsJson() throws Exception {
        Path folder = presence("a0b0c000", "20261124_120000_abcdef", "Fix the flaky test", "desktop",
                "ws://192.0.2.10:8664/api/ws");
        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder.toString()));
        String table = cli.out();
        assertTrue(table.startsWith("SESSION"), table);
        assertTrue(table.contains("Fix the flaky test") && table.contains("desktop") && table.contains("working")
                && table.contains("30s") && table.contains("ws://192.0.2.10:8664/api/ws"), table);

        assertEquals(Exit.OK, cli.run(Map.of("AGENTCHANNELS_PRESENCE_DIR", folder.toString()), "live", "--json"));
        JsonArray rows = JsonParser.parseString(cli.out()).getAsJsonArray();
        assertEquals(1, rows.size());
        assertEquals("a0b0c000", rows.get(0).getAsJsonObject().get("session_id").getAsString());
        assertEquals("desktop", rows.get(0).getAsJsonObject().get("host").getAsString());
        assertTrue(rows.get(0).getAsJsonObject().get("updated_at").toString().matches("\\d+(\\.\\d{1,3})?"),
                rows.get(0).toString());
    }

    @Test
    void liveSaysSoWhenNothingIsLiveElsewhere() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(Exit.OK, cli.run("live", "--presence-dir", dir.resolve("empty").toString()));
        assertEquals("No sessions are live on other devices.", cli.out().strip());
    }

    @Test
    void sessionsListsTheLocalGatewaysSessions() throws Exception {
        ScriptedGateway local = gateway("laptop")
                .handle("session.list", (p, r) -> JsonParser.parseString("{\"sessions\":[{\"id\":\"20261124_100000_aaaaaa\","
                        + "\"title\":\"Refactor the parser\",\"message_count\":12,\"started_at\":1}]}"))
                .handle("session.active_list", (p, r) -> JsonParser.parseString("{\"sessions\":[{\"id\":\"live0001\","
                        + "\"session_key\":\"20261124_100000_aaaaaa\",\"status\":\"working\"}]}"))
                .start();
        assertEquals(Exit.OK, cli.run("sessions", "--gateway", local.endpoint()));
        assertTrue(cli.out().contains("Refactor the parser") && cli.out().contains("live0001 working") && cli.out().contains("12"), cli.out());
        assertEquals(Exit.OK, cli.run("sessions", "--gateway", local.endpoint(), "--json"));
        assertTrue(JsonParser.parseString(cli.out()).getAsJsonArray().get(0).getAsJsonObject().get("live").getAsBoolean());
    }

    @Test
    void attachWithSendDialsTheOtherDeviceStreamsTheTurnAndExitsWhenItEnds() throws Exception {
        ScriptedGateway remote = gateway("desktop").token("desk-token-1234");
        FakeSessionHost host = new FakeSessionHost(remote, true);
        remote.start();
        host.add("a0b0c000", "20261124_120000_abcdef").rows.add(TranscriptRow.user("earlier question", "desktop"));
        ScriptedGateway.Handler submit = remote.handler("prompt.submit");
        remote.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(() -> {
                host.delta("a0b0c000", "Hello ");
                host.delta("a0b0c000", "from the desktop");
                host.complete("a0b0c000", "", "complete");
            }).start();
            return result;
        });
        ScriptedGateway local = gateway("laptop").start();
        Path folder = presence("a0b0c000", "20261124_120000_abcdef", "Remote work", "desktop", remote.endpoint());
        Path tokens = CliRun.tokenFile(dir.resolve("tokens"), remote.endpoint() + " desk-token-1234\n");
        int status = cli.run("attach", "a0b0c000", "--gateway", local.endpoint(), "--presence-dir", folder.toString(),
                "--token-file", tokens.toString(), "--send", "say hello");
        assertEquals(Exit.OK, status, cli.err());
        String printed = cli.out();
        assertTrue(printed.contains("user (from desktop): earlier question"), printed);
        assertTrue(printed.contains("user (from laptop): say hello"), printed);
        assertTrue(printed.contains("assistant: Hello from the desktop"), printed);
        Frame.Request sent = remote.requests("prompt.submit").get(0);
        assertEquals("laptop", sent.params().get("sender_device").getAsString()); // the local gateway named us
        assertEquals("laptop", remote.requests("session.activate").get(0).params().get("viewer_device").getAsString());
    }

    @Test
    void attachApprovesWhatTheAgentAsksWithTheAnswerOfApproveAndPrintsTheRequest() throws Exception {
        ScriptedGateway local = gateway("laptop");
        FakeSessionHost host = new FakeSessionHost(local, true);
        local.start();
        FakeSessionHost.HostedSession session = host.add("a0b0c000", "20261124_120000_abcdef");
        ScriptedGateway.Handler submit = local.handler("prompt.submit");
        local.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(() -> host.emit(session, new GatewayEvent.InputRequested(new InputRequest(InputRequest.Kind.APPROVAL,
                    "a0b0c000", "", "rm -rf build", List.of("once", "session", "always", "deny"), true, null)))).start();
            return result;
        });
        local.handle("approval.respond", (peer, request) -> {
            String choice = request.params().get("choice").getAsString();
            new Thread(() -> {
                host.delta("a0b0c000", "answered: " + choice);
                host.complete("a0b0c000", "", "complete");
            }).start();
            return JsonParser.parseString("{\"resolved\":true}");
        });
        assertEquals(Exit.USAGE, cli.run("attach", "a0b0c000", "--gateway", local.endpoint(), "--approve", "maybe"));
        assertTrue(cli.err().contains("--approve must be once, always or reject"), cli.err());

        int status = cli.run("attach", "a0b0c000", "--gateway", local.endpoint(), "--send", "clean up", "--approve", "reject");
        assertEquals(Exit.OK, status, cli.err());
        String printed = cli.out();
        assertTrue(printed.contains("approval: rm -rf build [once / session / always / deny]"), printed);
        assertTrue(printed.contains("answered: deny"), printed);
        assertEquals("deny", local.requests("approval.respond").get(0).params().get("choice").getAsString());
    }

    @Test
    void aTurnLongerThanAClientKeepsIsPrintedOnlyUpToTheBudgetAndSaysItWasCut() throws Exception {
        ScriptedGateway local = gateway("laptop");
        FakeSessionHost host = new FakeSessionHost(local, true);
        local.start();
        host.add("long0001", "20261124_130000_abcdef");
        String chunk = "z".repeat(64 * 1024);
        ScriptedGateway.Handler submit = local.handler("prompt.submit");
        local.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(() -> {
                for (int i = 0; i < 80; i++) { // 5 Mi characters, past the 4 Mi a client keeps of one turn
                    host.delta("long0001", chunk);
                }
                host.complete("long0001", "", "complete");
            }).start();
            return result;
        });
        assertEquals(Exit.OK, cli.run("attach", "long0001", "--gateway", local.endpoint(), "--send", "tell me all"), cli.err());
        String printed = cli.out();
        assertTrue(printed.contains("\n[cut: the gateway sent more than 4 Mi characters for this turn; the rest was not kept]"),
                printed.substring(Math.max(0, printed.length() - 300)));
        assertTrue(printed.length() < 4 * 1024 * 1024 + 10_000, "printed " + printed.length());
    }

    @Test
    void newCreatesASessionOnThisDevicesGatewayAndRunsTheFirstPrompt() throws Exception {
        ScriptedGateway local = gateway("laptop");
        FakeSessionHost host = new FakeSessionHost(local, true);
        local.start();
        ScriptedGateway.Handler submit = local.handler("prompt.submit");
        local.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            String id = request.params().get("session_id").getAsString();
            new Thread(() -> host.complete(id, "Started.", "complete")).start();
            return result;
        });
        int status = cli.run("new", "--gateway", local.endpoint(), "--title", "Release checklist", "--send", "begin");
        assertEquals(Exit.OK, status, cli.err());
        assertTrue(cli.out().startsWith("session r1 ("), cli.out());
        assertTrue(cli.out().contains("assistant: Started."), cli.out());
        assertEquals("Release checklist", host.session("r1").title);
        assertEquals(List.of("begin"), host.prompts());
        assertFalse(local.requests("session.create").get(0).params().has("cwd"), "no --cwd: the gateway's first workspace");

        assertEquals(Exit.OK, cli.run("new", "--gateway", local.endpoint(), "--cwd", "/srv/work/project"));
        assertEquals("/srv/work/project", local.requests("session.create").get(1).params().get("cwd").getAsString());
    }

    @Test
    void newRunsTheAgentAskedForAndListsWhatTheGatewayOffers() throws Exception {
        ScriptedGateway local = gateway("laptop");
        new FakeSessionHost(local, true);
        local.ready(new GatewayEvent.GatewayReady("laptop", false, true, true, true, "e1",
                List.of(new OfferedAgent("opencode", "OpenCode"), new OfferedAgent("gemini", "Gemini CLI")),
                List.of("/srv/work", "/home/omar/src")));
        local.start();
        assertEquals(Exit.OK, cli.run("new", "--gateway", local.endpoint(), "--list-agents"), cli.err());
        assertEquals(List.of("AGENT     LABEL", "opencode  OpenCode    default", "gemini    Gemini CLI", "",
                "Workspaces (--cwd is one of them or inside one; without --cwd, the first):", "  /srv/work",
                "  /home/omar/src"), cli.out().lines().toList());
        assertEquals(Exit.OK, cli.run("new", "--gateway", local.endpoint(), "--list-agents", "--json"), cli.err());
        var listed = JsonParser.parseString(cli.out()).getAsJsonObject();
        assertEquals("opencode", listed.getAsJsonArray("agents").get(0).getAsJsonObject().get("id").getAsString());
        assertTrue(listed.getAsJsonArray("agents").get(0).getAsJsonObject().get("default").getAsBoolean());
        assertFalse(listed.getAsJsonArray("agents").get(1).getAsJsonObject().get("default").getAsBoolean());
        assertEquals("/home/omar/src", listed.getAsJsonArray("workspaces").get(1).getAsString());
        assertEquals(List.of(), local.requests("session.create"), "listing creates no session");

        assertEquals(Exit.OK, cli.run("new", "--gateway", local.endpoint(), "--agent", "gemini", "--cwd", "/srv/work/app"),
                cli.err());
        var asked = local.requests("session.create").get(0).params();
        assertEquals("gemini", asked.get("agent").getAsString());
        assertEquals("/srv/work/app", asked.get("cwd").getAsString());
        assertEquals(Exit.OK, cli.run("new", "--gateway", local.endpoint()), cli.err());
        assertFalse(local.requests("session.create").get(1).params().has("agent"), "no --agent: the gateway's default");

        // an agent the gateway does not offer: one line naming those it does, a usage status, nothing created
        assertEquals(Exit.USAGE, cli.run("new", "--gateway", local.endpoint(), "--agent", "claude"));
        assertEquals("agentchannels: the gateway offers no agent 'claude'; it offers opencode, gemini"
                + " (new --list-agents shows them)\n", cli.err());
        assertEquals(2, local.requests("session.create").size());
        assertEquals(Exit.USAGE, cli.run("new", "--gateway", local.endpoint(), "--list-agents", "--agent", "gemini"));
        assertTrue(cli.err().contains("--list-agents creates no session"), cli.err());
    }

    @Test
    void aGatewayThatOffersNoChoiceOfAgentSaysSo() throws Exception {
        ScriptedGateway hermes = gateway("hermes-box");
        new FakeSessionHost(hermes, false);
        hermes.start();
        assertEquals(Exit.OK, cli.run("new", "--gateway", hermes.endpoint(), "--list-agents"), cli.err());
        assertEquals("This gateway offers no choice of agent.\n", cli.out());
        assertEquals(Exit.USAGE, cli.run("new", "--gateway", hermes.endpoint(), "--agent", "opencode"));
        assertEquals("agentchannels: this gateway offers no choice of agent: leave out --agent\n", cli.err());
        assertEquals(List.of(), hermes.requests("session.create"));
    }

    @Test
    void anUnreachableGatewayIsOneLineAndANonZeroExit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int status = cli.run("sessions", "--gateway", "ws://127.0.0.1:" + port + "/api/ws", "--timeout", "20");
        assertEquals(Exit.UNREACHABLE, status);
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        assertTrue(cli.err().contains("cannot reach the gateway at ws://127.0.0.1:" + port), cli.err());
    }

    @Test
    void aRefusedTokenSaysSoWithoutPrintingTheToken() throws Exception {
        ScriptedGateway remote = gateway("desktop").token("the-right-one").start();
        Path tokens = dir.resolve("tokens");
        CliRun.tokenFile(tokens, "# paired gateways\n" + remote.endpoint() + " the-wrong-one\n");
        int status = cli.run("sessions", "--gateway", remote.endpoint(), "--token-file", tokens.toString());
        assertEquals(Exit.UNAUTHORIZED, status);
        assertTrue(cli.err().contains("4401"), cli.err());
        assertFalse(cli.err().contains("the-wrong-one") || cli.out().contains("the-wrong-one"));
    }

    @Test
    void aChangedCertificateIsRefusedPlainlyWithExit77AndTheImpostorIsSentNothing() throws Exception {
        TlsImpostor impostor = cli.track(TlsImpostor.start(dir));
        String pinned = Fingerprints.of("the key the real gateway showed when paired".getBytes());
        Path tokens = dir.resolve("tokens");
        String token = "tok-never-to-be-sent-1234";
        CliRun.tokenFile(tokens, impostor.endpoint() + " " + token + " fp=" + pinned + "\n");
        int status = cli.run("sessions", "--gateway", impostor.endpoint(), "--token-file", tokens.toString());
        assertEquals(Exit.CERTIFICATE_CHANGED, status, cli.err());
        assertEquals(77, status);
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        assertTrue(cli.err().contains("certificate of the gateway at " + impostor.endpoint() + " has changed: it was "
                + pinned + " when this device paired it, the server now shows " + impostor.fingerprint()), cli.err());
        assertTrue(cli.err().contains("pair it again"), cli.err());
        assertFalse(cli.err().contains(token) || cli.out().contains(token), "no token printed");
        assertEquals(List.of(), impostor.received(), "the impostor was sent no request, so no token");

        // the same endpoint in a line without its fingerprint (an older line): not dialled at all
        CliRun.tokenFile(tokens, impostor.endpoint() + " " + token + "\n");
        assertEquals(Exit.NOT_PAIRED, cli.run("sessions", "--gateway", impostor.endpoint(), "--token-file",
                tokens.toString()), cli.err());
        assertTrue(cli.err().contains("without its certificate's fingerprint"), cli.err());
        assertEquals(List.of(), impostor.received());
    }

    @Test
    void aKnownTokenFromTheTokenFileIsUsed() throws Exception {
        ScriptedGateway remote = gateway("desktop").token("tok-12345678")
                .handle("session.list", (p, r) -> JsonParser.parseString("{\"sessions\":[]}"))
                .handle("session.active_list", (p, r) -> JsonParser.parseString("{\"sessions\":[]}")).start();
        Path tokens = dir.resolve("tokens");
        CliRun.tokenFile(tokens, remote.endpoint() + " tok-12345678\n");
        assertEquals(Exit.OK, cli.run(Map.of("AGENTCHANNELS_TOKEN_FILE", tokens.toString()), "sessions", "--gateway",
                remote.endpoint()));
        assertEquals("This device's gateway has no sessions.", cli.out().strip());
    }

    @Test
    void aTokenFileOtherUsersCanReadIsRefusedWithTheChmodToRunAndNothingIsDialled() throws Exception {
        ScriptedGateway remote = gateway("desktop").token("tok-12345678")
                .handle("session.list", (p, r) -> JsonParser.parseString("{\"sessions\":[]}"))
                .handle("session.active_list", (p, r) -> JsonParser.parseString("{\"sessions\":[]}")).start();
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, remote.endpoint() + " tok-12345678\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(Exit.USAGE, cli.run("sessions", "--gateway", remote.endpoint(), "--token-file", tokens.toString()));
        assertEquals("agentchannels: the token file " + tokens + " can be read or changed by other users (rw-r--r--);"
                + " make it yours alone: chmod 600 " + tokens, cli.err().strip());
        assertFalse(cli.out().contains("tok-12345678") || cli.err().contains("tok-12345678"));
        assertTrue(remote.authorizations().isEmpty(), "no connection was made");

        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        assertEquals(Exit.OK, cli.run("sessions", "--gateway", remote.endpoint(), "--token-file", tokens.toString()));
        assertFalse(remote.authorizations().isEmpty(), "once chmod 600, the file is used");
    }

    /**
     * An agent that needs signing in: attach prints where and what to do and the turn's error, and exits failed
     * (never waits); sessions and live show the state, live --json with the sign-in.
     */
    @Test
    void anAgentThatNeedsSignInIsSaidByAttachAndShownBySessionsAndLive() throws Exception {
        ScriptedGateway local = gateway("laptop");
        FakeSessionHost host = new FakeSessionHost(local, true);
        local.start();
        FakeSessionHost.HostedSession session = host.add("a0b0c000", "20261124_120000_abcdef");
        SignIn signIn = new SignIn("desktop", "Run `opencode auth login` in the terminal");
        ScriptedGateway.Handler submit = local.handler("prompt.submit");
        local.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(() -> {
                host.emit(session, new GatewayEvent.SessionInfo("acp: opencode", true, "needs_sign_in", signIn));
                host.emit(session, new GatewayEvent.MessageComplete("", "error", "",
                        "the agent needs sign-in on the gateway's device", null));
            }).start();
            return result;
        });
        int status = cli.run("attach", "a0b0c000", "--gateway", local.endpoint(), "--send", "hi");
        assertEquals(Exit.FAILED, status, cli.err());
        assertTrue(cli.out().contains("status: needs sign-in on desktop: Run `opencode auth login` in the terminal"), cli.out());
        assertTrue(cli.out().contains("assistant (error): the agent needs sign-in on the gateway's device"), cli.out());

        local.handle("session.list", (p, r) -> JsonParser.parseString("{\"sessions\":[{\"id\":\"20261124_120000_abcdef\","
                + "\"title\":\"Signed out\",\"message_count\":2,\"started_at\":1}]}"))
                .handle("session.active_list", (p, r) -> JsonParser.parseString("{\"sessions\":[{\"id\":\"a0b0c000\","
                        + "\"session_key\":\"20261124_120000_abcdef\",\"status\":\"needs_sign_in\"}]}"));
        assertEquals(Exit.OK, cli.run("sessions", "--gateway", local.endpoint()));
        assertTrue(cli.out().contains("a0b0c000 needs sign-in"), cli.out());

        Path folder = dir.resolve("presence-sign-in");
        Files.createDirectories(folder);
        double now = System.currentTimeMillis() / 1000.0;
        Files.writeString(folder.resolve("desktop-1.b0.json"), "{\"version\":1,\"session_id\":\"b0\",\"status\":"
                + "\"needs_sign_in\",\"sign_in\":{\"device\":\"desktop\",\"hint\":\"Run `gemini`\"},\"title\":\"Docs\","
                + "\"endpoint\":\"ws://192.0.2.10:8664/api/ws\",\"host\":\"desktop\",\"updated_at\":" + now
                + ",\"expires_at\":" + (now + 60) + "}");
        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder.toString()));
        assertTrue(cli.out().contains("needs sign-in"), cli.out());
        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder.toString(), "--json"));
        var row = JsonParser.parseString(cli.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("Run `gemini`", row.getAsJsonObject("sign_in").get("hint").getAsString());
    }

    @Test
    void anUnknownSessionAndABusyOneHaveTheirOwnExitStatus() throws Exception {
        ScriptedGateway local = gateway("laptop");
        FakeSessionHost host = new FakeSessionHost(local, false);
        local.start();
        host.add("busy0001", "20261124_090000_bbbbbb");
        host.startTurn("busy0001", "long job", "laptop", "");
        assertEquals(Exit.NO_SUCH_SESSION, cli.run("attach", "nope0000", "--gateway", local.endpoint()));
        assertTrue(cli.err().contains("4001"), cli.err());
        assertEquals(Exit.NO_SUCH_SESSION, cli.run("attach", "20200101_000000_000000", "--gateway", local.endpoint()));
        assertTrue(cli.err().contains("4007"), cli.err());
        // a June-line gateway does not queue: the prompt waits for the running turn, and gives up with its --timeout
        assertEquals(Exit.BUSY, cli.run("attach", "busy0001", "--gateway", local.endpoint(), "--send", "another",
                "--timeout", "5"));
        assertTrue(cli.err().contains("stayed busy with another turn for 5 s"), cli.err());
        host.complete("busy0001", "the long job is done", "complete");
        assertEquals(List.of(), host.prompts(), "given up on: never sent, not even once the turn ended");
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertEquals(Exit.USAGE, cli.run());
        assertEquals(Exit.USAGE, cli.run("frobnicate"));
        assertEquals(Exit.USAGE, cli.run("live", "--bogus"));
        assertEquals(Exit.USAGE, cli.run("attach"));
        assertEquals(Exit.USAGE, cli.run("live"));
        assertTrue(cli.err().contains("--presence-dir"), cli.err());
    }

    @Test
    void eachCommandHasItsOwnHelpAndTheTimeoutMustBeAPositiveNumber() {
        assertEquals(Exit.OK, cli.run("attach", "--help"));
        assertTrue(cli.out().contains("SESSION-ID") && cli.out().contains("--send") && cli.out().contains("AGENTCHANNELS_GATEWAY"), cli.out());
        assertEquals(Exit.OK, cli.run("help", "new"));
        assertTrue(cli.out().contains("--title"), cli.out());
        assertEquals(Exit.OK, cli.run("--help"));
        assertTrue(cli.out().contains("live") && cli.out().contains("sessions") && cli.out().contains("attach") && cli.out().contains("new"), cli.out());
        assertEquals(Exit.USAGE, cli.run("live", "--presence-dir", dir.toString(), "--timeout", "0"));
        assertTrue(cli.err().startsWith("agentchannels: --timeout needs a number of seconds above 0"), cli.err());
        assertEquals(Exit.USAGE, cli.run("live", "--presence-dir", dir.toString(), "--timeout", "soon"));
        assertEquals(Exit.USAGE, cli.run("live", "--presence-dir", dir.toString(), "--title", "only for new"));
    }
}
