package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.protocol.EventTypes;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.PromptResult;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.SessionHost;
import org.agentchannels.gateway.internal.store.StoreWriter;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.tests.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that stalls does not stall a session's viewers: the store is written on its own thread, never under
 * the session's fan-out lock. And what a client is told is stored is stored: a prompt's acknowledgement waits
 * for its row to be committed.
 */
class SlowStoreTest {

    @TempDir
    Path home;

    private StoreWriter store;
    private SessionHost host;
    private final CountDownLatch diskStalled = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        diskStalled.countDown();
        if (host != null) {
            host.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void viewersGetEveryEventWhileTheStoreStallsAndThePromptIsAcknowledgedOnlyOnceStored() throws Exception {
        TranscriptStore transcripts = new TranscriptStore(new GatewayHome(home).database());
        store = new StoreWriter(transcripts);
        ScriptedAgent agent = new ScriptedAgent();
        host = new SessionHost(store, agent, "desktop", Clock.systemUTC());
        FrameCodec codec = new FrameCodec();
        List<Frame.Event> seen = new CopyOnWriteArrayList<>();
        Client viewer = new Client(text -> {
            if (codec.decode(text) instanceof Frame.Event e) {
                seen.add(e);
            }
        });
        String id = host.sessions().create(viewer, "slow disk", List.of(), "phone", "").sessionId();

        // the disk stalls: the store thread is busy until the test lets it go
        CompletableFuture<Void> stall = store.write("a stalled disk", s -> {
            try {
                diskStalled.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<PromptResult> acknowledged = CompletableFuture.supplyAsync(() -> {
            try {
                return host.turns().submit(viewer, id, "write the docs", "laptop", "sub-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ScriptedAgent.ScriptedTurn turn = agent.next();
        turn.say("Writing ", "the docs.");
        turn.finish();
        Await.until("the whole turn at the viewer", WAIT,
                () -> seen.stream().anyMatch(e -> e.type().equals(EventTypes.MESSAGE_COMPLETE)));
        assertEquals(List.of("Writing ", "the docs."), seen.stream().filter(e -> e.type().equals(EventTypes.MESSAGE_DELTA))
                .map(e -> e.payload().get("text").getAsString()).toList());
        assertFalse(acknowledged.isDone(), "the prompt is not acknowledged before its row is stored");
        // what is committed, read over a connection of its own: the store's is the store thread's alone
        try (TranscriptStore disk = new TranscriptStore(new GatewayHome(home).database())) {
            assertTrue(disk.messages(disk.list(1).get(0).id()).isEmpty(), "the disk has not been written yet");
        }

        diskStalled.countDown();
        stall.get(30, TimeUnit.SECONDS);
        assertEquals(PromptResult.streaming(), acknowledged.get(30, TimeUnit.SECONDS));
        Await.until("the turn stored", WAIT, () -> {
            try {
                return transcripts.messages(transcripts.list(1).get(0).id()).size() == 2;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(List.of(TranscriptRow.user("write the docs", "laptop"),
                TranscriptRow.assistant("Writing the docs.", "", "complete")),
                transcripts.messages(transcripts.list(1).get(0).id()));
    }
}
