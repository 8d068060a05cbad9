package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.gateway.PacedAgent;
import org.agentchannels.tests.support.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults an engineer must trust this system through: connections cut, stalled and slowed mid-turn; the
 * gateway killed and restarted mid-turn; a thousand malformed frames and a crowd of wrong tokens. Each ends
 * the same way: every client holds exactly the gateway's transcript (nothing lost, nothing doubled), every
 * prompt was delivered once or reported failed, and the gateway went on serving its other sessions.
 */
@SuppressWarnings("resource") // closed in tearDown
class FaultTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private StandaloneGatewayConnector client(String device, String endpoint, String token) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(endpoint, token);
        return track(GatewayConnectors.standalone(tokens, device, ConnectorExtension.fastBackoff()));
    }

    /** The session's transcript as the gateway stores it, asked over {@code connection}. */
    private static List<TranscriptRow> gatewayTranscript(GatewayConnection connection, String sessionId) throws Exception {
        return await(connection.history(sessionId)).messages();
    }

    /** Waits until the client holds exactly what the gateway has, at rest, and returns it. */
    private static List<TranscriptRow> awaitSameTranscript(String who, AttachedSession s, GatewayConnection truth,
            String sessionId) {
        List<List<TranscriptRow>> seen = new ArrayList<>();
        Await.until(who + " to hold the gateway's transcript", Duration.ofSeconds(60), () -> {
            try {
                List<TranscriptRow> stored = gatewayTranscript(truth, sessionId);
                seen.add(stored);
                return s.model().activity() == SessionActivity.IDLE && !s.model().isStreaming()
                        && s.model().outgoing().isEmpty() && s.model().rows().equals(stored);
            } catch (Exception e) {
                return false; // the gateway is coming back
            }
        });
        return seen.get(seen.size() - 1);
    }

    /** Each prompt: delivered, and then exactly once in the transcript; or reported failed, and then not there. */
    private static void assertDeliveredOnceOrReported(Map<String, CompletableFuture<String>> prompts, List<TranscriptRow> rows) {
        for (var e : prompts.entrySet()) {
            long times = rows.stream().filter(r -> r.role().equals(TranscriptRow.USER) && r.text().equals(e.getKey())).count();
            Await.until("an outcome for " + e.getKey(), WAIT, e.getValue()::isDone);
            if (e.getValue().isCompletedExceptionally()) {
                assertTrue(times <= 1, e.getKey() + " reported failed but stored " + times + " times");
            } else {
                assertEquals(1, times, e.getKey() + " delivered but stored " + times + " times: " + rows);
            }
        }
    }

    @Test
    void connectionsCutStalledAndSlowedMidTurnLoseNothingAndTheOtherSessionsGoOn() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new PacedAgent(null, 30, 8));
        String token = fixture.gateway.token();
        FaultProxy cut = track(new FaultProxy(fixture.gateway.port()));
        FaultProxy stall = track(new FaultProxy(fixture.gateway.port()));
        FaultProxy slow = track(new FaultProxy(fixture.gateway.port()));
        slow.throttle(6_000);

        GatewayConnection truth = await(client("desktop", fixture.gateway.localEndpoint(), token)
                .ensureGatewayForEndpoint(fixture.gateway.localEndpoint()));
        String shared = await(truth.createSession("", List.of())).sessionId();
        String other = await(truth.createSession("", List.of())).sessionId();

        StandaloneGatewayConnector laptopConnector = client("laptop", cut.endpoint(), token);
        AttachedSession laptop = await(laptopConnector.attach(cut.endpoint(), shared, ""));
        AttachedSession phone = await(client("phone", stall.endpoint(), token).attach(stall.endpoint(), shared, ""));
        AttachedSession tablet = await(client("tablet", slow.endpoint(), token).attach(slow.endpoint(), shared, ""));
        AttachedSession desk = await(client("desk", fixture.gateway.localEndpoint(), token)
                .attach(fixture.gateway.localEndpoint(), other, ""));

        Map<String, CompletableFuture<String>> sharedPrompts = new LinkedHashMap<>();
        Map<String, CompletableFuture<String>> otherPrompts = new LinkedHashMap<>();
        int cutAt = 0;
        for (int round = 0; round < 3; round++) {
            int dialled = cutAt;
            Await.until("the laptop connected (again)", WAIT, () -> laptop.connection().state().isConnected()
                    && cut.connectionsPassed() > dialled);
            sharedPrompts.put("laptop" + round, laptop.submit("laptop" + round));
            otherPrompts.put("desk" + round, desk.submit("desk" + round));
            Await.until("round " + round + " streaming to the laptop", WAIT,
                    () -> laptop.model().isStreaming() && !laptop.model().streamingText().isEmpty());
            // the laptop's Wi-Fi drops for a moment, mid-turn
            cutAt = cut.connectionsPassed();
            cut.refuse(true);
            cut.cutAll();
            // the phone's traffic stops dead while it sends a prompt of its own
            stall.stall(true);
            sharedPrompts.put("phone" + round, phone.submit("phone" + round));
            Thread.sleep(300);
            sharedPrompts.put("tablet" + round, tablet.submit("tablet" + round));
            cut.refuse(false);
            stall.stall(false);
        }
        slow.throttle(0);

        List<TranscriptRow> rows = awaitSameTranscript("the laptop", laptop, truth, shared);
        awaitSameTranscript("the phone", phone, truth, shared);
        awaitSameTranscript("the tablet", tablet, truth, shared);
        // one dial per attempt: the first connection and one per cut, none doubled and left open
        assertEquals(4, cut.connectionsPassed());
        assertEquals(1, cut.connectionsOpen());
        assertDeliveredOnceOrReported(sharedPrompts, rows);
        // every answer streamed whole, once: no delta lost or repeated across the cuts
        for (TranscriptRow row : rows) {
            if (row.role().equals(TranscriptRow.ASSISTANT)) {
                assertEquals("complete", row.status(), rows.toString());
                assertTrue(row.text().endsWith("-29 ") || row.text().endsWith("-29"), row.text());
            }
        }

        // the desk's session was served all along, untouched by the others' faults
        List<TranscriptRow> otherRows = awaitSameTranscript("the desk", desk, truth, other);
        assertDeliveredOnceOrReported(otherPrompts, otherRows);
        assertEquals(6, otherRows.size());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aGatewayKilledMidTurnAndRestartedOnItsPortLeavesEveryClientWithItsTranscript() throws Exception {
        String script = "case \"$AGENTCHANNELS_PROMPT\" in slow*) printf 'partial '; sleep 30;;"
                + " *) printf 'done: %s' \"$AGENTCHANNELS_PROMPT\";; esac";
        List<String> args = List.of("--port", String.valueOf(freePort()), "--device-name", "desktop", "--agent", "exec",
                "--exec-command", script);
        Path gatewayHome = home.resolve("gw");
        GatewayProcess first = track(GatewayProcess.start(gatewayHome, args));
        String endpoint = first.endpoint();
        StandaloneGatewayConnector laptopClient = client("laptop", endpoint, first.token());
        GatewayConnection truthBefore = await(laptopClient.ensureGatewayForEndpoint(endpoint));
        SessionSnapshot created = await(truthBefore.createSession("", List.of()));
        AttachedSession laptop = await(laptopClient.attach(endpoint, created.sessionId(), created.sessionKey()));
        AttachedSession phone = await(client("phone", endpoint, first.token()).attach(endpoint, created.sessionId(),
                created.sessionKey()));

        Map<String, CompletableFuture<String>> prompts = new LinkedHashMap<>();
        prompts.put("quick", laptop.submit("quick"));
        Await.until("the quick turn", WAIT, () -> phone.model().rows().size() == 2
                && phone.model().activity() == SessionActivity.IDLE);
        prompts.put("slow one", laptop.submit("slow one"));
        Await.until("the slow turn to stream to both", WAIT, () -> laptop.model().streamingText().equals("partial ")
                && phone.model().streamingText().equals("partial "));
        prompts.put("queued behind it", phone.submit("queued behind it"));
        await(prompts.get("queued behind it"));
        first.kill();

        // the same gateway comes back on the same port; the clients find it again by themselves
        GatewayProcess second = track(GatewayProcess.start(gatewayHome, args));
        assertEquals(endpoint, second.endpoint());
        GatewayConnection truth = await(client("desktop", endpoint, second.token()).ensureGatewayForEndpoint(endpoint));
        Await.until("both clients attached again", Duration.ofSeconds(60),
                () -> !laptop.sessionId().equals(created.sessionId())
                        && laptop.sessionId().equals(phone.sessionId()));
        List<TranscriptRow> rows = awaitSameTranscript("the laptop", laptop, truth, laptop.sessionId());
        awaitSameTranscript("the phone", phone, truth, phone.sessionId());
        assertDeliveredOnceOrReported(prompts, rows);
        assertEquals(List.of(TranscriptRow.user("quick", "laptop"), TranscriptRow.assistant("done: quick", "", "complete"),
                TranscriptRow.user("slow one", "laptop"), TranscriptRow.assistant("", "", "interrupted"),
                TranscriptRow.user("queued behind it", "phone"), TranscriptRow.assistant("", "", "interrupted")), rows);

        // and it serves on, to both
        prompts.put("after the crash", phone.submit("after the crash"));
        Await.until("the new turn on both", WAIT, () -> laptop.model().rows().size() == 8 && phone.model().rows().size() == 8);
        rows = awaitSameTranscript("the laptop", laptop, truth, laptop.sessionId());
        awaitSameTranscript("the phone", phone, truth, phone.sessionId());
        assertDeliveredOnceOrReported(prompts, rows);
        assertEquals("done: after the crash", rows.get(7).text());
    }

    /** A malformed frame of one of many kinds: broken, mistyped, unknown, deep, huge-numbered, empty. */
    private static String malformed(Random random, int i) {
        return switch (i % 12) {
            case 0 -> "not json " + random.nextInt();
            case 1 -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"session.activate\",\"params\":";
            case 2 -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":42,\"params\":{}}";
            case 3 -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"no.such.method\",\"params\":{}}";
            case 4 -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"prompt.submit\",\"params\":{\"session_id\":[1,2],\"text\":{}}}";
            case 5 -> "[".repeat(200) + "]".repeat(200);
            case 6 -> "{\"jsonrpc\":\"2.0\",\"id\":1e999999,\"method\":\"gateway.ping\"}";
            case 7 -> "";
            case 8 -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"session.history\",\"params\":{\"session_id\":\"nope\"}}";
            case 9 -> "{\"jsonrpc\":\"1.0\",\"id\":" + i + "}";
            case 10 -> "{\"a\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101);
            default -> {
                byte[] bytes = new byte[64];
                random.nextBytes(bytes);
                yield new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        };
    }

    @Test
    void aThousandMalformedFramesAndACrowdOfWrongTokensChangeNothingForTheOthers() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new PacedAgent(null, 200, 2));
        String endpoint = fixture.gateway.localEndpoint();
        String token = fixture.gateway.token();
        GatewayConnection truth = await(client("desktop", endpoint, token).ensureGatewayForEndpoint(endpoint));
        String id = await(truth.createSession("", List.of())).sessionId();
        AttachedSession laptop = await(client("laptop", endpoint, token).attach(endpoint, id, ""));
        Map<String, CompletableFuture<String>> prompts = new LinkedHashMap<>();
        prompts.put("during the storm", laptop.submit("during the storm"));

        RawWebSocket bad = track(RawWebSocket.connect(endpoint, Map.of("Authorization", "Bearer " + token)));
        Await.until("gateway.ready", WAIT, () -> bad.received().size() == 1);
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            bad.send(malformed(random, i));
        }
        List<RawWebSocket> strangers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, String> headers = i % 2 == 0 ? Map.of() : Map.of("Authorization", "Bearer wrong-token-" + i);
            strangers.add(track(RawWebSocket.connect(endpoint, headers)));
        }
        for (RawWebSocket stranger : strangers) {
            assertEquals(4401, stranger.awaitClose(WAIT));
        }
        // every malformed frame got its error (or, empty and unparseable ones included, a parse error); the
        // connection that sent them is still served
        Await.until("an answer to every frame", WAIT, () -> bad.received().size() >= 1 + 1000);
        assertTrue(bad.isOpen());
        bad.send("{\"jsonrpc\":\"2.0\",\"id\":\"last\",\"method\":\"gateway.ping\"}");
        Await.until("the ping after the storm", WAIT, () -> bad.received().stream().anyMatch(f -> f.contains("\"last\"")));

        prompts.put("after the storm", laptop.submit("after the storm"));
        List<TranscriptRow> rows = awaitSameTranscript("the laptop", laptop, truth, id);
        assertDeliveredOnceOrReported(prompts, rows);
        assertEquals(4, rows.size());
        assertTrue(rows.get(1).text().endsWith("-199 "), rows.get(1).text());
    }
}
