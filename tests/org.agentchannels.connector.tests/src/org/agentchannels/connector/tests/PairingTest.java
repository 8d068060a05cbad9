package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connector dials only gateways this device paired (issue 12, item 2): an attacker's server that a planted
 * presence record names, and that would accept anything without a token, gets neither a connection nor a prompt.
 * Link-local and unspecified addresses are never dialled (item 10).
 */
@SuppressWarnings("resource") // the fixture closes what it tracks
class PairingTest {

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    /** A server that accepts every connection without a token and would run any prompt it is sent. */
    private ScriptedGateway attacker() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desktop"));
        new FakeSessionHost(gw, false).add("victim01", "20261124_120000_abcdef");
        return gw.start();
    }

    private static void assertGotNothing(ScriptedGateway attacker) {
        assertTrue(attacker.authorizations().isEmpty(), "nobody connected to the unpaired server");
        assertTrue(attacker.peers().isEmpty());
        assertTrue(attacker.requests().isEmpty());
    }

    @Test
    void anUnpairedGatewayIsNeverDialledSoItGetsNoPrompt() throws Exception {
        ScriptedGateway attacker = attacker();
        ScriptedGateway local = fixture.track(new ScriptedGateway().deviceName("laptop").start());
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.connectLocal(local.endpoint()));

        assertFalse(connector.isPaired(attacker.endpoint()));
        GatewayException attach = failure(connector.attach(attacker.endpoint(), "victim01", "20261124_120000_abcdef"));
        assertEquals(GatewayException.Kind.NOT_PAIRED, attach.kind());
        assertTrue(attach.getMessage().contains(attacker.endpoint()) && attach.getMessage().contains("not paired"),
                attach.getMessage());
        assertEquals(GatewayException.Kind.NOT_PAIRED, failure(connector.createSession(attacker.endpoint(), "x")).kind());
        assertEquals(GatewayException.Kind.NOT_PAIRED, failure(connector.ensureGatewayForEndpoint(attacker.endpoint())).kind());
        assertEquals(GatewayException.Kind.NOT_PAIRED, failure(connector.gatewayForEndpoint(attacker.endpoint())).kind());

        assertGotNothing(attacker);
        assertEquals(List.of(connector.localGateway().orElseThrow()), connector.connections(), "no connection was pooled");
        assertFalse(connector.activeBackendIsRemote(), "a refused dial does not change the active gateway");
        assertTrue(connector.attachedSessions().isEmpty());
    }

    @Test
    void aTokenOrTheExplicitTrustWithoutOnePairsAGatewayAndForgettingItUnpairsIt() throws Exception {
        ScriptedGateway desk = fixture.track(new ScriptedGateway().deviceName("desktop").token("desk-token-1234").start());
        new FakeSessionHost(desk, false).add("s1", "k1");
        ScriptedGateway hermes = fixture.track(new ScriptedGateway().deviceName("hermes-box").start());
        new FakeSessionHost(hermes, false).add("h1", "kh");
        StandaloneGatewayConnector connector = fixture.connector("laptop");

        fixture.tokens.put(desk.endpoint(), "desk-token-1234");
        assertTrue(connector.isPaired(desk.endpoint()));
        AttachedSession s = await(connector.attach(desk.endpoint(), "s1", "k1"));
        assertEquals("streaming", await(s.submit("a prompt for my desktop")));
        assertEquals("Bearer desk-token-1234", desk.authorizations().get(0));

        fixture.tokens.trustWithoutToken(hermes.endpoint());
        assertTrue(connector.isPaired(hermes.endpoint()));
        assertTrue(fixture.tokens.token(hermes.endpoint()).isEmpty(), "trust without a token is no token");
        AttachedSession h = await(connector.attach(hermes.endpoint(), "h1", "kh"));
        assertEquals("streaming", await(h.submit("a prompt for the trusted box")));

        // forgotten: even the connection still in the pool is not handed out again
        fixture.tokens.remove(hermes.endpoint());
        assertFalse(connector.isPaired(hermes.endpoint()));
        assertEquals(GatewayException.Kind.NOT_PAIRED, failure(connector.ensureGatewayForEndpoint(hermes.endpoint())).kind());
    }

    @Test
    void aGatewayUnpairedWhileItsConnectionIsDownIsNotDialledAgain() throws Exception {
        ScriptedGateway desk = fixture.track(new ScriptedGateway().deviceName("desktop").token("desk-token-1234").start());
        new FakeSessionHost(desk, false).add("s1", "k1");
        FaultProxy proxy = fixture.track(new FaultProxy(desk.port()));
        fixture.tokens.put(proxy.endpoint(), "desk-token-1234");
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession s = await(connector.attach(proxy.endpoint(), "s1", "k1"));
        int dials = desk.authorizations().size();

        // unpaired (the person removed it) just before the connection drops: the redial finds it unpaired
        fixture.tokens.remove(proxy.endpoint());
        proxy.cutAll();

        Await.until("the connection to give up", WAIT, () -> s.connection().state() instanceof ConnectionState.Failed);
        ConnectionState.Failed failed = (ConnectionState.Failed) s.connection().state();
        assertEquals(GatewayException.Kind.NOT_PAIRED, failed.kind(), failed.reason());
        // a prompt typed into the chat still open on it dials nothing either
        assertEquals(GatewayException.Kind.NOT_PAIRED, failure(s.submit("are you still there?")).kind());
        assertEquals(dials, desk.authorizations().size(), "the gateway saw no new dial, so no token went to it again");
        assertTrue(desk.requests("prompt.submit").isEmpty(), "and no prompt");
    }

    @Test
    void thisDevicesOwnGatewayCountsAsPaired() throws Exception {
        ScriptedGateway local = fixture.track(new ScriptedGateway().deviceName("laptop").start());
        new FakeSessionHost(local, false).add("l1", "kl");
        StandaloneGatewayConnector connector = fixture.connector("");
        assertFalse(connector.isPaired(local.endpoint()));
        await(connector.connectLocal(local.endpoint()));
        assertTrue(connector.isPaired(local.endpoint()));
        assertEquals(connector.localGateway().orElseThrow(), await(connector.ensureGatewayForEndpoint(local.endpoint())));
        AttachedSession s = await(connector.attach(null, "l1", "kl"));
        assertFalse(s.isRemote());
    }

    @Test
    void linkLocalAndUnspecifiedAddressesAreNeverDialledEvenWhenPaired() throws Exception {
        StandaloneGatewayConnector connector = fixture.connector("");
        for (String endpoint : List.of("ws://169.254.169.254/api/ws", "ws://169.254.0.1:8664/api/ws",
                "ws://0.0.0.0:8664/api/ws", "ws://[::]:8664/api/ws", "ws://[fe80::1]:8664/api/ws",
                "ws://[::ffff:169.254.169.254]:80/api/ws")) {
            fixture.tokens.put(endpoint, "paired-token-123");
            assertFalse(connector.isPaired(endpoint), endpoint);
            GatewayException remote = failure(connector.ensureGatewayForEndpoint(endpoint));
            assertEquals(GatewayException.Kind.BAD_ENDPOINT, remote.kind(), endpoint);
            assertTrue(remote.getMessage().contains("link-local") || remote.getMessage().contains("unspecified"),
                    remote.getMessage());
            assertFalse(remote.getMessage().contains("paired-token-123"));
            assertEquals(GatewayException.Kind.BAD_ENDPOINT, failure(connector.connectLocal(endpoint)).kind(), endpoint);
        }
        assertTrue(connector.connections().isEmpty());
    }
}
