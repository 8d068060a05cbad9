package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hostile gateway that streams one turn without end: the client keeps at most {@link SessionModel#MAX_TURN_CHARS}
 * of it however long it goes on, and the turn's row says it was cut.
 */
@SuppressWarnings("resource") // the fixture closes what it tracks
class EndlessTurnTest {

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    @Test
    void aTurnStreamedWithoutEndIsKeptWithinTheBudgetAndMarkedCut() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("hostile"));
        FakeSessionHost host = new FakeSessionHost(gw, true);
        gw.start();
        host.add("s1", "k1");
        AttachedSession session = await(fixture.connector("laptop").attach(fixture.trust(gw.endpoint()), "s1", "k1"));
        SessionModel model = session.model();
        host.startTurn("s1", "tell me everything", "laptop", "");
        Await.until("the turn to start", WAIT, () -> model.isStreaming());

        // streams for as long as it is let, never more than 16 deltas ahead of what the client applied
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong(model.lastSeq());
        String chunk = "y".repeat(64 * 1024);
        CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                if (sent.get() - model.lastSeq() < 16) {
                    host.delta("s1", "d" + i + ":" + chunk);
                    sent.incrementAndGet();
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        Await.until("the client to stop keeping the turn", WAIT, model::isStreamTruncated);
        long cutAt = model.lastSeq();
        String kept = model.streamingText();
        Await.until("another 6 MiB to arrive", WAIT, () -> model.lastSeq() >= cutAt + 100);
        stop.set(true);
        streaming.get(20, TimeUnit.SECONDS);
        assertEquals(kept, model.streamingText(), "nothing more was kept");
        assertTrue(kept.length() <= SessionModel.MAX_TURN_CHARS && kept.length() > SessionModel.MAX_TURN_CHARS - 70_000,
                "kept " + kept.length());
        assertTrue(kept.startsWith("d0:y"));

        host.emit(host.session("s1"), new GatewayEvent.MessageComplete("", "complete", "", "", null));
        Await.until("the end of the turn", WAIT, () -> model.rowCount() == 2);
        TranscriptRow row = model.rows().get(1);
        assertTrue(row.truncated(), "the row says it was cut");
        assertEquals(kept, row.text());
    }
}
