package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.awaitIdle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.gateway.agent.ExecAgent;
import org.agentchannels.gateway.agent.OpenAiAgent;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.Await;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Each agent back end behind a real gateway: streaming, the end of a turn, errors and interrupts. */
@SuppressWarnings("resource") // the fixture closes what it opens
class AgentsTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;
    private Server modelServer;

    @AfterEach
    void tearDown() throws Exception {
        if (modelServer != null) {
            modelServer.stop();
        }
    }

    /** A gateway with {@code agent}, a client session on it, and the raw events that client receives. */
    private record Setup(AttachedSession session, List<Frame.Event> events) {
    }

    private Setup setup(Agent agent) throws Exception {
        fixture = gateways.in(home);
        fixture.start(agent);
        StandaloneGatewayConnector laptop = fixture.client("laptop");
        GatewayConnection c = await(laptop.ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        List<Frame.Event> events = new CopyOnWriteArrayList<>();
        c.addListener(new GatewayConnection.Listener() {
            @Override
            public void event(GatewayConnection connection, Frame.Event event) {
                events.add(event);
            }
        });
        String id = await(c.createSession("", List.of())).sessionId();
        return new Setup(await(laptop.attach(fixture.gateway.localEndpoint(), id, "")), events);
    }

    private static List<String> deltas(List<Frame.Event> events) {
        return events.stream().filter(e -> e.type().equals("message.delta")).map(e -> Json.text(e.payload(), "text")).toList();
    }

    @Test
    void theEchoAgentStreamsADeterministicReplyAndSaysWhatItIs() throws Exception {
        EchoAgent echo = new EchoAgent("desktop", 0);
        Setup s = setup(echo);
        assertTrue(echo.model().contains("offline"));
        await(s.session.submit("hello world"));
        awaitIdle(s.session, 2);
        assertEquals(TranscriptRow.assistant("Echo from desktop: hello world", "", "complete"), s.session.model().rows().get(1));
        assertEquals(List.of("Echo ", "from ", "desktop: ", "hello ", "world"), deltas(s.events));
    }

    @Test
    void theEchoAgentStopsWhenInterrupted() throws Exception {
        Setup s = setup(new EchoAgent("desktop", 200));
        await(s.session.submit("a rather long prompt that takes a while to echo back word by word"));
        Await.until("streaming", WAIT, () -> !s.session.model().streamingText().isEmpty());
        await(s.session.interrupt());
        awaitIdle(s.session, 2);
        assertEquals("interrupted", s.session.model().rows().get(1).status());
    }

    @Test
    void theExecAgentStreamsTheCommandsOutputAndReportsItsExitStatus() throws Exception {
        String script = "read line; printf 'got: %s\\n' \"$line\"; sleep 0.2; printf 'from %s' \"$AGENTCHANNELS_SENDER_DEVICE\";"
                + " [ \"$line\" = fail ] && { echo 'something broke' >&2; exit 3; }; exit 0";
        Setup s = setup(new ExecAgent(script));
        await(s.session.submit("build it"));
        awaitIdle(s.session, 2);
        assertEquals(TranscriptRow.assistant("got: build it\nfrom laptop", "", "complete"), s.session.model().rows().get(1));
        assertTrue(deltas(s.events).size() >= 2, "the output arrives as it is written: " + deltas(s.events));

        await(s.session.submit("fail"));
        awaitIdle(s.session, 4);
        TranscriptRow failed = s.session.model().rows().get(3);
        assertEquals("error", failed.status());
        // the session's model hears of each event before this test's listener does: wait for the listener too
        Await.until("the second turn's end among the events", WAIT,
                () -> s.events.stream().filter(e -> e.type().equals("message.complete")).count() == 2);
        Frame.Event complete = s.events.stream().filter(e -> e.type().equals("message.complete")).reduce((a, b) -> b).orElseThrow();
        assertEquals("the command exited with status 3: something broke", Json.text(complete.payload(), "error"));
    }

    @Test
    void theExecAgentIsKilledWhenInterrupted() throws Exception {
        Setup s = setup(new ExecAgent("printf 'starting '; sleep 30; printf 'never'"));
        await(s.session.submit("go"));
        Await.until("the first output", WAIT, () -> s.session.model().streamingText().equals("starting "));
        long before = System.nanoTime();
        await(s.session.interrupt());
        awaitIdle(s.session, 2);
        assertEquals(TranscriptRow.assistant("starting ", "", "interrupted"), s.session.model().rows().get(1));
        assertTrue(System.nanoTime() - before < 15_000_000_000L, "the sleep was killed, not waited for");
    }

    /** A local OpenAI-compatible endpoint: streams the reply in chunks, or refuses a bad key. */
    private String startModelServer(List<JsonObject> requests, long pauseMillis) throws Exception {
        modelServer = new Server();
        ServerConnector connector = new ServerConnector(modelServer);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        modelServer.addConnector(connector);
        modelServer.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = org.eclipse.jetty.io.Content.Source.asString(request, StandardCharsets.UTF_8);
                requests.add(JsonParser.parseString(body).getAsJsonObject());
                if (!"Bearer sk-test".equals(request.getHeaders().get("Authorization"))) {
                    response.setStatus(401);
                    response.write(true, ByteBuffer.wrap("{\"error\":{\"message\":\"invalid api key\"}}"
                            .getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
                response.getHeaders().put("Content-Type", "text/event-stream");
                String[] pieces = { "Hello", " from", " the", " model" };
                for (String piece : pieces) {
                    write(response, "data: {\"choices\":[{\"delta\":{\"content\":\"" + piece + "\"}}]}\n\n");
                    Thread.sleep(pauseMillis);
                }
                write(response, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4}}\n\n");
                write(response, "data: [DONE]\n\n");
                response.write(true, ByteBuffer.allocate(0), callback);
                return true;
            }
        });
        modelServer.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/v1";
    }

    private static void write(Response response, String text) throws Exception {
        Callback.Completable done = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
        done.get();
    }

    @Test
    void theOpenAiAgentStreamsChatCompletionsWithTheHistoryAndReportsUsage() throws Exception {
        List<JsonObject> requests = new CopyOnWriteArrayList<>();
        String base = startModelServer(requests, 0);
        Setup s = setup(new OpenAiAgent(base, "local-model", "sk-test"));
        await(s.session.submit("first question"));
        awaitIdle(s.session, 2);
        assertEquals("Hello from the model", s.session.model().rows().get(1).text());
        // the session's model hears of each event before this test's listener does: wait for the listener too
        Await.until("the turn's end among the events", WAIT,
                () -> s.events.stream().anyMatch(e -> e.type().equals("message.complete")));
        Frame.Event complete = s.events.stream().filter(e -> e.type().equals("message.complete")).findFirst().orElseThrow();
        assertEquals(List.of("Hello", " from", " the", " model"), deltas(s.events));
        assertEquals(12, Json.object(complete.payload(), "usage").get("prompt_tokens").getAsInt());

        await(s.session.submit("second question"));
        awaitIdle(s.session, 4);
        JsonObject second = requests.get(1);
        assertEquals("local-model", Json.text(second, "model"));
        assertTrue(second.get("stream").getAsBoolean());
        List<String> sent = Json.objects(second, "messages").stream().map(m -> Json.text(m, "content")).toList();
        assertEquals(List.of("first question", "Hello from the model", "second question"), sent);
    }

    @Test
    void theOpenAiAgentEndsTheTurnWithAReadableErrorOrAnInterrupt() throws Exception {
        List<JsonObject> requests = new CopyOnWriteArrayList<>();
        String base = startModelServer(requests, 300);
        Setup refused = setup(new OpenAiAgent(base, "local-model", "sk-wrong"));
        await(refused.session.submit("hi"));
        awaitIdle(refused.session, 2);
        assertEquals(TranscriptRow.assistant("the model endpoint answered HTTP 401: invalid api key", "", "error"),
                refused.session.model().rows().get(1));
        fixture.close();

        Setup slow = setup(new OpenAiAgent(base, "local-model", "sk-test"));
        await(slow.session.submit("hi"));
        Await.until("the first piece", WAIT, () -> slow.session.model().streamingText().startsWith("Hello"));
        await(slow.session.interrupt());
        awaitIdle(slow.session, 2);
        assertEquals("interrupted", slow.session.model().rows().get(1).status());
    }
}
