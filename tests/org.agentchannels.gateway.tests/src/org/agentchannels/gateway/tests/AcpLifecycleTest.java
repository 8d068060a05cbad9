package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.awaitIdle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.JDBC;

/**
 * An ACP agent's session across gateway restarts, agent crashes, slow starts and sign-ins, with the scripted
 * agent (a real process that keeps its sessions in files, as real agents keep theirs) behind a real gateway
 * started again on the same home.
 */
@SuppressWarnings("resource") // the fixtures close what they open
class AcpLifecycleTest {

    @TempDir
    Path home;

    @TempDir
    Path scripts;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;

    /** A gateway on {@code home} whose sessions' agent plays {@code scenario}; a client of it. */
    private StandaloneGatewayConnector start(String scenario) throws Exception {
        fixture = gateways.in(home);
        fixture.start(new AcpAgent(ScriptedAcpAgents.command(scenario, scripts), home.resolve("workspace"),
                AcpAgent.START_TIMEOUT));
        return fixture.client("laptop");
    }

    private String endpoint() {
        return fixture.gateway.localEndpoint();
    }

    /** Where the scripted agent of a session in the first workspace keeps its files and reads its signals. */
    private Path agentState() throws Exception {
        return Files.createDirectories(home.resolve("workspace").toRealPath().resolve(".scripted-agent"));
    }

    private static TranscriptRow answer(String text) {
        return TranscriptRow.assistant(text, "thinking about it", "complete");
    }

    /** A session with two turns; returns its rows. */
    private static List<TranscriptRow> twoTurns(AttachedSession s) throws Exception {
        await(s.submit("one"));
        awaitIdle(s, 2);
        await(s.submit("two"));
        awaitIdle(s, 4);
        List<TranscriptRow> rows = List.of(TranscriptRow.user("one", "laptop"), answer("You said: one (turn 1)"),
                TranscriptRow.user("two", "laptop"), answer("You said: two (turn 2)"));
        assertEquals(rows, s.model().rows());
        return rows;
    }

    private static List<TranscriptRow> plus(List<TranscriptRow> rows, TranscriptRow... more) {
        List<TranscriptRow> all = new ArrayList<>(rows);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * After a restart the session is reopened with session/load, whose replay of the two turns (prompts, reasoning,
     * a tool call, answers) comes before its answer or after it: none of it is added or streamed, and a prompt sent
     * while the agent still loads is answered by an agent that remembers the earlier turns.
     */
    @ParameterizedTest
    @ValueSource(strings = { "load-before", "load-after" })
    void aRestartedGatewayReopensTheAgentsSessionWithLoadAndDropsItsReplay(String scenario) throws Exception {
        AttachedSession s = await(start(scenario).createSession(endpoint(), "", ""));
        String stored = s.sessionKey();
        List<TranscriptRow> before = twoTurns(s);
        fixture.close();

        AttachedSession resumed = await(start(scenario).attach(endpoint(), "", stored));
        assertEquals(before, resumed.model().rows(), "the hydrated transcript, every row once");
        await(resumed.submit("three")); // at once: the agent may still be loading, and replaying
        awaitIdle(resumed, 6);
        List<TranscriptRow> expected = plus(before, TranscriptRow.user("three", "laptop"), answer("You said: three (turn 3)"));
        assertEquals(expected, resumed.model().rows());
        AttachedSession phone = await(fixture.client("phone").attach(endpoint(), resumed.sessionId(), stored));
        assertEquals(expected, phone.model().rows(), "the gateway's own transcript has nothing twice either");
    }

    @Test
    void anAgentThatOnlyResumesIsReopenedWithResume() throws Exception {
        AttachedSession s = await(start("resume-only").createSession(endpoint(), "", ""));
        String stored = s.sessionKey();
        List<TranscriptRow> before = twoTurns(s);
        fixture.close();

        AttachedSession resumed = await(start("resume-only").attach(endpoint(), "", stored));
        await(resumed.submit("three"));
        awaitIdle(resumed, 6);
        assertEquals(plus(before, TranscriptRow.user("three", "laptop"), answer("You said: three (turn 3)")),
                resumed.model().rows());
    }

    /**
     * An agent that can neither load nor resume, and one whose load fails, get a new session after the restart;
     * the transcript says once that the agent no longer remembers the earlier turns.
     */
    @ParameterizedTest
    @ValueSource(strings = { "no-load", "load-missing" })
    void anAgentThatCannotReopenItsSessionStartsANewOneAndTheTranscriptSaysSo(String scenario) throws Exception {
        AttachedSession s = await(start(scenario).createSession(endpoint(), "", ""));
        String stored = s.sessionKey();
        List<TranscriptRow> before = twoTurns(s);
        fixture.close();

        AttachedSession resumed = await(start(scenario).attach(endpoint(), "", stored));
        awaitIdle(resumed, 5);
        TranscriptRow note = resumed.model().rows().get(4);
        assertEquals(TranscriptRow.SYSTEM, note.role());
        assertEquals(GatewayEvent.SystemNote.AGENT_FORGOT, note.status());
        assertTrue(note.text().contains("no longer remembers the earlier turns"), note.text());
        await(resumed.submit("three"));
        awaitIdle(resumed, 7);
        List<TranscriptRow> expected = plus(before, note, TranscriptRow.user("three", "laptop"),
                answer("You said: three (turn 1)"));
        assertEquals(expected, resumed.model().rows());
        fixture.close();

        // the note is stored, once; the new agent session is the one reopened next time (it cannot: a second note)
        AttachedSession again = await(start(scenario).attach(endpoint(), "", stored));
        awaitIdle(again, 8);
        assertEquals(expected, again.model().rows().subList(0, 7));
        assertEquals(GatewayEvent.SystemNote.AGENT_FORGOT, again.model().rows().get(7).status());
    }

    /** A session whose directory the restarted gateway no longer offers goes on in its first workspace, anew. */
    @Test
    void aSessionWhoseDirectoryIsNoLongerAWorkspaceGoesOnInTheFirstOneInANewAgentSession() throws Exception {
        Path project = Files.createDirectories(home.resolve("old/project")).toRealPath();
        Path other = Files.createDirectories(home.resolve("other")).toRealPath();
        fixture = gateways.in(home);
        fixture.start(new AcpAgent(ScriptedAcpAgents.command("load-before", scripts), home.resolve("unused"),
                AcpAgent.START_TIMEOUT), "--workspace", home.resolve("old").toString());
        AttachedSession s = await(fixture.client("laptop").createSession(endpoint(), "", project.toString()));
        String stored = s.sessionKey();
        await(s.submit("one"));
        awaitIdle(s, 2);
        assertTrue(Files.isDirectory(project.resolve(".scripted-agent")), "the agent worked in the session's directory");
        fixture.close();

        fixture = gateways.in(home);
        fixture.start(new AcpAgent(ScriptedAcpAgents.command("load-before", scripts), home.resolve("unused"),
                AcpAgent.START_TIMEOUT), "--workspace", other.toString());
        AttachedSession resumed = await(fixture.client("laptop").attach(endpoint(), "", stored));
        awaitIdle(resumed, 3);
        assertEquals(GatewayEvent.SystemNote.AGENT_FORGOT, resumed.model().rows().get(2).status());
        await(resumed.submit("two"));
        awaitIdle(resumed, 5);
        assertEquals(answer("You said: two (turn 1)"), resumed.model().rows().get(4));
        assertTrue(Files.isDirectory(other.resolve(".scripted-agent")), "its agent works in the first workspace now");
    }

    @Test
    void anAgentThatCrashedIsStartedAgainForTheNextPromptAndLoadsItsSession() throws Exception {
        AttachedSession s = await(start("load-before").createSession(endpoint(), "", ""));
        await(s.submit("one"));
        awaitIdle(s, 2);
        await(s.submit("crash"));
        awaitIdle(s, 4);
        assertEquals("error", s.model().rows().get(3).status());
        await(s.submit("two"));
        awaitIdle(s, 6);
        // the same agent session, loaded by the new process: it remembers the first turn; no note
        assertEquals(List.of(TranscriptRow.user("one", "laptop"), answer("You said: one (turn 1)"),
                TranscriptRow.user("crash", "laptop"), s.model().rows().get(3), TranscriptRow.user("two", "laptop"),
                answer("You said: two (turn 2)")), s.model().rows());
    }

    /** The same across a SIGKILL of a gateway process, its agent killed with it. */
    @Test
    void aKilledGatewayStartedAgainReopensTheSessionWithNothingDoubled() throws Exception {
        Path gatewayHome = home.resolve("gw");
        List<String> options = List.of("--device-name", "desktop", "--agent", "acp", "--acp-command",
                ScriptedAcpAgents.launchLine("load-after", scripts));
        GatewayProcess first = GatewayProcess.start(gatewayHome, options);
        String stored;
        List<TranscriptRow> before;
        try (StandaloneGatewayConnector laptop = client(first)) {
            AttachedSession s = await(laptop.createSession(first.endpoint(), "", ""));
            stored = s.sessionKey();
            before = twoTurns(s);
            // the turn's end is queued for the store before it is sent; a read behind it waits for its commit
            await(s.connection().storedSessions(10));
            first.kill();
        } finally {
            first.close();
        }
        GatewayProcess second = GatewayProcess.start(gatewayHome, options);
        try (StandaloneGatewayConnector laptop = client(second)) {
            AttachedSession resumed = await(laptop.attach(second.endpoint(), "", stored));
            assertEquals(before, resumed.model().rows());
            await(resumed.submit("three"));
            awaitIdle(resumed, 6);
            assertEquals(plus(before, TranscriptRow.user("three", "laptop"), answer("You said: three (turn 3)")),
                    resumed.model().rows());
        } finally {
            second.close();
        }
    }

    private static StandaloneGatewayConnector client(GatewayProcess gateway) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.endpoint(), gateway.token());
        return GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff());
    }

    /**
     * An agent slow to answer initialize shows its session as starting (to the device that made it, in the live
     * list and in presence), also while a prompt waits for it, and then answers the prompt.
     */
    @Test
    void aSessionWhoseAgentIsStillStartingShowsAsStartingUntilItIsReady() throws Exception {
        StandaloneGatewayConnector laptop = start("slow-init");
        AttachedSession s = await(laptop.createSession(endpoint(), "", ""));
        Await.until("starting", WAIT, () -> s.model().activity() == SessionActivity.STARTING);
        GatewayConnection c = s.connection();
        assertEquals("starting", live(c, s.sessionId()).status());
        Await.until("starting in presence", WAIT, () -> "starting".equals(presence(c, s.sessionId()).status()));
        await(s.submit("hi"));
        Await.until("the prompt running", WAIT, () -> s.model().isTurnRunning());
        assertEquals(SessionActivity.STARTING, s.model().activity(), "a prompt that waits for its agent shows it starting");
        AttachedSession phone = await(fixture.client("phone").attach(endpoint(), s.sessionId(), s.sessionKey()));
        assertEquals(SessionActivity.STARTING, phone.model().activity(), "a device attaching now sees it too");

        Files.createFile(agentState().resolve("release-init"));
        awaitIdle(s, 2);
        assertEquals(answer("You said: hi (turn 1)"), s.model().rows().get(1));
        assertEquals("idle", live(c, s.sessionId()).status());
        Await.until("idle in presence", WAIT, () -> "idle".equals(presence(c, s.sessionId()).status()));
    }

    /**
     * An agent that needs signing in makes its session "needs sign-in on desktop: what to do" everywhere; a prompt
     * meanwhile ends as an error saying so, never hangs; once signed in, the next prompt starts the agent and the
     * state goes.
     */
    @Test
    void anAgentThatNeedsSignInShowsWhereAndHowUntilAStartSucceeds() throws Exception {
        StandaloneGatewayConnector laptop = start("auth");
        AttachedSession s = await(laptop.createSession(endpoint(), "", ""));
        SignIn expected = new SignIn("desktop", "Run 'scripted login' in a terminal");
        Await.until("needs sign-in", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_SIGN_IN);
        assertEquals(expected, s.model().signIn());
        GatewayConnection c = s.connection();
        assertEquals("needs_sign_in", live(c, s.sessionId()).status());
        Await.until("needs sign-in in presence", WAIT, () -> expected.equals(presence(c, s.sessionId()).signIn())
                && "needs_sign_in".equals(presence(c, s.sessionId()).status()));
        AttachedSession phone = await(fixture.client("phone").attach(endpoint(), s.sessionId(), s.sessionKey()));
        assertEquals(expected, phone.model().signIn(), "a device attaching later is told as it hydrates");

        await(s.submit("hi"));
        Await.until("the turn's end", WAIT, () -> s.model().rows().size() == 2 && !s.model().isTurnRunning());
        assertEquals(TranscriptRow.assistant("the agent needs sign-in on the gateway's device: Run 'scripted login' in a terminal",
                "", "error"), s.model().rows().get(1));
        assertEquals(SessionActivity.NEEDS_SIGN_IN, s.model().activity(), "it stays until a start succeeds");

        Files.createFile(agentState().resolve("signed-in"));
        await(s.submit("again"));
        awaitIdle(s, 4);
        assertEquals(answer("You said: again (turn 1)"), s.model().rows().get(3));
        assertNull(s.model().signIn());
        Await.until("gone on the phone too", WAIT, () -> phone.model().activity() == SessionActivity.IDLE);
        Await.until("gone from presence", WAIT, () -> presence(c, s.sessionId()).signIn() == null);
    }

    @Test
    void anAgentThatOffersNoSignInMethodIsQuotedAsItSaidIt() throws Exception {
        AttachedSession s = await(start("auth-bare").createSession(endpoint(), "", ""));
        Await.until("needs sign-in", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_SIGN_IN);
        assertEquals(new SignIn("desktop", "Authentication required: run 'scripted login' on this machine"),
                s.model().signIn());
    }

    private static SessionSummary live(GatewayConnection c, String runtimeId) throws Exception {
        return await(c.liveSessions()).stream().filter(l -> l.id().equals(runtimeId)).findFirst().orElseThrow();
    }

    private static PresenceRecord presence(GatewayConnection c, String runtimeId) {
        try {
            return await(c.presence()).stream().filter(r -> r.sessionId().equals(runtimeId)).findFirst()
                    .orElse(new PresenceRecord(1, runtimeId, "", "", "", "", "", "", "", "", "", "", 0, "", 0, 0, 0));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A gateway home of an older gateway (no cwd, no agent session id) opens, and gets both columns. */
    @Test
    void anOlderGatewaysDatabaseGetsTheNewColumnsAndKeepsItsSessions() throws Exception {
        Path db = home.resolve("sessions.db");
        try (Connection old = new JDBC().connect(JDBC.PREFIX + db, new Properties()); Statement s = old.createStatement()) {
            s.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', started_at REAL NOT NULL,"
                    + " updated_at REAL NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,"
                    + " turn_open INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0)");
            s.execute("INSERT INTO sessions(id, title, started_at, updated_at) VALUES ('old-1', 'kept', 1, 2)");
        }
        try (TranscriptStore store = new TranscriptStore(db)) {
            TranscriptStore.StoredSession found = store.find("old-1").orElseThrow();
            assertEquals("kept", found.title());
            assertEquals("", found.cwd());
            assertEquals("", found.agentSessionId());
            store.setCwd("old-1", "/srv/work");
            store.setAgentSessionId("old-1", "ses_1");
        }
        try (TranscriptStore store = new TranscriptStore(db)) { // opened again: the columns are there already
            TranscriptStore.StoredSession found = store.find("old-1").orElseThrow();
            assertEquals("/srv/work", found.cwd());
            assertEquals("ses_1", found.agentSessionId());
        }
    }
}
