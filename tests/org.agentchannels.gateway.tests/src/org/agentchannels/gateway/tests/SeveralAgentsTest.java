package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.OfferedAgent;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * A gateway offering several agents (two scripted ACP agents, real processes): the ready frame lists them and
 * the workspaces, each session runs the one it chose at create (the first by default), an id not offered is
 * refused with nothing stored, and a session resumed after a restart runs the agent it ran before.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class SeveralAgentsTest {

    @TempDir
    Path home;

    @TempDir
    Path scripts;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    /** The scripted agent playing {@code scenario}, as a launch line ({@code --agent NAME=LINE}). */
    private String line(String scenario) throws Exception {
        return ScriptedAcpAgents.command(scenario, scripts).stream().map(w -> "'" + w + "'").collect(Collectors.joining(" "));
    }

    /** alpha answers "You said: ..."; beta says where it works. */
    private String[] alphaAndBeta() throws Exception {
        return new String[] { "--agent", "alpha=" + line("text"), "--agent", "beta=" + line("pwd") };
    }

    /** The running agent processes of this test (their source is in its own folder) that play {@code scenario}. */
    private long agentProcesses(String scenario) {
        String source = scripts.resolve("ScriptedAcpAgent.java").toString();
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(List::of).map(a -> a.contains(source) && a.contains(scenario))
                        .orElse(false)).count();
    }

    /** The answer to {@code prompt}: the turn's assistant row (a reopened session may get a note before it). */
    private static String answer(AttachedSession s, String prompt) throws Exception {
        int rows = s.model().rows().size();
        await(s.submit(prompt));
        Await.until("the answer to " + prompt, WAIT, () -> {
            List<TranscriptRow> now = s.model().rows();
            return s.model().activity() == SessionActivity.IDLE && now.size() >= rows + 2
                    && now.subList(rows, now.size()).stream().anyMatch(r -> r.role().equals(TranscriptRow.USER))
                    && now.get(now.size() - 1).role().equals(TranscriptRow.ASSISTANT);
        });
        List<TranscriptRow> now = s.model().rows();
        TranscriptRow last = now.get(now.size() - 1);
        assertEquals("complete", last.status(), last.toString());
        return last.text();
    }

    @Test
    void theReadyFrameOffersTheAgentsAndWorkspacesAndEachSessionRunsTheOneItChose() throws Exception {
        TestGateway fixture = gateways.in(home);
        Path workspace = Files.createDirectories(home.resolve("projects")).toRealPath();
        fixture.gateway = Gateway.start(fixture.options("--workspace", workspace.toString(),
                "--advertise", "ws://192.0.2.10:8664/api/ws"), List.of(
                new HostedAgent("alpha", "Alpha agent", new AcpAgent(ScriptedAcpAgents.command("text", scripts),
                        workspace, AcpAgent.START_TIMEOUT)),
                new HostedAgent("beta", "Beta agent", new AcpAgent(ScriptedAcpAgents.command("pwd", scripts),
                        workspace, AcpAgent.START_TIMEOUT))), () -> "desktop", Clock.systemUTC());
        String endpoint = fixture.gateway.localEndpoint();
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        GatewayConnection c = await(laptop.ensureGatewayForEndpoint(endpoint));
        assertEquals(List.of(new OfferedAgent("alpha", "Alpha agent"), new OfferedAgent("beta", "Beta agent")),
                c.offeredAgents(), "the default first");
        assertEquals(List.of(workspace.toString()), c.workspaces());

        AttachedSession byDefault = await(laptop.createSession(endpoint, "default", ""));
        AttachedSession beta = await(laptop.createSession(endpoint, "on beta", "", "beta"));
        AttachedSession alpha = await(laptop.createSession(endpoint, "on alpha", "", "alpha"));
        assertEquals("You said: hi (turn 1)", answer(byDefault, "hi"));
        assertEquals("You said: hello (turn 1)", answer(alpha, "hello"));
        assertEquals("session/new cwd " + workspace + ", process in " + workspace, answer(beta, "where"));

        // each session says which agent it runs: its model is that agent's label, in its snapshot, its
        // session.info and the live list
        assertEquals("Alpha agent", byDefault.model().model());
        assertEquals("Beta agent", beta.model().model());
        assertEquals("Alpha agent", alpha.model().model());
        List<SessionSummary> live = await(c.liveSessions());
        assertEquals(List.of("default=Alpha agent", "on beta=Beta agent", "on alpha=Alpha agent"),
                live.stream().map(s -> s.title() + "=" + s.model()).toList());
        Map<String, String> expected = Map.of(byDefault.sessionId(), "Alpha agent", beta.sessionId(), "Beta agent",
                alpha.sessionId(), "Alpha agent");
        Await.until("each session's presence record naming its agent", WAIT, () -> {
            try {
                Map<String, String> published = new java.util.HashMap<>();
                await(c.presence()).forEach(r -> published.put(r.sessionId(), r.model()));
                return published.equals(expected);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void anAgentNotOfferedIsRefusedNamingThoseOfferedAndNothingIsStored() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(null, alphaAndBeta());
        GatewayConnection c = await(fixture.client("laptop").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        await(c.createSession("one", List.of(), "", "beta"));
        int stored = await(c.storedSessions(100)).size();
        int live = await(c.liveSessions()).size();

        GatewayException unknown = failure(c.createSession("refused", List.of(), "", "gamma"));
        assertEquals(4002, unknown.code(), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("agent 'gamma' is not offered by this gateway (offered: alpha, beta)"),
                unknown.getMessage());
        JsonObject numeric = new JsonObject();
        numeric.addProperty("title", "refused too");
        numeric.addProperty("agent", 7);
        GatewayException notText = failure(fixture.raw().call("session.create", numeric));
        assertEquals(4002, notText.code(), notText.getMessage());

        assertEquals(stored, await(c.storedSessions(100)).size(), "a refused agent stores no session");
        assertEquals(live, await(c.liveSessions()).size(), "and makes none live");
        assertEquals(0L, agentProcesses("text"), "nor starts the default agent for it");
        assertEquals(1L, agentProcesses("pwd"), "beta runs for the one session");
    }

    @Test
    void aSessionResumedAfterARestartRunsTheAgentItRanAndOneNoLongerOfferedIsARefusal() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(null, alphaAndBeta());
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        AttachedSession beta = await(laptop.createSession(fixture.gateway.localEndpoint(), "on beta", "", "beta"));
        AttachedSession alpha = await(laptop.createSession(fixture.gateway.localEndpoint(), "on alpha", ""));
        Path workspace = home.resolve("workspace").toRealPath();
        assertEquals("session/new cwd " + workspace + ", process in " + workspace, answer(beta, "where"));
        assertEquals("You said: hi (turn 1)", answer(alpha, "hi"));
        String betaKey = beta.sessionKey();
        String alphaKey = alpha.sessionKey();
        fixture.gateway.close();

        fixture.start(null, alphaAndBeta());
        StandaloneGatewayConnector again = fixture.client("laptop");
        AttachedSession betaAgain = await(again.attach(fixture.gateway.localEndpoint(), "", betaKey));
        assertEquals("beta", betaAgain.model().model(), "an agent the owner named is labelled by its name");
        assertEquals("session/new cwd " + workspace + ", process in " + workspace, answer(betaAgain, "and now?"),
                "beta answers it, not the default");
        fixture.gateway.close();

        // the gateway now offers alpha and gamma: beta's session is refused, readably; alpha's still resumes
        fixture.start(null, "--agent", "alpha=" + line("text"), "--agent", "gamma=" + line("text"));
        StandaloneGatewayConnector third = fixture.client("laptop");
        GatewayException gone = failure(third.attach(fixture.gateway.localEndpoint(), "", betaKey));
        assertEquals(4002, gone.code(), gone.getMessage());
        assertTrue(gone.getMessage().contains("this session ran agent 'beta', which this gateway no longer offers"
                + " (offered: alpha, gamma)"), gone.getMessage());
        GatewayConnection c = await(third.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        assertEquals(List.of(), await(c.liveSessions()), "the refused session was not made live");
        AttachedSession alphaAgain = await(third.attach(fixture.gateway.localEndpoint(), "", alphaKey));
        assertEquals("alpha", alphaAgain.model().model());
        assertTrue(answer(alphaAgain, "back").startsWith("You said: back"));
        fixture.gateway.close();

        // a gateway that offers one agent runs every session with it, as it did before agents had names
        fixture.start(null, "--agent", "alpha=" + line("text"));
        AttachedSession betaWithAlpha = await(fixture.client("laptop").attach(fixture.gateway.localEndpoint(), "", betaKey));
        assertEquals("alpha", betaWithAlpha.model().model());
        assertTrue(answer(betaWithAlpha, "still here?").startsWith("You said: still here?"));
    }

    @Test
    void amongSeveralAMissingProgramStopsTheStartNamingItsAgent() throws Exception {
        TestGateway fixture = gateways.in(home);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fixture.start(null, "--agent", "alpha=" + line("text"), "--agent", "ghost=/nonexistent/ghost-agent acp"));
        assertEquals("agent ghost: the agent program '/nonexistent/ghost-agent' was not found on this machine, or give"
                + " its full path with --agent ghost=LINE", e.getMessage());
    }

    @Test
    void aSessionStoredByAnOlderGatewayWithoutTheAgentColumnRunsTheDefault() throws Exception {
        Path db = new GatewayHome(home).database();
        Files.createDirectories(db.getParent());
        // the sessions table as the gateway made it before sessions named their agent
        try (TranscriptStore old = new TranscriptStore(db, connection -> {
            try (var s = connection.createStatement()) {
                s.execute("ALTER TABLE sessions DROP COLUMN agent");
            }
        })) {
            old.createSession("20261101_120000_abcdef", "from before", 1_700_000_000);
            old.append("20261101_120000_abcdef", TranscriptRow.user("earlier", "laptop"), null, 1_700_000_000);
        }
        TestGateway fixture = gateways.in(home);
        fixture.start(null, "--agent", "beta=" + line("pwd"), "--agent", "alpha=" + line("text"));
        AttachedSession resumed = await(fixture.client("laptop").attach(fixture.gateway.localEndpoint(), "",
                "20261101_120000_abcdef"));
        assertEquals("beta", resumed.model().model(), "the gateway's default now");
        assertTrue(answer(resumed, "where").startsWith("session/new cwd "));
        fixture.gateway.close();
        try (TranscriptStore reopened = new TranscriptStore(db)) {
            assertEquals("", reopened.agentOf("20261101_120000_abcdef"), "an old row keeps no agent: the default's");
            reopened.setAgent("20261101_120000_abcdef", "alpha");
            assertEquals("alpha", reopened.agentOf("20261101_120000_abcdef"), "the column was added");
        }
    }
}
