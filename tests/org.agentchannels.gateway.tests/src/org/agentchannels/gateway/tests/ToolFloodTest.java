package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An agent that calls tools in an endless loop: one turn shows and stores a bounded number of tool rows. */
@SuppressWarnings("resource") // the fixture closes what it opens
class ToolFloodTest {

    private static final int CALLS = 1500;
    private static final int KEPT = 1000;

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static final class ToolLoop implements Agent {
        @Override
        public String model() {
            return "tool loop";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < CALLS; i++) {
                    sink.tool("terminal", "ls " + i);
                }
                sink.delta("done");
                sink.complete(Result.complete(null));
            }, "tool-loop");
            t.start();
            return () -> {
            };
        }
    }

    @Test
    void aTurnKeepsAtMostItsShareOfToolRowsAndGoesOn() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new ToolLoop());
        AttachedSession s = await(fixture.client("laptop").createSession(fixture.gateway.localEndpoint(), "loop"));
        await(s.submit("go"));
        Await.until("the end of the turn", WAIT, () -> s.model().activity() == SessionActivity.IDLE
                && s.model().rowCount() > 0 && s.model().rows().get(s.model().rowCount() - 1).role().equals(TranscriptRow.ASSISTANT));
        List<TranscriptRow> stored = await(s.connection().history(s.sessionId())).messages();
        assertEquals(KEPT, stored.stream().filter(r -> r.role().equals(TranscriptRow.TOOL)).count());
        assertEquals("ls " + (KEPT - 1), stored.get(KEPT).text(), "the first ones are kept");
        assertEquals("done", stored.get(stored.size() - 1).text());
        assertEquals(stored.size(), s.model().rowCount(), "the client shows what the gateway kept");
    }
}
