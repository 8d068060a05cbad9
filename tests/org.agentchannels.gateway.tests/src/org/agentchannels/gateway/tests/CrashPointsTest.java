package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.SessionHost;
import org.agentchannels.gateway.internal.store.StoreWriter;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;

/**
 * A gateway dying at each write to its database, one write point after another: a trigger of the store's connection
 * makes the N-th write statement fail and every one after it (as a dead process writes nothing more), the session
 * host is dropped without a clean stop, and the database is opened again, twice, as two starts after the crash would.
 * Each turn transition is one transaction, so every crash leaves whole transitions only: no user row twice, no
 * prompt without an answer, no spurious interrupted row, and the second start finds nothing left to repair.
 */
class CrashPointsTest {

    @TempDir
    Path dir;

    /** The write statements a crash point counts: every insert, update and delete of the store's tables. */
    private static final List<String> WRITES = List.of("INSERT ON main.messages", "UPDATE ON main.messages",
            "DELETE ON main.messages", "INSERT ON main.sessions", "UPDATE ON main.sessions",
            "INSERT ON main.pending_prompts", "DELETE ON main.pending_prompts");
    private static final long NEVER = Long.MAX_VALUE / 2;

    /**
     * A store whose connection dies at the {@code remaining}-th write statement from now: that one fails, and so
     * does every later one (the count lives in this process, outside the transactions a failure rolls back).
     */
    private static TranscriptStore open(Path db, AtomicLong remaining) throws SQLException {
        return new TranscriptStore(db, c -> {
            Function.create(c, "crash_point", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(remaining.decrementAndGet() <= 0 ? 1 : 0);
                }
            });
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < WRITES.size(); i++) {
                    s.execute("CREATE TEMP TRIGGER crash_" + i + " BEFORE " + WRITES.get(i) + " BEGIN"
                            + " SELECT RAISE(ABORT, 'the gateway died here') WHERE crash_point() = 1; END");
                }
            }
        });
    }

    private record Run(String storedId, List<String> acknowledged) {
    }

    /**
     * Prompts A (runs), B and C (queued behind it); A and B are answered, C is still running when the gateway
     * dies (if no write killed it earlier). Every write is waited for, so the crash point is exact.
     */
    private static Run scenario(Path db, AtomicLong remaining, long crashAt) throws Exception {
        TranscriptStore transcripts = open(db, remaining);
        StoreWriter store = new StoreWriter(transcripts);
        ScriptedAgent agent = new ScriptedAgent();
        SessionHost host = new SessionHost(store, agent, "desktop", Clock.systemUTC());
        Client client = new Client(text -> {
        });
        List<String> acknowledged = new ArrayList<>();
        String storedId;
        try {
            var created = host.sessions().create(client, "crash", List.of(), "laptop", "");
            storedId = created.sessionKey();
            String id = created.sessionId();
            remaining.set(crashAt); // counted from the first prompt on
            for (String prompt : List.of("A", "B", "C")) {
                try {
                    host.turns().submit(client, id, prompt, "laptop", "sub-" + prompt);
                    acknowledged.add(prompt);
                } catch (RpcException e) {
                    // the store failed (the gateway "died"): not acknowledged
                }
            }
            for (String answer : List.of("a", "b")) {
                ScriptedAgent.ScriptedTurn turn = agent.next();
                turn.say(answer);
                turn.finish();
                flush(store);
            }
            agent.next(); // C runs when the gateway dies
            flush(store);
        } finally {
            store.close(); // no clean stop: nothing is interrupted, the connection just goes
        }
        return new Run(storedId, acknowledged);
    }

    private static void flush(StoreWriter store) throws Exception {
        store.submit("waiting for the writes before", s -> null).get(20, TimeUnit.SECONDS);
    }

    /** A start after the crash: the repair, then what a client would be served. */
    private static List<TranscriptRow> start(Path db, String storedId) throws SQLException {
        try (TranscriptStore store = new TranscriptStore(db)) {
            store.closeInterruptedTurns(2_000_000_000);
            assertTrue(store.pending(storedId).isEmpty(), "no prompt is left queued after a start");
            return store.messages(storedId);
        }
    }

    /** Whole transitions only: user rows once each, in order, each followed by exactly one answer. */
    private static void assertWhole(List<TranscriptRow> rows, List<String> acknowledged, String where) {
        List<String> users = new ArrayList<>();
        String last = "";
        for (TranscriptRow row : rows) {
            assertFalse(row.role().equals(last), where + ": two " + row.role() + " rows in a row: " + rows);
            if (TranscriptRow.USER.equals(row.role())) {
                users.add(row.text());
            }
            last = row.role();
        }
        assertTrue(rows.isEmpty() || TranscriptRow.ASSISTANT.equals(last), where + ": a prompt without an answer: " + rows);
        assertEquals(List.of("A", "B", "C").subList(0, users.size()), users, where + ": user rows once each, in order");
        assertTrue(users.containsAll(acknowledged), where + ": every acknowledged prompt is kept: " + rows);
    }

    @Test
    void aGatewayKilledAtAnyWriteLeavesWholeTransitionsAndTheRepairIsIdempotent() throws Exception {
        Path clean = Files.createDirectories(dir.resolve("clean")).resolve("sessions.db");
        AtomicLong counter = new AtomicLong(NEVER);
        Run full = scenario(clean, counter, NEVER);
        long writes = NEVER - counter.get();
        assertEquals(List.of(TranscriptRow.user("A", "laptop"), TranscriptRow.assistant("a", "", "complete"),
                TranscriptRow.user("B", "laptop"), TranscriptRow.assistant("b", "", "complete"),
                TranscriptRow.user("C", "laptop"), TranscriptRow.assistant("", "", "interrupted")), start(clean, full.storedId()));
        assertTrue(writes >= 12, "the scenario writes " + writes + " statements");

        for (long n = 1; n <= writes; n++) {
            Path db = Files.createDirectories(dir.resolve("crash-" + n)).resolve("sessions.db");
            Run run = scenario(db, new AtomicLong(NEVER), n);
            List<TranscriptRow> first = start(db, run.storedId());
            assertWhole(first, run.acknowledged(), "killed at write " + n);
            assertEquals(first, start(db, run.storedId()), "killed at write " + n + ": a second start changes nothing");
        }
    }

    @Test
    void aStartKilledDuringItsRepairRepairsWholeAtTheNextStart() throws Exception {
        Path template = Files.createDirectories(dir.resolve("template")).resolve("sessions.db");
        Run run = scenario(template, new AtomicLong(NEVER), NEVER);
        Path reference = Files.createDirectories(dir.resolve("reference")).resolve("sessions.db");
        Files.copy(template, reference);
        AtomicLong counter = new AtomicLong(NEVER);
        try (TranscriptStore store = open(reference, counter)) {
            store.closeInterruptedTurns(2_000_000_000);
        }
        long repairWrites = NEVER - counter.get();
        List<TranscriptRow> expected = start(reference, run.storedId());
        assertTrue(repairWrites >= 3, "the repair writes " + repairWrites + " statements");

        for (long n = 1; n <= repairWrites; n++) {
            Path db = Files.createDirectories(dir.resolve("repair-" + n)).resolve("sessions.db");
            Files.copy(template, db);
            long at = n;
            try (TranscriptStore store = open(db, new AtomicLong(n))) {
                assertThrows(SQLException.class, () -> store.closeInterruptedTurns(2_000_000_000), "killed at write " + at);
            }
            assertEquals(expected, start(db, run.storedId()), "killed at repair write " + n);
            assertEquals(expected, start(db, run.storedId()), "killed at repair write " + n + ", started twice");
        }
    }
}
