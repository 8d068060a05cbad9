package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a stop: a clean one (in-process) and a SIGKILL in the middle of a turn (a real process). */
@SuppressWarnings("resource") // closed in finally blocks and by the fixture
class PersistenceTest {

    @TempDir
    Path home;

    private static StandaloneGatewayConnector client(String endpoint, String token) throws Exception {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(endpoint, token);
        return GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff());
    }

    @Test
    void sessionsAndTranscriptsSurviveACleanRestartAndARunningTurnEndsInterrupted() throws Exception {
        try (TestGateway fixture = new TestGateway(home)) {
            ScriptedAgent agent = new ScriptedAgent();
            fixture.start(agent);
            StandaloneGatewayConnector laptop = fixture.client("laptop");
            GatewayConnection c = await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
            SessionSnapshot created = await(c.createSession("kept", List.of()));
            String stored = created.sessionKey();
            AttachedSession s = await(laptop.attach(fixture.gateway.localEndpoint(), created.sessionId(), stored));
            await(s.submit("done before the stop"));
            ScriptedAgent.ScriptedTurn first = agent.next();
            first.say("answer");
            first.finish();
            await(s.submit("running at the stop"));
            agent.next().say("half");
            fixture.gateway.close();

            fixture.start(new ScriptedAgent());
            StandaloneGatewayConnector again = fixture.client("laptop");
            AttachedSession resumed = await(again.attach(fixture.gateway.localEndpoint(), "", stored));
            assertEquals(List.of(TranscriptRow.user("done before the stop", "laptop"),
                    TranscriptRow.assistant("answer", "", "complete"), TranscriptRow.user("running at the stop", "laptop"),
                    TranscriptRow.assistant("half", "", "interrupted")), resumed.model().rows());
            assertEquals("kept", resumed.model().title());
        }
    }

    @Test
    void aGatewayKilledMidTurnLosesNoCommittedMessageAndMarksTheTurnInterrupted() throws Exception {
        String script = "case \"$AGENTCHANNELS_PROMPT\" in slow*) printf 'partial '; sleep 20;;"
                + " *) printf 'done: %s' \"$AGENTCHANNELS_PROMPT\";; esac";
        Path gatewayHome = home.resolve("gw");
        GatewayProcess first = GatewayProcess.start(gatewayHome, List.of("--device-name", "desktop", "--agent", "exec",
                "--exec-command", script));
        String stored;
        try (StandaloneGatewayConnector laptop = client(first.endpoint(), first.token())) {
            GatewayConnection c = await(laptop.ensureGatewayForEndpoint(first.endpoint()));
            SessionSnapshot created = await(c.createSession("crash test", List.of()));
            stored = created.sessionKey();
            AttachedSession s = await(laptop.attach(first.endpoint(), created.sessionId(), stored));
            await(s.submit("quick"));
            Await.until("the quick turn", WAIT, () -> s.model().rows().size() == 2
                    && s.model().activity() == SessionActivity.IDLE);
            await(s.submit("slow one"));
            Await.until("the slow turn to stream", WAIT, () -> s.model().streamingText().equals("partial "));
            assertEquals("queued", await(s.submit("queued behind it")));
            first.kill();
        } finally {
            first.close();
        }
        assertTrue(Files.isRegularFile(gatewayHome.resolve("sessions.db")));

        GatewayProcess second = GatewayProcess.start(gatewayHome, List.of("--device-name", "desktop", "--agent", "exec",
                "--exec-command", script));
        try (StandaloneGatewayConnector laptop = client(second.endpoint(), second.token())) {
            AttachedSession resumed = await(laptop.attach(second.endpoint(), "", stored));
            assertEquals(List.of(TranscriptRow.user("quick", "laptop"), TranscriptRow.assistant("done: quick", "", "complete"),
                    TranscriptRow.user("slow one", "laptop"), TranscriptRow.assistant("", "", "interrupted"),
                    TranscriptRow.user("queued behind it", "laptop"), TranscriptRow.assistant("", "", "interrupted")),
                    resumed.model().rows());
            // and it serves on
            await(resumed.submit("after the crash"));
            Await.until("a new turn", WAIT, () -> resumed.model().rows().size() == 8);
            assertEquals("done: after the crash", resumed.model().rows().get(7).text());
        } finally {
            assertEquals(143, second.stop(), second.log()); // SIGTERM ends it cleanly
        }
        assertTrue(!Files.exists(gatewayHome.resolve("running.json")));
    }
}
