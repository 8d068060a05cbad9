package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.SessionHost;
import org.agentchannels.gateway.internal.store.StoreWriter;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What becomes of prompts queued behind a turn: a closed session drops them for good (they do not come back as
 * rows at the next start), and a gateway killed twice in a row reports each one exactly once.
 */
class QueuedPromptsAfterStopsTest {

    @TempDir
    Path dir;

    @Test
    void closingASessionWithQueuedPromptsDropsThemAndNoStartBringsThemBack() throws Exception {
        Path db = new GatewayHome(dir).database();
        String storedId;
        TranscriptStore transcripts = new TranscriptStore(db);
        StoreWriter store = new StoreWriter(transcripts);
        ScriptedAgent agent = new ScriptedAgent();
        SessionHost host = new SessionHost(store, agent, "desktop", Clock.systemUTC());
        try {
            Client client = new Client(text -> {
            });
            var created = host.sessions().create(client, "queue", List.of(), "laptop", "");
            storedId = created.sessionKey();
            host.turns().submit(client, created.sessionId(), "running", "laptop", "sub-running");
            ScriptedAgent.ScriptedTurn running = agent.next();
            for (int i = 1; i <= 200; i++) {
                assertEquals(PromptResult.queued(i), host.turns().submit(client, created.sessionId(), "queued " + i,
                        "laptop", "sub-" + i));
            }
            assertEquals(200, store.submit("counting", s -> s.pending(created.sessionKey()).size()).get());
            host.sessions().close(created.sessionId());
            assertTrue(running.interrupted, "the running turn was stopped");
            assertTrue(store.submit("counting", s -> s.pending(created.sessionKey())).get().isEmpty(),
                    "the queue is dropped from the store before close returns");
        } finally {
            host.close();
            store.close();
        }
        List<TranscriptRow> expected = List.of(TranscriptRow.user("running", "laptop"),
                TranscriptRow.assistant("", "", "interrupted"));
        for (int start = 1; start <= 2; start++) {
            try (TranscriptStore reopened = new TranscriptStore(db)) {
                assertEquals(0, reopened.closeInterruptedTurns(2_000_000_000), "start " + start + " has nothing to repair");
                assertEquals(expected, reopened.messages(storedId), "start " + start);
            }
        }
    }

    @Test
    void aGatewayKilledAgainJustAfterItsRestartReportsEachCutPromptOnce() throws Exception {
        String script = "case \"$AGENTCHANNELS_PROMPT\" in slow*) printf 'partial '; sleep 20;;"
                + " *) printf 'done: %s' \"$AGENTCHANNELS_PROMPT\";; esac";
        List<String> args = List.of("--device-name", "desktop", "--agent", "exec", "--exec-command", script);
        Path home = dir.resolve("gw");
        String stored;
        GatewayProcess first = GatewayProcess.start(home, args);
        try (StandaloneGatewayConnector laptop = client(first)) {
            AttachedSession s = await(laptop.createSession(first.endpoint(), "twice"));
            stored = s.sessionKey();
            await(s.submit("slow one"));
            Await.until("the slow turn to stream", WAIT, () -> s.model().streamingText().equals("partial "));
            assertEquals("queued", await(s.submit("queued 1")));
            assertEquals("queued", await(s.submit("queued 2")));
            first.kill();
        } finally {
            first.close();
        }
        GatewayProcess second = GatewayProcess.start(home, args); // repairs, and is killed at once
        second.kill();
        second.close();

        GatewayProcess third = GatewayProcess.start(home, args);
        try (StandaloneGatewayConnector laptop = client(third)) {
            AttachedSession resumed = await(laptop.attach(third.endpoint(), "", stored));
            assertEquals(List.of(TranscriptRow.user("slow one", "laptop"), TranscriptRow.assistant("", "", "interrupted"),
                    TranscriptRow.user("queued 1", "laptop"), TranscriptRow.assistant("", "", "interrupted"),
                    TranscriptRow.user("queued 2", "laptop"), TranscriptRow.assistant("", "", "interrupted")),
                    resumed.model().rows());
            assertEquals(SessionActivity.IDLE, resumed.model().activity());
        } finally {
            third.close();
        }
    }

    private static StandaloneGatewayConnector client(GatewayProcess gateway) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.endpoint(), gateway.token());
        return GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff());
    }
}
