package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.protocol.EventTypes;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.internal.rpc.GatewayServer;
import org.agentchannels.gateway.internal.rpc.HostCheck;
import org.agentchannels.gateway.internal.rpc.GatewaySocket;
import org.agentchannels.gateway.internal.rpc.RpcDispatcher;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.SessionHost;
import org.agentchannels.gateway.internal.store.StoreWriter;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.Closer;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.tests.support.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A client that stops reading while large turns stream: the gateway keeps at most its backlog limit for it,
 * closes it (1013, one warning), and every other client still gets every event in order; the client re-attaches
 * and holds the whole transcript. The replay log is bounded by size, a re-attach from before it gets a snapshot.
 */
class ClientBacklogTest {

    private static final String TOKEN = "backlog-test-token-0123456789";
    private static final FrameCodec CODEC = new FrameCodec();

    @TempDir
    Path dir;

    private final Closer closer = new Closer();
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger socketLog = Logger.getLogger(GatewaySocket.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private SessionHost host;
    private GatewayServer server;
    private FloodAgent agent;

    @BeforeEach
    void listen() {
        socketLog.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        socketLog.removeHandler(capture);
        if (agent != null) {
            agent.stop.set(true);
        }
        closer.close();
    }

    /** Streams deltas of {@code chunk} chars, numbered, until told to stop (or a watchdog number of them). */
    static final class FloodAgent implements Agent {
        final AtomicBoolean stop = new AtomicBoolean();
        final int chunk;
        final long minimumChars;
        /** Called after each delta with its number, to pace the flood; nothing by default. */
        volatile IntConsumer afterDelta = i -> {
        };
        volatile int sent;

        FloodAgent(int chunk, long minimumChars) {
            this.chunk = chunk;
            this.minimumChars = minimumChars;
        }

        @Override
        public String model() {
            return "flood";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            Thread t = new Thread(() -> {
                long chars = 0;
                for (int i = 0; i < 2_000_000 && (!stop.get() || chars < minimumChars); i++) {
                    String head = "d" + i + ":";
                    String delta = head + "x".repeat(Math.max(1, chunk - head.length() - 1)) + " ";
                    sink.delta(delta);
                    chars += delta.length();
                    sent = i + 1;
                    afterDelta.accept(i);
                }
                sink.complete(Result.complete(null));
            }, "flood-agent");
            t.setDaemon(true);
            t.start();
            return () -> stop.set(true);
        }
    }

    private String start(long backlogLimit, FloodAgent flood) throws Exception {
        this.agent = flood;
        TranscriptStore transcripts = new TranscriptStore(dir.resolve("sessions.db"));
        StoreWriter store = closer.track(new StoreWriter(transcripts));
        host = closer.track(new SessionHost(store, flood, "desktop", Clock.systemUTC()));
        server = closer.track(new GatewayServer(new RpcDispatcher(host), host.sessions(), TOKEN, "127.0.0.1",
                new HostCheck("127.0.0.1", true, "", Set::of), 0, "desktop", "epoch-1", Clock.systemUTC(), backlogLimit));
        server.start();
        return "ws://127.0.0.1:" + server.port() + "/api/ws";
    }

    private RawWebSocket raw(String endpoint, boolean reading) throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
        return closer.track(reading ? RawWebSocket.connect(endpoint, auth) : RawWebSocket.connectWithoutReading(endpoint, auth));
    }

    private static String request(int id, String method, JsonObject params) {
        return CODEC.encode(new Frame.Request(new com.google.gson.JsonPrimitive(id), method, params));
    }

    private static JsonObject result(RawWebSocket socket, int id) {
        Await.until("the answer to request " + id, WAIT, () -> answer(socket, id) != null);
        return answer(socket, id);
    }

    private static JsonObject answer(RawWebSocket socket, int id) {
        for (String text : socket.received()) {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            if (o.has("id") && o.get("id").isJsonPrimitive() && o.get("id").getAsInt() == id && o.has("result")) {
                return o.getAsJsonObject("result");
            }
        }
        return null;
    }

    private static List<Frame.Event> events(RawWebSocket socket) {
        List<Frame.Event> out = new ArrayList<>();
        for (String text : socket.received()) {
            if (CODEC.decode(text) instanceof Frame.Event e && e.seq() >= 0) {
                out.add(e);
            }
        }
        return out;
    }

    private static long deltasOf(List<Frame.Event> events) {
        return events.stream().filter(e -> e.type().equals(EventTypes.MESSAGE_DELTA)).count();
    }

    private static boolean rosterHas(RawWebSocket socket, String device, boolean last) {
        List<Frame.Event> roster = events(socket).stream().filter(e -> e.type().equals(EventTypes.SESSION_PARTICIPANTS))
                .toList();
        if (roster.isEmpty()) {
            return false;
        }
        List<Frame.Event> look = last ? List.of(roster.get(roster.size() - 1)) : roster;
        return look.stream().anyMatch(e -> e.payload().toString().contains("\"" + device + "\""));
    }

    private static void assertInOrder(List<Frame.Event> events, String who) {
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).seq() + 1, events.get(i).seq(), who + ": events numbered without a gap");
        }
        int next = 0;
        for (Frame.Event e : events) {
            if (e.type().equals(EventTypes.MESSAGE_DELTA)) {
                assertTrue(e.payload().get("text").getAsString().startsWith("d" + next + ":"), who + ": delta " + next);
                next++;
            }
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedWhileTheOthersGetEveryEventInOrder() throws Exception {
        long limit = 1024 * 1024;
        FloodAgent flood = new FloodAgent(64 * 1024, 6L * 1024 * 1024);
        String endpoint = start(limit, flood);
        RawWebSocket reader = raw(endpoint, true);
        JsonObject create = Methods.sessionCreate("flood");
        create.addProperty("viewer_device", "reader");
        reader.send(request(1, Methods.SESSION_CREATE, create));
        String id = result(reader, 1).get("session_id").getAsString();

        RawWebSocket stuck = raw(endpoint, false);
        stuck.send(request(1, Methods.SESSION_ACTIVATE, Methods.sessionActivate(id, "stuck", -1)));
        Await.until("the stuck client in the roster", WAIT, () -> rosterHas(reader, "stuck", true));

        // the reader keeps up (the flood waits for it to be at most four frames behind), the stuck one never reads
        int base = reader.received().size();
        flood.afterDelta = i -> Await.until("the reader to keep up", WAIT, () -> reader.received().size() >= base + i - 4);
        reader.send(request(2, Methods.PROMPT_SUBMIT, Methods.promptSubmit(id, "flood", "", "")));
        Await.until("the gateway to give up on the stuck client", WAIT, () -> !warnings.isEmpty());
        flood.stop.set(true); // it goes on to its minimum (6 MiB), past what the replay log keeps
        long unsent = server.unsentBytes();
        assertTrue(unsent <= limit + 8 * 64 * 1024, "never more than the limit waits for a client: " + unsent);
        stuck.startReading(); // what was queued for it, then the close
        assertEquals(JsonRpcCodes.CLOSE_TRY_AGAIN_LATER, stuck.awaitClose(WAIT));
        Await.until("the end of the turn at the reader", WAIT,
                () -> events(reader).stream().anyMatch(e -> e.type().equals(EventTypes.MESSAGE_COMPLETE)));

        List<Frame.Event> all = events(reader);
        assertInOrder(all, "the reader");
        assertEquals(flood.sent, deltasOf(all), "the reader got every delta");
        assertEquals(1, warnings.size(), () -> "one warning, however many frames were dropped after it: "
                + warnings.stream().map(LogRecord::getMessage).toList());
        String warning = warnings.get(0).getMessage();
        assertTrue(warning.contains("stuck") && warning.contains(Long.toString(limit)), warning);

        List<Frame.Event> partial = events(stuck);
        assertInOrder(partial, "the stuck client");
        assertTrue(deltasOf(partial) < flood.sent, "the stuck client got " + deltasOf(partial) + " of " + flood.sent);
        Await.until("the stuck client gone from the roster", WAIT,
                () -> rosterHas(reader, "reader", true) && !rosterHas(reader, "stuck", true));

        // more than the replay log keeps streamed since the stuck client's last event: it gets a snapshot
        RawWebSocket back = raw(endpoint, true);
        long lastSeen = partial.isEmpty() ? 0 : partial.get(partial.size() - 1).seq();
        back.send(request(1, Methods.SESSION_ACTIVATE, Methods.sessionActivate(id, "stuck", lastSeen)));
        SessionSnapshot snapshot = SessionSnapshot.fromResult(result(back, 1), CODEC);
        assertFalse(snapshot.isReplay(), "too old for the replay log");
        assertEquals(2, snapshot.messages().size());
        assertEquals(flood.sent, snapshot.messages().get(1).text().split(" ").length);
        // a recent one still gets a replay
        long last = snapshot.lastSeq();
        back.send(request(2, Methods.SESSION_ACTIVATE, Methods.sessionActivate(id, "stuck", last - 1)));
        SessionSnapshot replay = SessionSnapshot.fromResult(result(back, 2), CODEC);
        assertTrue(replay.isReplay());
        assertEquals(List.of(last), replay.replay().stream().map(Frame.Event::seq).toList());
        assertEquals(1, warnings.size(), "a snapshot larger than the limit, and what follows it, do not close a client");
        assertTrue(back.isOpen() && reader.isOpen());
    }

    @Test
    void aConnectorClosedForFallingBehindReattachesAndHoldsTheWholeTranscript() throws Exception {
        FloodAgent flood = new FloodAgent(24, 0);
        String endpoint = start(64 * 1024, flood);
        FaultProxy proxy = closer.track(new FaultProxy(server.port()));
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(proxy.endpoint(), TOKEN);
        StandaloneGatewayConnector laptop = closer.track(GatewayConnectors.standalone(tokens, "laptop",
                ConnectorExtension.fastBackoff()));
        AttachedSession session = await(laptop.createSession(proxy.endpoint(), "behind"));
        assertTrue(endpoint.endsWith(server.port() + "/api/ws"));

        proxy.stall(true); // the laptop's link hangs: nothing reaches it, so its frames pile up at the gateway
        Client desk = new Client(text -> {
        });
        host.turns().submit(desk, session.sessionId(), "flood", "desk", "sub-flood");
        Await.until("the gateway to give up on the laptop", WAIT, () -> !warnings.isEmpty());
        flood.stop.set(true);
        Await.until("the turn to end at the gateway", WAIT,
                () -> !host.sessions().activeList("").get(0).status().equals("working"));
        proxy.stall(false);

        Await.until("the laptop to hold the gateway's transcript", WAIT, () -> {
            try {
                return session.model().rows().equals(host.sessions().history(session.sessionId()).messages())
                        && !session.model().isStreaming() && session.connection().state().isConnected();
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(proxy.connectionsPassed() >= 2, "it redialled after the close");
        assertEquals(flood.sent, session.model().rows().get(1).text().split(" ").length);
    }
}
