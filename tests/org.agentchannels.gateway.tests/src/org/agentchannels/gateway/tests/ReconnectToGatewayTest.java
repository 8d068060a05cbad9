package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector against our own gateway through a fault proxy: a cut mid-turn loses and doubles nothing. */
@SuppressWarnings("resource") // closed by try-with-resources and the fixture
class ReconnectToGatewayTest {

    @TempDir
    Path home;

    @Test
    void aConnectionCutMidTurnIsReplayedExactlyAndAPromptSentMeanwhileRunsOnce() throws Exception {
        try (TestGateway fixture = new TestGateway(home)) {
            ScriptedAgent agent = new ScriptedAgent();
            fixture.start(agent);
            FaultProxy proxy = new FaultProxy(fixture.gateway.port());
            fixture.track(proxy);
            InMemoryTokenStore tokens = new InMemoryTokenStore();
            tokens.put(proxy.endpoint(), fixture.gateway.token());
            StandaloneGatewayConnector laptop = GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff());
            fixture.track(laptop);
            GatewayConnection c = await(laptop.ensureGatewayForEndpoint(proxy.endpoint()));
            String id = await(c.createSession("", List.of())).sessionId();
            AttachedSession s = await(laptop.attach(proxy.endpoint(), id, ""));

            await(s.submit("first"));
            ScriptedAgent.ScriptedTurn first = agent.next();
            first.say("one ", "two ");
            Await.until("two deltas", WAIT, () -> s.model().streamingText().equals("one two "));

            proxy.refuse(true);
            proxy.cutAll();
            Await.until("the client to notice", WAIT, () -> c.state() instanceof ConnectionState.Reconnecting);
            first.say("three");
            first.finish();
            var second = s.submit("typed while cut off");
            proxy.refuse(false);
            assertEquals("streaming", await(second));
            ScriptedAgent.ScriptedTurn turn2 = agent.next();
            turn2.say("answer two");
            turn2.finish();

            List<TranscriptRow> expected = List.of(TranscriptRow.user("first", "laptop"),
                    TranscriptRow.assistant("one two three", "", "complete"), TranscriptRow.user("typed while cut off", "laptop"),
                    TranscriptRow.assistant("answer two", "", "complete"));
            Await.until("the client to hold the gateway's transcript", WAIT,
                    () -> s.model().rows().equals(expected) && s.model().activity() == SessionActivity.IDLE);
            assertTrue(s.model().outgoing().isEmpty());
            assertEquals(4, await(c.history(id)).messages().size());
        }
    }
}
