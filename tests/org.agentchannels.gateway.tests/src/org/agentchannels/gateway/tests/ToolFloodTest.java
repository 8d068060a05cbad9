package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.ToolCall;
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

    /** One row's detail at most (TurnSink.MAX_ROW_DETAIL), a turn's rows' together (MAX_TURN_DETAIL). */
    private static final long ROW_DETAIL = 1024 * 1024;
    private static final long TURN_DETAIL = 4L * 1024 * 1024;
    private static final int UPDATES = 200;

    /**
     * Six edits of 4 Mi characters of diffs each, then one of them changed {@value #UPDATES} times (each change
     * a whole 1 Mi row), while no client is attached; started when {@code go} opens.
     */
    private static final class BigEdits implements Agent {
        final CountDownLatch go = new CountDownLatch(1);
        private final String side = "y".repeat(256 * 1024);

        @Override
        public String model() {
            return "big edits";
        }

        private ToolCall edit(String id, String firstPath) {
            List<ToolCall.Diff> diffs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                diffs.add(new ToolCall.Diff(i == 0 ? firstPath : "/w/" + id + "-" + i, side, side));
            }
            return new ToolCall(id, "edit", "", diffs, List.of(), false);
        }

        @Override
        public Turn start(Request request, Sink sink) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int c = 0; c < 6; c++) {
                    sink.tool("Edit " + c, "edit", ToolCall.PENDING, edit("c" + c, "/w/first"));
                }
                for (int i = 0; i < UPDATES; i++) {
                    sink.tool("Edit 0", "edit", ToolCall.IN_PROGRESS, edit("c0", "/w/" + i));
                }
                sink.tool("Edit 1", "edit", ToolCall.COMPLETED, edit("c1", "/w/first"));
                sink.delta("done");
                sink.complete(Result.complete(null));
            }, "big-edits");
            t.start();
            return () -> {
            };
        }
    }

    @Test
    void aTurnsToolDetailAndTheUpdatesItSendsAndStoresStayWithinTheirBounds() throws Exception {
        TestGateway fixture = gateways.in(home);
        BigEdits agent = new BigEdits();
        fixture.start(agent);
        StandaloneGatewayConnector sender = fixture.client("laptop");
        AttachedSession s = await(sender.createSession(fixture.gateway.localEndpoint(), "edits"));
        await(s.submit("go"));
        sender.close(); // nobody attached while it runs: what it sends is counted, not read
        agent.go.countDown();
        GatewayConnection c = await(fixture.client("phone").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        Await.until("the end of the turn", WAIT, () -> {
            List<TranscriptRow> rows = c.history(s.sessionId()).join().messages();
            return rows.get(rows.size() - 1).role().equals(TranscriptRow.ASSISTANT);
        });
        List<TranscriptRow> tools = await(c.history(s.sessionId())).messages().stream()
                .filter(r -> r.role().equals(TranscriptRow.TOOL)).toList();
        assertEquals(6, tools.size());
        long total = 0;
        for (TranscriptRow row : tools) {
            assertTrue(row.tool().chars() <= ROW_DETAIL, row.toolName() + ": " + row.tool().chars());
            assertTrue(row.tool().truncated(), row.toolName() + " was cut, and says so");
            total += row.tool().chars();
        }
        assertTrue(total <= TURN_DETAIL, "the turn's rows hold " + total);
        assertTrue(tools.get(5).tool().chars() < ROW_DETAIL, "the last rows get what room is left");
        // the changes past the turn's update budget waited for its end: the last one is what is kept
        assertEquals("/w/" + (UPDATES - 1), tools.get(0).tool().diffs().get(0).path());
        assertEquals(ToolCall.IN_PROGRESS, tools.get(0).status());
        assertEquals(ToolCall.COMPLETED, tools.get(1).status(), "a call's end goes past the budget");

        // the events numbered: far fewer than one per change (each change of c0 is a whole 1 Mi row)
        SessionSnapshot snapshot = await(c.activate(s.sessionId(), "", -1));
        assertEquals(tools, snapshot.messages().stream().filter(r -> r.role().equals(TranscriptRow.TOOL)).toList(),
                "stored as kept");
        assertTrue(snapshot.lastSeq() < UPDATES / 2, "events: " + snapshot.lastSeq());
    }

    /** Each turn two reads of 800 Ki characters of detail, within what a turn keeps. */
    private static final class BigReads implements Agent {
        private final String side = "z".repeat(200 * 1024);
        private int turn;

        @Override
        public String model() {
            return "big reads";
        }

        @Override
        public synchronized Turn start(Request request, Sink sink) {
            int n = ++turn;
            for (int c = 0; c < 2; c++) {
                List<ToolCall.Diff> diffs = List.of(new ToolCall.Diff("/w/a", side, side), new ToolCall.Diff("/w/b", side, side));
                sink.tool("Read " + n + "." + c, "read", ToolCall.COMPLETED, new ToolCall("r" + c, "read", "", diffs, List.of(), false));
            }
            sink.complete(Result.complete(null));
            return () -> {
            };
        }
    }

    @Test
    void aSnapshotCarriesTheNewestToolDetailWholeAndCutsTheOldestSoThatItFitsOneFrame() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new BigReads());
        AttachedSession s = await(fixture.client("laptop").createSession(fixture.gateway.localEndpoint(), "reads"));
        for (int turn = 1; turn <= 3; turn++) {
            await(s.submit("read " + turn));
            int rows = 4 * turn;
            Await.until(rows + " rows", WAIT, () -> s.model().rowCount() == rows && s.model().activity() == SessionActivity.IDLE);
        }
        GatewayConnection c = await(fixture.client("phone").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        SessionSnapshot snapshot = await(c.activate(s.sessionId(), "", -1));
        List<TranscriptRow> tools = snapshot.messages().stream().filter(r -> r.role().equals(TranscriptRow.TOOL)).toList();
        assertEquals(6, tools.size());
        assertTrue(tools.get(0).tool().truncated(), "the oldest row's detail is cut");
        for (TranscriptRow row : tools.subList(1, 6)) {
            assertFalse(row.tool().truncated(), row.toolName() + " is whole");
            assertEquals(2, row.tool().diffs().size());
        }
        assertTrue(tools.stream().mapToLong(r -> r.tool().chars()).sum() <= TURN_DETAIL);
        assertEquals(tools, await(c.history(s.sessionId())).messages().stream()
                .filter(r -> r.role().equals(TranscriptRow.TOOL)).toList(), "the history fits one frame the same way");
        assertEquals("Read 1.0", tools.get(0).toolName(), "its title and status stay");
        assertEquals(ToolCall.COMPLETED, tools.get(0).status());
    }
}
