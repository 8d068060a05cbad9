package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.awaitIdle;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.PromptContext;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.internal.acp.AgentCommands;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.agentchannels.tests.gateway.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;


/** An ACP agent behind a real gateway: a scripted agent process speaking ACP v1 on its standard streams. */
@SuppressWarnings("resource") // the fixture closes what it opens
class AcpAgentTest {

    @TempDir
    Path home;

    @TempDir
    Path scripts;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;

    private AttachedSession session(String scenario, Duration startTimeout) throws Exception {
        fixture = gateways.in(home);
        fixture.start(new AcpAgent(ScriptedAcpAgents.command(scenario, scripts), home.resolve("workspace"), startTimeout));
        return attach(fixture.client("laptop"), create());
    }

    private String create() throws Exception {
        GatewayConnection c = await(fixture.client("creator").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        return await(c.createSession("", List.of())).sessionId();
    }

    private AttachedSession attach(StandaloneGatewayConnector device, String id) throws Exception {
        return await(device.attach(fixture.gateway.localEndpoint(), id, ""));
    }

    private static TranscriptRow last(AttachedSession s) {
        List<TranscriptRow> rows = s.model().rows();
        return rows.get(rows.size() - 1);
    }

    @Test
    void answersAndReasoningStreamFromTheAgentWhichKeepsItsOwnMemoryAcrossTurns() throws Exception {
        AttachedSession s = session("text", AcpAgent.START_TIMEOUT);
        Await.until("the agent started with the session, ahead of its first prompt", WAIT, () -> agentProcesses("text") == 1);
        await(s.submit("hello"));
        awaitIdle(s, 2);
        assertEquals(TranscriptRow.assistant("You said: hello (turn 1)", "thinking about it", "complete"), s.model().rows().get(1));
        await(s.submit("again"));
        awaitIdle(s, 4);
        // the same agent process and ACP session: it counts the turns itself
        assertEquals("You said: again (turn 2)", s.model().rows().get(3).text());
        assertTrue(Files.isDirectory(home.resolve("workspace")), "the session's working directory is created");
    }

    @Test
    void aPermissionRequestGoesToEveryDeviceWithTheAgentsOptionsAndTheFirstAnswerWins() throws Exception {
        AttachedSession laptop = session("tool", AcpAgent.START_TIMEOUT);
        AttachedSession phone = attach(fixture.client("phone"), laptop.sessionId());
        await(laptop.submit("ls"));
        Await.until("the request on both devices", WAIT, () -> laptop.model().activity() == SessionActivity.NEEDS_INPUT
                && phone.model().activity() == SessionActivity.NEEDS_INPUT);
        InputRequest request = phone.model().pendingInputs().get(0);
        assertEquals(InputRequest.Kind.APPROVAL, request.kind());
        assertEquals("Run ls", request.prompt());
        assertEquals(List.of("Allow once", "Always allow", "Reject"), request.choices());
        TranscriptRow tool = laptop.model().rows().get(1);
        assertEquals(TranscriptRow.tool("Run ls", "execute: /work/project", ToolCall.PENDING, new ToolCall("call-1", "execute",
                "", List.of(), List.of(new ToolCall.Location("/work/project", 0)), false)), tool);

        // a choice the agent did not offer is refused and leaves the request waiting for every device
        GatewayException typo = failure(phone.answer(request, "Allow onse"));
        assertEquals(4002, typo.code(), typo.getMessage());
        assertEquals(SessionActivity.NEEDS_INPUT, laptop.model().activity());
        await(phone.answer(request, "Allow once"));
        awaitIdle(laptop, 3);
        assertEquals("ran it (allow)", last(laptop).text());
        Await.until("resolved on the phone too", WAIT, () -> phone.model().pendingInputs().isEmpty());
        Await.until("the laptop told who answered", WAIT, () -> laptop.model().lastResolution() != null);
        assertEquals(new SessionModel.Resolution(request, "phone", "Allow once"), laptop.model().lastResolution());
        // the laptop's late answer to the same request finds it answered: nothing reaches the agent twice
        assertThrows(Exception.class, () -> await(laptop.answer(request, "Reject")));

        // a Hermes client's approval word picks the option of that kind
        await(laptop.submit("rm"));
        Await.until("the second request", WAIT, () -> laptop.model().activity() == SessionActivity.NEEDS_INPUT);
        await(laptop.answer(laptop.model().pendingInputs().get(0), "deny"));
        awaitIdle(laptop, 6);
        assertEquals("did not run it", last(laptop).text());
    }

    @Test
    void anInterruptWhileAPermissionIsPendingAnswersItCancelled() throws Exception {
        AttachedSession s = session("tool", AcpAgent.START_TIMEOUT);
        await(s.submit("deploy"));
        Await.until("the request", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        await(s.interrupt());
        awaitIdle(s, 3);
        assertEquals("interrupted", last(s).status());
        assertTrue(s.model().pendingInputs().isEmpty());
        // the call the turn left pending will never run: it ends failed, for every device and in the store
        assertEquals(ToolCall.FAILED, s.model().rows().get(1).status());
        assertEquals(ToolCall.FAILED, await(s.connection().history(s.sessionId())).messages().get(1).status());
    }

    @Test
    void anInterruptMidStreamSendsSessionCancelAndTheAgentEndsTheTurnCancelled() throws Exception {
        AttachedSession s = session("slow", AcpAgent.START_TIMEOUT);
        await(s.submit("go"));
        Await.until("streaming", WAIT, () -> s.model().streamingText().contains("word1 "));
        await(s.interrupt());
        awaitIdle(s, 2);
        assertEquals("interrupted", last(s).status());
        assertFalse(last(s).text().contains("word599"), "the agent stopped streaming when cancelled");
    }

    @Test
    void anAgentThatDiesMidTurnEndsItAsAnErrorWithTheEndOfItsStderrAndTheNextPromptStartsItAgain() throws Exception {
        AttachedSession s = session("crash", AcpAgent.START_TIMEOUT);
        await(s.submit("boom"));
        awaitIdle(s, 2);
        TranscriptRow failed = s.model().rows().get(1);
        assertEquals("error", failed.status());
        assertEquals("half an answer", failed.text());
        Await.until("the error text", WAIT, () -> s.model().lastError().contains("fatal: the model exploded"));
        await(s.submit("boom again"));
        awaitIdle(s, 5);
        // an agent that can neither load nor resume its session starts a new one: the transcript says so first
        assertEquals(TranscriptRow.SYSTEM, s.model().rows().get(3).role());
        assertEquals("half an answer", s.model().rows().get(4).text(), "a new agent process took the second prompt");
    }

    @Test
    void garbageAndOverlongLinesAreSkippedAndTheTurnGoesOn() throws Exception {
        AttachedSession s = session("garbage", AcpAgent.START_TIMEOUT);
        await(s.submit("hi"));
        awaitIdle(s, 2);
        assertEquals(TranscriptRow.assistant("still here", "", "complete"), s.model().rows().get(1));
    }

    @Test
    void anAgentThatNeverAnswersInitializeEndsTheTurnInsteadOfHanging() throws Exception {
        AttachedSession s = session("hang-init", Duration.ofSeconds(3));
        await(s.submit("hi"));
        awaitIdle(s, 2);
        assertEquals("error", s.model().rows().get(1).status());
        assertTrue(s.model().rows().get(1).text().contains("did not start in time"), s.model().rows().get(1).text());
    }

    @Test
    void signInRequiredAndRefusalsAreReadableErrors() throws Exception {
        AttachedSession s = session("auth", AcpAgent.START_TIMEOUT);
        await(s.submit("hi"));
        // the session goes on needing sign-in (AcpLifecycleTest): the turn ends, it does not hang
        Await.until("the turn's end", WAIT, () -> s.model().rows().size() == 2 && !s.model().isTurnRunning());
        assertEquals("the agent needs sign-in on the gateway's device: Run 'scripted login' in a terminal",
                s.model().rows().get(1).text());
        fixture.close();

        AttachedSession refused = session("refusal", AcpAgent.START_TIMEOUT);
        await(refused.submit("hi"));
        awaitIdle(refused, 2);
        assertEquals("the agent refused to go on with this prompt", refused.model().rows().get(1).text());
    }

    @Test
    void anAgentThatIgnoresTheEndOfItsInputIsKilledWhenTheSessionCloses() throws Exception {
        AttachedSession s = session("ignore-eof", AcpAgent.START_TIMEOUT);
        await(s.submit("hi"));
        awaitIdle(s, 2);
        assertEquals(1, agentProcesses("ignore-eof"));
        await(s.connection().closeSession(s.sessionId()));
        Await.until("the agent process gone", WAIT, () -> agentProcesses("ignore-eof") == 0);
    }

    /** The running scripted agents of this test JVM that play {@code scenario}. */
    private static long agentProcesses(String scenario) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(scenario)).orElse(false)).count();
    }

    @Test
    void aSessionWorksInTheDirectoryItAskedForInsideTheWorkspacesAndNowhereElse() throws Exception {
        Path root = Files.createDirectories(home.resolve("workspaces/main"));
        Path project = Files.createDirectories(root.resolve("project")).toRealPath();
        Path outside = Files.createDirectories(scripts.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        fixture = gateways.in(home);
        fixture.start(new AcpAgent(ScriptedAcpAgents.command("pwd", scripts), home.resolve("unused"), AcpAgent.START_TIMEOUT),
                "--workspace", root + java.io.File.pathSeparator + home.resolve("workspaces/second"));
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        AttachedSession s = await(laptop.createSession(fixture.gateway.localEndpoint(), "", project.toString()));
        await(s.submit("where"));
        awaitIdle(s, 2);
        assertEquals("session/new cwd " + project + ", process in " + project, s.model().rows().get(1).text());

        AttachedSession first = await(laptop.createSession(fixture.gateway.localEndpoint(), "", ""));
        await(first.submit("where"));
        awaitIdle(first, 2);
        assertTrue(first.model().rows().get(1).text().endsWith("process in " + root.toRealPath()), "no cwd: the first workspace");

        int before = await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint())).liveSessions().get().size();
        for (String refused : List.of("relative/dir", outside.toString(), root.resolve("escape").toString(),
                root.resolve("missing").toString(), root.resolve("project/../../..").toString())) {
            GatewayException e = failure(laptop.createSession(fixture.gateway.localEndpoint(), "", refused));
            assertEquals(4002, e.code(), refused + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("cwd"), e.getMessage());
        }
        assertEquals(before, await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint())).liveSessions().get().size(),
                "a refused cwd creates no session");
    }

    @Test
    void contextSentFromAnEditorReachesAnAgentThatTakesEmbeddedContextAsResources() throws Exception {
        PromptContext selection = new PromptContext("src/Foo.java", 3, 4, "java", "int a;\nint b;");
        PromptContext whole = new PromptContext("/etc/motd", 0, 0, "", "hello");
        String prompt = "Why?\n\n" + selection.fenced() + "\n\nand\n\n" + whole.fenced();
        AttachedSession s = session("context", AcpAgent.START_TIMEOUT);
        await(s.submit(prompt));
        awaitIdle(s, 2);
        Path cwd = home.resolve("workspace").toRealPath();
        assertEquals("blocks: text resource text resource uri=" + cwd.resolve("src/Foo.java").toUri() + "#L3-L4 uri=file:///etc/motd",
                s.model().rows().get(1).text());
        assertEquals(prompt, s.model().rows().get(0).text(), "every device sees the prompt as it was written");
    }

    @Test
    void anAgentThatTakesNoEmbeddedContextGetsTheFencedBlocksInItsText() throws Exception {
        String prompt = "Why?\n\n" + new PromptContext("src/Foo.java", 3, 4, "java", "int a;").fenced();
        AttachedSession s = session("text", AcpAgent.START_TIMEOUT);
        await(s.submit(prompt));
        awaitIdle(s, 2);
        assertEquals("You said: " + prompt + " (turn 1)", s.model().rows().get(1).text());
    }

    @Test
    void aMissingAgentProgramIsAClearErrorNamingWhatToInstall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentCommands.resolve("opencode", "", Map.of("PATH", scripts.toString())));
        assertEquals("the agent program 'opencode' was not found on this machine's PATH: install it"
                + " (npm install -g opencode-ai), or give its full path with --acp-command", e.getMessage());
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), AgentCommands.resolve("acp", "/bin/sh -c 'echo hi'", Map.of()));
    }
}
