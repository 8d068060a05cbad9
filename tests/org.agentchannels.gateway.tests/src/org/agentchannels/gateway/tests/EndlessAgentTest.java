package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent on the gateway's own machine that streams far more than any turn should hold: the gateway keeps a
 * bounded part of it (a little more than a client keeps, so the client still says where it was cut).
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class EndlessAgentTest {

    private static final int CHUNK = 16 * 1024;

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    /** Writes three times what a client keeps of one turn, in chunks, then ends the turn. */
    private static final class Flood implements Agent {
        final AtomicLong offered = new AtomicLong();

        @Override
        public String model() {
            return "flood";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            Thread t = new Thread(() -> {
                String chunk = "x".repeat(CHUNK);
                for (long sent = 0; sent < 3L * SessionModel.MAX_TURN_CHARS; sent += CHUNK) {
                    sink.delta(chunk);
                    offered.addAndGet(CHUNK);
                }
                sink.complete(Result.complete(null));
            }, "flood");
            t.start();
            return () -> {
            };
        }
    }

    @Test
    void whatAGatewayKeepsOfOneTurnIsBoundedAndTheClientStillSaysItWasCut() throws Exception {
        Flood flood = new Flood();
        TestGateway fixture = gateways.in(home);
        fixture.start(flood);
        AttachedSession s = await(fixture.client("laptop").createSession(fixture.gateway.localEndpoint(), "flood"));
        await(s.submit("go"));
        Await.until("the turn's end", WAIT, () -> s.model().rows().size() == 2 && s.model().activity() == SessionActivity.IDLE);
        assertEquals(3L * SessionModel.MAX_TURN_CHARS, flood.offered.get());

        List<TranscriptRow> stored = await(s.connection().history(s.sessionId())).messages();
        String kept = stored.get(stored.size() - 1).text();
        assertTrue(kept.length() > SessionModel.MAX_TURN_CHARS, "more than a client keeps, so it sees the cut");
        assertTrue(kept.length() <= SessionModel.MAX_TURN_CHARS + 64 * 1024, "bounded: " + kept.length());
        TranscriptRow shown = s.model().rows().get(1);
        assertTrue(shown.truncated(), "the client says the turn was cut");
        assertTrue(shown.text().length() <= SessionModel.MAX_TURN_CHARS);
    }
}
