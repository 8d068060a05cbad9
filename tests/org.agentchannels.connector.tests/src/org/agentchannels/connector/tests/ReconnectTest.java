package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connections cut mid-turn through a fault proxy: after the reconnect every client holds exactly the
 * gateway's transcript, and every prompt was run once or reported failed. Each case runs against a gateway
 * with our additions (numbered events, replay, submission ids) and against a June-line Hermes one.
 */
@SuppressWarnings("resource") // the fixture closes what it tracks
class ReconnectTest {

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    private record Setup(ScriptedGateway gateway, FakeSessionHost host, FaultProxy proxy, StandaloneGatewayConnector connector,
            AttachedSession session) {
    }

    private Setup setup(boolean numbered) throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desktop"));
        FakeSessionHost host = new FakeSessionHost(gw, numbered);
        gw.start();
        host.add("s1", "k1").rows.add(TranscriptRow.user("earlier", "desktop"));
        FaultProxy proxy = fixture.track(new FaultProxy(gw.port()));
        fixture.trust(proxy.endpoint());
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession session = await(connector.attach(proxy.endpoint(), "s1", "k1"));
        return new Setup(gw, host, proxy, connector, session);
    }

    private static void awaitSameTranscript(Setup s) {
        Await.until("the client to hold the gateway's transcript", WAIT,
                () -> s.session.model().rows().equals(List.copyOf(s.host.session("s1").rows))
                        && !s.session.model().isStreaming() && s.session.connection().state().isConnected());
    }

    @ParameterizedTest(name = "numbered events: {0}")
    @ValueSource(booleans = { true, false })
    void aTurnCutMidStreamEndsWithNothingLostAndNothingDoubled(boolean numbered) throws Exception {
        Setup s = setup(numbered);
        assertEquals("streaming", await(s.session.submit("write a poem")));
        s.host.delta("s1", "Roses ");
        Await.until("the first delta", WAIT, () -> s.session.model().streamingText().equals("Roses "));

        s.proxy.refuse(true);
        s.proxy.cutAll();
        Await.until("the client to notice", WAIT,
                () -> s.session.connection().state() instanceof ConnectionState.Reconnecting);
        // the turn goes on while this client is away, and another one starts and ends
        s.host.delta("s1", "are red");
        s.host.complete("s1", "Roses are red", "complete");
        s.host.startTurn("s1", "and another", "phone", "sub-phone");
        s.host.complete("s1", "Violets are blue", "complete");
        s.proxy.refuse(false);

        awaitSameTranscript(s);
        List<TranscriptRow> rows = s.session.model().rows();
        assertEquals(5, rows.size());
        assertEquals(1, rows.stream().filter(r -> r.text().equals("write a poem")).count());
        assertEquals(SessionActivity.IDLE, s.session.model().activity());
        assertTrue(s.session.model().outgoing().isEmpty());
        if (numbered) {
            // re-attached "since" what it had: the gateway replayed instead of sending the whole transcript
            assertTrue(s.gateway.requests("session.activate").get(1).params().has("since_seq"));
        }
    }

    @ParameterizedTest(name = "numbered events: {0}")
    @ValueSource(booleans = { true, false })
    void aPromptTypedWhileDisconnectedIsDeliveredOnceAfterTheReconnect(boolean numbered) throws Exception {
        Setup s = setup(numbered);
        s.proxy.refuse(true);
        s.proxy.cutAll();
        Await.until("the client to notice", WAIT,
                () -> s.session.connection().state() instanceof ConnectionState.Reconnecting);
        CompletableFuture<String> outcome = s.session.submit("typed offline");
        assertEquals(OutgoingPrompt.State.SENDING, s.session.model().outgoing().get(0).state());
        Thread.sleep(300); // a few redials fail meanwhile
        assertFalse(outcome.isDone());
        s.proxy.refuse(false);
        assertEquals("streaming", await(outcome));
        s.host.complete("s1", "answered", "complete");
        awaitSameTranscript(s);
        assertEquals(List.of("typed offline"), s.host.prompts());
        assertEquals(1, s.session.model().rows().stream().filter(r -> r.text().equals("typed offline")).count());
    }

    @ParameterizedTest(name = "numbered events: {0}")
    @ValueSource(booleans = { true, false })
    void aPromptWhoseAnswerIsLostIsRunOnceOrReportedFailed(boolean numbered) throws Exception {
        Setup s = setup(numbered);
        ScriptedGateway.Handler submit = s.gateway.handler("prompt.submit");
        AtomicBoolean cutOnce = new AtomicBoolean(true);
        s.gateway.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request); // the gateway runs it ...
            if (cutOnce.getAndSet(false)) {
                s.proxy.cutAll(); // ... and the answer never reaches the client
                return null;
            }
            return result;
        });
        CompletableFuture<String> outcome = s.session.submit("exactly once please");
        if (numbered) {
            // sent again with the same submission id; the gateway recognises it and does not run it twice
            await(outcome);
            assertEquals(2, s.gateway.requests("prompt.submit").size());
            assertEquals(s.gateway.requests("prompt.submit").get(0).params().get("submission_id"),
                    s.gateway.requests("prompt.submit").get(1).params().get("submission_id"));
        } else {
            // a June-line gateway cannot tell a resend from a new prompt, so nothing is sent again: either the
            // turn had visibly started before the cut (delivered), or the person is told to check
            Await.until("an outcome", WAIT, outcome::isDone);
            if (outcome.isCompletedExceptionally()) {
                GatewayException e = failure(outcome);
                assertTrue(e.getMessage().contains("check the transcript"), e.getMessage());
                assertTrue(s.session.model().outgoing().stream().anyMatch(p -> p.state() == OutgoingPrompt.State.FAILED));
            }
            assertEquals(1, s.gateway.requests("prompt.submit").size());
        }
        s.host.complete("s1", "ok", "complete");
        assertEquals(List.of("exactly once please"), s.host.prompts());
        Await.until("the client to reconnect and re-hydrate", WAIT,
                () -> s.session.model().rows().stream().filter(r -> r.text().equals("ok")).count() == 1
                        && s.session.model().rows().equals(List.copyOf(s.host.session("s1").rows)));
    }

    @ParameterizedTest(name = "numbered events: {0}")
    @ValueSource(booleans = { true, false })
    void aStalledConnectionLosesNothing(boolean numbered) throws Exception {
        Setup s = setup(numbered);
        await(s.session.submit("go"));
        s.proxy.stall(true);
        for (int i = 0; i < 200; i++) {
            s.host.delta("s1", i + " ");
        }
        s.host.complete("s1", "", "complete");
        Thread.sleep(200);
        s.proxy.stall(false);
        awaitSameTranscript(s);
        assertTrue(s.session.model().rows().get(2).text().startsWith("0 1 2 "));
    }

    @org.junit.jupiter.api.Test
    void aRefusedTokenStopsRedialsAndARepairedTokenAttachesAgainOnTheNextPrompt() throws Exception {
        ScriptedGateway first = fixture.track(new ScriptedGateway().deviceName("desktop").token("old-token"));
        new FakeSessionHost(first, false).add("s1", "k1");
        first.start();
        fixture.tokens.put(first.endpoint(), "old-token");
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession session = await(connector.attach(first.endpoint(), "s1", "k1"));
        int port = first.port();
        first.close();

        // the gateway comes back with a new token: the redial is refused and the connection stops trying
        ScriptedGateway second = fixture.track(new ScriptedGateway().deviceName("desktop").token("new-token"));
        FakeSessionHost host = new FakeSessionHost(second, false);
        host.add("s1", "k1").rows.add(TranscriptRow.user("kept across the restart", "desktop"));
        second.start(port);
        Await.until("the refusal", WAIT, () -> session.connection().state() instanceof ConnectionState.Failed f
                && f.kind() == GatewayException.Kind.UNAUTHORIZED);

        fixture.tokens.put(first.endpoint(), "new-token"); // paired again
        assertEquals("streaming", await(session.submit("after pairing")));
        assertEquals(List.of("after pairing"), host.prompts());
        Await.until("the re-attached transcript", WAIT,
                () -> session.model().rows().stream().anyMatch(r -> r.text().equals("kept across the restart")));
    }
}
