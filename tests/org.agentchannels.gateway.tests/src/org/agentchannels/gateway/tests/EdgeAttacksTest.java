package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.support.RawWebSocket;
import org.agentchannels.tests.gateway.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a rebinding page, a hostile Origin and a machine without a network did to a gateway, each on loopback
 * against a real one in this JVM, and that now they do no harm.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class EdgeAttacksTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final FrameCodec codec = new FrameCodec();

    /** As a machine without a default route answers the routing-table probe. */
    private static Supplier<String> noRoute(AtomicInteger asked) {
        return () -> {
            asked.incrementAndGet();
            throw new UncheckedIOException(new SocketException("Network is unreachable"));
        };
    }

    private Gateway start(TestGateway fixture, Supplier<String> lanAddress, String... options) throws Exception {
        fixture.gateway = Gateway.start(fixture.options(options), new ScriptedAgent(), () -> "desk-host", lanAddress,
                Clock.systemUTC(), Gateway.PRESENCE_REFRESH);
        return fixture.gateway;
    }

    private RawWebSocket raw(TestGateway fixture, Map<String, String> headers) throws Exception {
        return fixture.track(RawWebSocket.connect(fixture.gateway.localEndpoint(), headers));
    }

    private Map<String, String> withToken(TestGateway fixture, String name, String value) {
        return Map.of("Authorization", "Bearer " + fixture.gateway.token(), name, value);
    }

    /** Sends {@code gateway.ping} and waits for its answer: the gateway serves. */
    private void assertServes(RawWebSocket s) throws Exception {
        Await.until("gateway.ready", WAIT, () -> !s.received().isEmpty());
        s.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"gateway.ping\",\"params\":{}}");
        Await.until("the ping's answer", WAIT, () -> s.received().stream().map(codec::decode)
                .anyMatch(f -> f instanceof Frame.Response r && r.id().isJsonPrimitive() && r.id().getAsInt() == 7));
    }

    @Test
    void aRebindingHostWithAValidTokenIsRefusedOnAWildcardBind() throws Exception {
        TestGateway fixture = gateways.in(home);
        start(fixture, () -> "192.0.2.7", "--bind", "0.0.0.0", "--insecure-plaintext"); // the Host check, in plain ws://
        int port = fixture.gateway.port();
        assertEquals(4403, raw(fixture, withToken(fixture, "Host", "evil.com")).awaitClose(WAIT));
        assertEquals(4403, raw(fixture, withToken(fixture, "Host", "evil.com:" + port)).awaitClose(WAIT));
        assertEquals(4403, raw(fixture, withToken(fixture, "Host", "2130706433:" + port)).awaitClose(WAIT));
        // this machine's own names still reach it: loopback, its host name, and what it advertises
        assertServes(raw(fixture, withToken(fixture, "Host", "127.0.0.1:" + port)));
        assertServes(raw(fixture, withToken(fixture, "Host", "desk-host:" + port)));
        assertServes(raw(fixture, withToken(fixture, "Host", "desk-host.local:" + port)));
        assertEquals("ws://192.0.2.7:" + port + "/api/ws", fixture.gateway.advertisedEndpoint());
    }

    @Test
    void nonWebOriginsWithAValidTokenAreRefused() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new ScriptedAgent());
        for (String origin : new String[] { "null", "file://", "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                "data:", "app://desktop", "http://evil.example" }) {
            assertEquals(4403, raw(fixture, withToken(fixture, "Origin", origin)).awaitClose(WAIT), origin);
        }
        assertServes(raw(fixture, withToken(fixture, "Origin", "http://localhost:5173")));
        assertServes(raw(fixture, withToken(fixture, "Origin", "https://[::1]")));
        assertServes(raw(fixture, Map.of("Authorization", "Bearer " + fixture.gateway.token())));
    }

    @Test
    void aLoopbackGatewayStartsAndServesWithoutARouteAndNeverAsksForOne() throws Exception {
        TestGateway fixture = gateways.in(home);
        AtomicInteger asked = new AtomicInteger();
        Gateway gateway = start(fixture, noRoute(asked));
        assertServes(raw(fixture, Map.of("Authorization", "Bearer " + gateway.token())));
        assertEquals("", gateway.advertisedEndpoint());
        assertEquals(0, asked.get(), "nothing at the start of a loopback gateway needs a route");
    }

    @Test
    void aWildcardGatewayWithoutARouteStartsServesAndAdvertisesNothing() throws Exception {
        TestGateway fixture = gateways.in(home);
        AtomicInteger asked = new AtomicInteger();
        // plain ws:// for the raw socket: the question of a route is the same in wss://
        Gateway gateway = start(fixture, noRoute(asked), "--bind", "0.0.0.0", "--insecure-plaintext");
        assertServes(raw(fixture, Map.of("Authorization", "Bearer " + gateway.token())));
        assertEquals(1, asked.get());
        assertEquals("", gateway.advertisedEndpoint(), "degraded to no advertised endpoint");
    }
}
