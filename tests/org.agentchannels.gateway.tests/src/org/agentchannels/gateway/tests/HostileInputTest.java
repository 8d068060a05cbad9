package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.awaitIdle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.gateway.agent.ExecAgent;
import org.agentchannels.gateway.agent.OpenAiAgent;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.support.RawWebSocket;
import org.agentchannels.tests.gateway.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The attacks of issue 12 on what a gateway stores and shows (hostile titles and device names) and on how it runs
 * a turn (a NUL byte in a prompt, a prompt too long for the environment, an agent that throws), each now harmless.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class HostileInputTest {

    /** An OSC setting the window title, a CSI clearing the screen, CR/LF, NUL, a C1 CSI, bidi and zero-width characters. */
    private static final String HOSTILE = "\u001b]0;owned\u0007\u001b[2J\r\nreal\u0000 title\u009b31m \u202Etxt.exe\u2066\u200B";
    private static final String CLEAN = "]0;owned[2J real title31m txt.exe";

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private TestGateway fixture;
    private final FrameCodec codec = new FrameCodec();
    private int nextId;

    private static void assertClean(String text) {
        assertTrue(text.codePoints().noneMatch(cp -> Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT), "control or format characters in " + new JsonPrimitive(text));
    }

    private RawWebSocket raw() throws Exception {
        RawWebSocket s = fixture.track(RawWebSocket.connect(fixture.gateway.localEndpoint(),
                Map.of("Authorization", "Bearer " + fixture.gateway.token())));
        Await.until("gateway.ready", WAIT, () -> !s.received().isEmpty());
        return s;
    }

    /** One request over the raw connection, and its result as the gateway wrote it (not as a client reads it). */
    private JsonObject call(RawWebSocket s, String method, JsonObject params) throws Exception {
        int id = ++nextId;
        JsonObject request = new JsonObject();
        request.addProperty("jsonrpc", "2.0");
        request.addProperty("id", id);
        request.addProperty("method", method);
        request.add("params", params);
        s.send(request.toString());
        Await.until("the answer to " + method, WAIT, () -> answer(s, id) != null);
        Frame answer = answer(s, id);
        assertTrue(answer instanceof Frame.Response, method + " failed: " + answer);
        return ((Frame.Response) answer).resultObject();
    }

    private Frame answer(RawWebSocket s, int id) {
        for (String text : s.received()) {
            Frame f = codec.decode(text);
            if ((f instanceof Frame.Response r && r.id().getAsInt() == id) || (f instanceof Frame.Failure e
                    && e.id().isJsonPrimitive() && e.id().getAsInt() == id)) {
                return f;
            }
        }
        return null;
    }

    private List<JsonObject> events(RawWebSocket s, String type) {
        return s.received().stream().map(codec::decode).filter(f -> f instanceof Frame.Event e && e.type().equals(type))
                .map(f -> ((Frame.Event) f).payload()).toList();
    }

    private static JsonObject params(String... keysAndValues) {
        JsonObject p = new JsonObject();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.addProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    @Test
    void hostileTitlesAndDeviceNamesAreStoredServedAndPublishedClean() throws Exception {
        fixture = gateways.in(home);
        fixture.start(new EchoAgent("desktop", 0));
        RawWebSocket s = raw();
        String longTitle = HOSTILE + " " + "x".repeat(300);
        JsonObject created = call(s, "session.create", params("title", longTitle, "viewer_device", "lap\u202Etop\u200B"));
        String expected = CLEAN + " " + "x".repeat(200 - CLEAN.length() - 1);
        assertEquals(expected, Json.text(created, "title"), "cleaned and cut at 200, as session.title cuts");
        String id = Json.text(created, "session_id");
        assertEquals("laptop", Json.text(Json.objects(created, "participants").get(0), "device"));

        JsonObject retitled = call(s, "session.title", params("session_id", id, "title", HOSTILE));
        assertEquals(CLEAN, Json.text(retitled, "title"));
        Await.until("the title event", WAIT, () -> !events(s, "session.title").isEmpty());
        assertEquals(CLEAN, Json.text(events(s, "session.title").get(0), "title"));

        call(s, "prompt.submit", params("session_id", id, "text", "hi", "sender_device", "\u001b]2;phone\u0007"));
        Await.until("the turn's end", WAIT, () -> !events(s, "message.complete").isEmpty());
        assertEquals("]2;phone", Json.text(events(s, "message.start").get(0), "sender_device"));
        JsonObject history = call(s, "session.history", params("session_id", id));
        assertEquals("]2;phone", Json.text(Json.objects(history, "messages").get(0), "sender_device"));

        JsonArray stored = call(s, "session.list", new JsonObject()).getAsJsonArray("sessions");
        assertEquals(CLEAN, Json.text(stored.get(0).getAsJsonObject(), "title"));
        for (JsonObject live : Json.objects(call(s, "session.active_list", new JsonObject()), "sessions")) {
            assertClean(Json.text(live, "title"));
        }

        // the presence record as the file says, not as a reader cleans it
        Path folder = fixture.gateway.presenceDir();
        Await.until("the record with the new title", WAIT, () -> records(folder).stream()
                .anyMatch(r -> Json.text(r, "session_id").equals(id) && Json.text(r, "title").equals(CLEAN)));
        for (JsonObject record : records(folder)) {
            assertClean(Json.text(record, "title"));
            assertClean(Json.text(record, "host"));
        }
    }

    private static List<JsonObject> records(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> {
                try {
                    return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
                } catch (Exception e) {
                    return new JsonObject(); // being replaced right now
                }
            }).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Echoes, except that it throws (quoting the prompt, as the JDK's checks do) on "boom" and holds on "hold". */
    private static final class ThrowingAgent implements Agent {
        final EchoAgent echo = new EchoAgent("desktop", 0);
        final CompletableFuture<Void> release = new CompletableFuture<>();

        @Override
        public String model() {
            return "throwing";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            if (request.prompt().startsWith("boom")) {
                throw new IllegalArgumentException("cannot take \"" + request.prompt() + "\"");
            }
            if (request.prompt().equals("hold")) {
                release.thenRun(() -> sink.complete(Result.complete(null)));
                return () -> sink.complete(Result.interrupted());
            }
            return echo.start(request, sink);
        }
    }

    private AttachedSession session(Agent agent) throws Exception {
        fixture = gateways.in(home);
        fixture.start(agent);
        return await(fixture.client("laptop").createSession(fixture.gateway.localEndpoint(), ""));
    }

    @Test
    void anAgentThatThrowsAsATurnStartsEndsThatTurnAsAnErrorAndTheQueueGoesOn() throws Exception {
        ThrowingAgent agent = new ThrowingAgent();
        try (CapturedLog log = new CapturedLog()) {
            AttachedSession s = session(agent);
            await(s.submit("boom SECRET-PROMPT-1"));
            awaitIdle(s, 2);
            TranscriptRow failed = s.model().rows().get(1);
            assertEquals("error", failed.status());
            assertTrue(failed.text().contains("could not start the turn"), failed.text());
            assertFalse(failed.text().contains("SECRET"), failed.text());

            // behind a running turn: two that throw, then one that works, all run from the queue in order
            await(s.submit("hold"));
            Await.until("the held turn", WAIT, () -> s.model().activity() == SessionActivity.WORKING);
            await(s.submit("boom SECRET-PROMPT-2"));
            await(s.submit("boom SECRET-PROMPT-3"));
            await(s.submit("after"));
            agent.release.complete(null);
            awaitIdle(s, 10);
            List<String> statuses = s.model().rows().stream().filter(r -> r.role().equals(TranscriptRow.ASSISTANT))
                    .map(TranscriptRow::status).toList();
            assertEquals(List.of("error", "complete", "error", "error", "complete"), statuses);
            assertEquals("Echo from desktop: after", s.model().rows().get(9).text());

            await(s.submit("last"));
            awaitIdle(s, 12);
            assertTrue(log.text().contains("could not start a turn"), "the failures were logged: " + log.text());
            assertFalse(log.text().contains("SECRET-PROMPT"), log.text());
        }
    }

    @Test
    void anAgentThatFailsOnItsTurnsThreadEndsTheTurnAsAnErrorWithoutLoggingWhatItWasGiven() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            // a key with a line break: the HTTP client refuses the header on the turn's thread
            AttachedSession s = session(new OpenAiAgent("http://127.0.0.1:9/v1", "local-model", "sk-SECRET\nKEY"));
            await(s.submit("first"));
            awaitIdle(s, 2);
            assertEquals(TranscriptRow.assistant("the agent failed (IllegalArgumentException)", "", "error"),
                    s.model().rows().get(1));
            await(s.submit("second"));
            awaitIdle(s, 4);
            assertEquals("error", s.model().rows().get(3).status());
            assertTrue(log.text().contains("a turn failed"), log.text());
            assertFalse(log.text().contains("SECRET"), log.text());
        }
    }

    @Test
    void aPromptOfAMegabyteReachesTheCommandOnItsInputAndTheEnvironmentOnlyCarriesShortOnes() throws Exception {
        String script = "if [ -n \"${AGENTCHANNELS_PROMPT+set}\" ]; then printf 'env:%s|' \"$AGENTCHANNELS_PROMPT\"; fi; cat";
        AttachedSession s = session(new ExecAgent(script));
        StringBuilder big = new StringBuilder();
        for (int line = 0; big.length() < 1024 * 1024; line++) {
            big.append("line ").append(line).append(' ').append("y".repeat(90)).append('\n');
        }
        String prompt = big.toString();
        await(s.submit(prompt));
        awaitIdle(s, 2);
        // cat answers as it reads: the whole megabyte came back, while it was still being written
        assertEquals(TranscriptRow.assistant(prompt, "", "complete"), s.model().rows().get(1));

        await(s.submit("short"));
        awaitIdle(s, 4);
        assertEquals("env:short|short", s.model().rows().get(3).text());
    }

    @Test
    void aNulByteInAPromptNeitherWedgesAnExecSessionNorReachesTheGatewaysLog() throws Exception {
        String script = "if [ -n \"${AGENTCHANNELS_PROMPT+set}\" ]; then printf 'env:%s|' \"$AGENTCHANNELS_PROMPT\"; fi;"
                + " tr '\\000' '@'";
        GatewayProcess gateway = gateways.track(GatewayProcess.start(home.resolve("gw"),
                List.of("--device-name", "desktop", "--agent", "exec", "--exec-command", script)));
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.endpoint(), gateway.token());
        StandaloneGatewayConnector laptop = gateways.track(GatewayConnectors.standalone(tokens, "laptop",
                ConnectorExtension.fastBackoff()));
        AttachedSession s = await(laptop.createSession(gateway.endpoint(), ""));

        await(s.submit("nul\u0000 SECRET-NUL-PROMPT"));
        awaitIdle(s, 2);
        assertEquals(TranscriptRow.assistant("nul@ SECRET-NUL-PROMPT", "", "complete"), s.model().rows().get(1),
                "on the command's input only: no environment variable can hold a NUL");
        await(s.submit("plain"));
        awaitIdle(s, 4);
        assertEquals("env:plain|plain", s.model().rows().get(3).text());

        gateway.stop(); // its log complete
        String log = gateway.log();
        assertFalse(log.contains("SECRET-NUL-PROMPT"), log);
    }
}
