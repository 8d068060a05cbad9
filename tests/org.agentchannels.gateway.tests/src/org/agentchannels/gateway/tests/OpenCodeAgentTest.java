package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.internal.acp.AgentCommands;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FakeModelServer;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.OfflineOpenCode;
import org.agentchannels.tests.gateway.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A real agent, offline: OpenCode ({@code opencode acp}) behind a real gateway, its model a {@link
 * FakeModelServer} on loopback, shell commands set to ask for permission.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class OpenCodeAgentTest {

    /** A generous watchdog: OpenCode takes seconds to start, more on a busy machine. */
    private static final Duration AGENT_WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private FakeModelServer model;
    private TestGateway fixture;

    @AfterEach
    void stopModel() throws Exception {
        if (model != null) {
            model.close();
        }
    }

    /** The fake model's side of the conversation, chosen by what the user last said. */
    private static FakeModelServer.Reply reply(JsonObject body) {
        if (!body.has("tools")) {
            return new FakeModelServer.Text("", "A test session"); // OpenCode's request for a session title
        }
        List<JsonObject> messages = Json.objects(body, "messages");
        JsonObject last = messages.get(messages.size() - 1);
        if (Json.text(last, "role").equals("tool")) {
            return new FakeModelServer.Text("", "The command printed: " + content(last).strip());
        }
        String said = content(last);
        if (said.contains("run the tool")) {
            return new FakeModelServer.ToolCall("call_1", "bash", "{\"command\":\"echo hello-from-tool\"}");
        }
        if (said.contains("slowly")) {
            return new FakeModelServer.Text("", "word ".repeat(200), Duration.ofMillis(100));
        }
        return new FakeModelServer.Text("Let me think about this.", "Hello from the fake model.");
    }

    /** A message's text, whether its content is a string or a list of parts. */
    private static String content(JsonObject message) {
        JsonElement content = message.get("content");
        if (content != null && content.isJsonArray()) {
            StringBuilder text = new StringBuilder();
            content.getAsJsonArray().forEach(part -> text.append(Json.text(part.getAsJsonObject(), "text")));
            return text.toString();
        }
        return Json.text(message, "content");
    }

    private AttachedSession session() throws Exception {
        model = new FakeModelServer(OpenCodeAgentTest::reply);
        String base = model.start();
        List<String> command = OfflineOpenCode.command();
        Map<String, String> environment = new HashMap<>(OfflineOpenCode.environment(dir, base));
        environment.putAll(AgentCommands.environment(command, System.getenv()));
        fixture = gateways.in(dir.resolve("gateway"));
        fixture.start(new AcpAgent(command, environment, dir.resolve("project"), AcpAgent.START_TIMEOUT));
        GatewayConnection c = await(fixture.client("creator").ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        String id = await(c.createSession("", List.of())).sessionId();
        return await(fixture.client("laptop").attach(fixture.gateway.localEndpoint(), id, ""));
    }

    private static void awaitIdle(AttachedSession s, int rows) {
        Await.until(rows + " rows and idle", AGENT_WAIT,
                () -> s.model().rows().size() == rows && s.model().activity() == SessionActivity.IDLE);
    }

    private static TranscriptRow last(AttachedSession s) {
        List<TranscriptRow> rows = s.model().rows();
        return rows.get(rows.size() - 1);
    }

    private long toolRequests() {
        return model.requests().stream().filter(r -> r.has("tools")).count();
    }

    @Test
    void aTextTurnStreamsItsReasoningAndAnswer() throws Exception {
        AttachedSession s = session();
        await(s.submit("say hello"));
        awaitIdle(s, 2);
        TranscriptRow answer = s.model().rows().get(1);
        assertEquals("Hello from the fake model.", answer.text());
        assertEquals("Let me think about this.", answer.reasoning());
        assertEquals("complete", answer.status());
        assertTrue(model.requests().stream().anyMatch(r -> r.toString().contains("say hello")), "the prompt reached the model");
        // OpenCode offers its commands right after session/new, before any prompt: they are the session's
        Await.until("the commands OpenCode offers", AGENT_WAIT, () -> !s.model().commands().isEmpty());
    }

    @Test
    void twoDevicesRaceToApproveAShellCommandAndTheFirstAnswerRunsIt() throws Exception {
        AttachedSession laptop = session();
        AttachedSession phone = await(fixture.client("phone").attach(fixture.gateway.localEndpoint(), laptop.sessionId(), ""));
        await(laptop.submit("please run the tool"));
        Await.until("the approval on both devices", AGENT_WAIT, () -> laptop.model().activity() == SessionActivity.NEEDS_INPUT
                && phone.model().activity() == SessionActivity.NEEDS_INPUT);
        InputRequest approval = phone.model().pendingInputs().get(0);
        assertEquals(InputRequest.Kind.APPROVAL, approval.kind());
        assertEquals("echo hello-from-tool", approval.prompt());
        assertEquals(List.of("Allow once", "Always allow", "Reject"), approval.choices());
        await(phone.answer(approval, "Allow once"));
        assertThrows(Exception.class, () -> await(laptop.answer(approval, "Reject")), "the second answer finds it answered");
        Await.until("the answer after the command", AGENT_WAIT, () -> laptop.model().activity() == SessionActivity.IDLE
                && last(laptop).text().equals("The command printed: hello-from-tool"));
        assertTrue(laptop.model().rows().stream().anyMatch(r -> r.role().equals(TranscriptRow.TOOL)), "the tool call is a row");
        Await.until("resolved on the phone", AGENT_WAIT, () -> phone.model().pendingInputs().isEmpty()
                && last(phone).text().equals("The command printed: hello-from-tool"));
    }

    @Test
    void aShellCallIsOneToolRowUpdatedInPlaceFromPendingToCompletedWithItsOutput() throws Exception {
        AttachedSession s = session();
        await(s.submit("please run the tool"));
        Await.until("the approval", AGENT_WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        List<TranscriptRow> asked = toolRows(s);
        assertEquals(1, asked.size(), asked.toString());
        String id = asked.get(0).toolId();
        assertFalse(id.isEmpty(), "OpenCode's call id: the row is updated by it");
        assertFalse(ToolCall.isFinished(asked.get(0).status()), "not run before the answer: " + asked.get(0).status());
        await(s.answer(s.model().pendingInputs().get(0), "Allow once"));
        Await.until("the answer after the command", AGENT_WAIT, () -> s.model().activity() == SessionActivity.IDLE
                && last(s).text().equals("The command printed: hello-from-tool"));
        List<TranscriptRow> ran = toolRows(s);
        assertEquals(1, ran.size(), "updated in place, not appended: " + ran);
        TranscriptRow tool = ran.get(0);
        assertEquals(id, tool.toolId());
        assertEquals(ToolCall.COMPLETED, tool.status());
        assertTrue(tool.tool().content().contains("hello-from-tool"), tool.tool().content());
        assertEquals(s.model().rows(), await(s.connection().history(s.sessionId())).messages(), "stored as shown");
    }

    private static List<TranscriptRow> toolRows(AttachedSession s) {
        return s.model().rows().stream().filter(r -> r.role().equals(TranscriptRow.TOOL)).toList();
    }

    @Test
    void aRejectedCommandIsNotRunAndTheTurnEnds() throws Exception {
        AttachedSession s = session();
        await(s.submit("please run the tool"));
        Await.until("the approval", AGENT_WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        long before = toolRequests();
        await(s.answer(s.model().pendingInputs().get(0), "Reject"));
        Await.until("the end of the turn", AGENT_WAIT, () -> s.model().activity() == SessionActivity.IDLE
                && last(s).role().equals(TranscriptRow.ASSISTANT));
        assertEquals("complete", last(s).status());
        assertEquals(before, toolRequests(), "the model was not asked again: nothing ran");
    }

    @Test
    void aCancelMidStreamEndsTheTurnInterrupted() throws Exception {
        AttachedSession s = session();
        await(s.submit("answer slowly"));
        Await.until("streaming", AGENT_WAIT, () -> s.model().streamingText().contains("word"));
        await(s.interrupt());
        awaitIdle(s, 2);
        assertEquals("interrupted", last(s).status());
        assertTrue(last(s).text().length() < "word ".repeat(200).length(), "it stopped before the end");
    }

    /**
     * The gateway killed (OpenCode with it) and started again on its home: the session hydrates with every row
     * once, OpenCode (which advertises loadSession) reopens its session with session/load, whose replay adds
     * nothing, and the next prompt reaches the model with the earlier turn in its history.
     */
    @Test
    void aKilledGatewayStartedAgainReopensTheSessionInOpenCodeWithNothingDoubled() throws Exception {
        model = new FakeModelServer(OpenCodeAgentTest::reply);
        String base = model.start();
        // a gateway process inherits this JVM's environment: OpenCode's own goes on its launch line, through env
        Map<String, String> environment = new HashMap<>(OfflineOpenCode.environment(dir, base));
        environment.put("OPENCODE_SERVER_PASSWORD", "test-" + System.nanoTime());
        List<String> command = new ArrayList<>(List.of("/usr/bin/env"));
        environment.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(OfflineOpenCode.command());
        List<String> options = List.of("--device-name", "desktop", "--agent", "acp", "--acp-command",
                command.stream().map(w -> "'" + w + "'").collect(Collectors.joining(" ")));
        Path home = dir.resolve("gateway-process");

        GatewayProcess first = GatewayProcess.start(home, options);
        String stored;
        List<TranscriptRow> before;
        try {
            AttachedSession s = await(client(first).createSession(first.endpoint(), "", ""));
            stored = s.sessionKey();
            await(s.submit("say hello"));
            awaitIdle(s, 2);
            before = s.model().rows();
            assertEquals("Hello from the fake model.", before.get(1).text());
            // the turn's end is queued for the store before it is sent; a read behind it waits for its commit
            await(s.connection().storedSessions(10));
            first.kill();
        } finally {
            first.close();
        }

        GatewayProcess second = GatewayProcess.start(home, options);
        try {
            AttachedSession resumed = await(client(second).attach(second.endpoint(), "", stored));
            assertEquals(before, resumed.model().rows(), "hydrated, every row once");
            int asked = model.requests().size();
            await(resumed.submit("say hello again"));
            awaitIdle(resumed, 4);
            assertEquals(before, resumed.model().rows().subList(0, 2), "nothing of the load's replay was added");
            assertEquals(List.of(TranscriptRow.user("say hello again", "laptop")), resumed.model().rows().subList(2, 3));
            assertEquals("Hello from the fake model.", resumed.model().rows().get(3).text());
            assertEquals("Let me think about this.", resumed.model().rows().get(3).reasoning(),
                    "the replayed reasoning did not run into this turn's");
            JsonObject next = model.requests().subList(asked, model.requests().size()).stream()
                    .filter(r -> r.has("tools")).reduce((a, b) -> b).orElseThrow();
            List<String> said = Json.objects(next, "messages").stream().filter(m -> Json.text(m, "role").equals("user"))
                    .map(OpenCodeAgentTest::content).toList();
            assertTrue(said.stream().anyMatch(t -> t.contains("say hello again")), said.toString());
            assertTrue(said.stream().anyMatch(t -> t.contains("say hello") && !t.contains("again")),
                    "OpenCode loaded its session: the model sees the turn before the restart: " + said);
            AttachedSession phone = await(client(second).attach(second.endpoint(), resumed.sessionId(), stored));
            assertEquals(resumed.model().rows(), phone.model().rows(), "the gateway's own transcript, every row once");
        } finally {
            second.close();
        }
    }

    private StandaloneGatewayConnector client(GatewayProcess gateway) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.endpoint(), gateway.token());
        return gateways.track(GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff()));
    }

    @Test
    void aCancelWhileAnApprovalIsPendingEndsTheTurnAndWithdrawsIt() throws Exception {
        AttachedSession s = session();
        await(s.submit("please run the tool"));
        Await.until("the approval", AGENT_WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        await(s.interrupt());
        Await.until("the end of the turn", AGENT_WAIT, () -> s.model().activity() == SessionActivity.IDLE
                && last(s).role().equals(TranscriptRow.ASSISTANT));
        assertEquals("interrupted", last(s).status());
        assertTrue(s.model().pendingInputs().isEmpty());
        // the session goes on
        await(s.submit("say hello"));
        Await.until("the next answer", AGENT_WAIT, () -> s.model().activity() == SessionActivity.IDLE
                && last(s).text().equals("Hello from the fake model."));
    }
}
