package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connector against a June-line Hermes gateway as it really behaves (issue 14): refusals before the upgrade,
 * results without titles, the spinner, 4009 busy, and sessions reaped while their records remain.
 */
@SuppressWarnings("resource") // the fixture closes what it tracks
class HermesGatewayTest {

    private static final String KEY = "20261124_120000_abcdef";

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    private ScriptedGateway hermes(FakeSessionHost[] host) throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desktop"));
        host[0] = new FakeSessionHost(gw, false);
        gw.start();
        fixture.trust(gw.endpoint());
        return gw;
    }

    /**
     * Waits until whatever the client does on hearing the events sent so far has reached the gateway: a later
     * event is applied after the earlier ones' handling on the same reader thread, and a ping is answered after
     * every request written before it.
     */
    private static void settle(AttachedSession s, FakeSessionHost host) throws Exception {
        String marker = "settled " + System.nanoTime();
        host.emit(host.session(s.sessionId()), new org.agentchannels.core.protocol.GatewayEvent.SessionTitle(marker, KEY));
        Await.until("the marker event", WAIT, () -> s.model().title().equals(marker));
        await(s.connection().ping());
    }

    /** Session s1 attached from the laptop while a turn typed on the desk runs. */
    private AttachedSession attachedDuringTheDesksTurn(ScriptedGateway gw, FakeSessionHost host) throws Exception {
        host.add("s1", KEY);
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession s = await(connector.attach(gw.endpoint(), "s1", KEY));
        host.startTurn("s1", "the desk's long turn", "desktop", "");
        Await.until("the running turn", WAIT, () -> s.model().isTurnRunning());
        return s;
    }

    @Test
    void aTokenRefusedWithHttp403IsSaidToBeTheTokensOrTheOriginsAndRemembered() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName("desktop").token("the-right-one"));
        new FakeSessionHost(gw, false).add("s1", KEY);
        gw.start();
        fixture.tokens.put(gw.endpoint(), "a-stale-one");
        StandaloneGatewayConnector connector = fixture.connector("laptop");

        GatewayException refused = failure(connector.attach(gw.endpoint(), "s1", KEY));
        assertEquals(GatewayException.Kind.UNAUTHORIZED, refused.kind());
        assertEquals(403, refused.code());
        assertTrue(refused.getMessage().contains("refused the token or this client's origin"), refused.getMessage());
        assertFalse(refused.getMessage().contains("a-stale-one"));
        assertEquals(GatewayException.Kind.UNAUTHORIZED, connector.refusal(gw.endpoint()).orElseThrow().kind());

        fixture.tokens.put(gw.endpoint(), "the-right-one"); // paired again
        assertTrue(connector.refusal(gw.endpoint()).isEmpty(), "the refused token is no longer the paired one");
        await(connector.attach(gw.endpoint(), "s1", KEY));
        assertTrue(connector.refusal(gw.endpoint()).isEmpty(), "let in again: no refusal to show");
    }

    @Test
    void aTitleTheResultLacksIsTakenFromWhatTheClientKnowsElseFromTheGatewaysLists() throws Exception {
        FakeSessionHost[] host = new FakeSessionHost[1];
        ScriptedGateway gw = hermes(host);
        host[0].add("s1", KEY).title = "Fix the flaky test";
        StandaloneGatewayConnector connector = fixture.connector("laptop");

        AttachedSession known = await(connector.attach(gw.endpoint(), "s1", KEY, "From the record"));
        assertEquals("From the record", known.model().title());
        connector.detach(known);

        StandaloneGatewayConnector another = fixture.connector("tablet");
        AttachedSession looked = await(another.attach(gw.endpoint(), "s1", KEY));
        Await.until("the title from session.active_list", WAIT, () -> looked.model().title().equals("Fix the flaky test"));

        AttachedSession created = await(another.createSession(gw.endpoint(), "A new one"));
        assertEquals("A new one", created.model().title(), "the title asked for, as the result names none");
    }

    @Test
    void theSpinnerIsAPassingStatusAndNeverReasoningOrTranscript() throws Exception {
        FakeSessionHost[] host = new FakeSessionHost[1];
        ScriptedGateway gw = hermes(host);
        host[0].add("s1", KEY);
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession s = await(connector.attach(gw.endpoint(), "s1", KEY));

        host[0].startTurn("s1", "why does it race?", "desktop", "");
        host[0].spinner("s1", "(\u00ac_\u00ac) pondering...");
        Await.until("the spinner", WAIT, () -> s.model().spinner().equals("(\u00ac_\u00ac) pondering..."));
        host[0].reasoning("s1", "The test shares a port.");
        host[0].spinner("s1", "");
        Await.until("the spinner cleared", WAIT, () -> s.model().spinner().isEmpty());
        host[0].spinner("s1", "(\u00b0\u30ed\u00b0) contemplating...");
        host[0].complete("s1", "It shares a port.", "complete");
        // the June line's message.start names no prompt: the desk's user row is not this client's to add
        Await.until("the turn's end", WAIT, () -> s.model().rowCount() == 1);

        assertEquals("", s.model().spinner(), "a turn's end clears it");
        TranscriptRow answer = s.model().rows().get(0);
        assertEquals("The test shares a port.", answer.reasoning());
        assertFalse(answer.toJson().toString().contains("pondering") || answer.toJson().toString().contains("contemplating"));
    }

    @Test
    void aPromptRefusedAsBusyWaitsForTheRunningTurnAndIsSentOnce() throws Exception {
        FakeSessionHost[] host = new FakeSessionHost[1];
        ScriptedGateway gw = hermes(host);
        AttachedSession s = attachedDuringTheDesksTurn(gw, host[0]);

        CompletableFuture<String> first = s.submit("after it, please");
        CompletableFuture<String> second = s.submit("and then this");
        Await.until("both held", WAIT, () -> s.model().outgoing().stream()
                .filter(p -> p.state() == OutgoingPrompt.State.HELD).count() == 2);
        assertEquals(List.of(), host[0].prompts(), "nothing ran during the other turn");
        assertEquals(1, gw.requests("prompt.submit").size(), "the second waits behind the first without asking");

        host[0].complete("s1", "done at the desk", "complete");
        assertEquals("streaming", await(first));
        assertEquals(List.of("after it, please"), host[0].prompts());
        assertFalse(second.isDone(), "the first one's turn runs now: the second still waits");
        host[0].complete("s1", "first answered", "complete");
        assertEquals("streaming", await(second));
        host[0].complete("s1", "second answered", "complete");
        assertEquals(List.of("after it, please", "and then this"), host[0].prompts(), "each once, in order");
        Await.until("both in the transcript", WAIT, () -> s.model().rows().stream()
                .filter(r -> r.role().equals(TranscriptRow.USER)).map(TranscriptRow::text).toList()
                .equals(List.of("after it, please", "and then this")));
    }

    @Test
    void aHeldPromptItsSenderGaveUpOnIsNeverSent() throws Exception {
        FakeSessionHost[] host = new FakeSessionHost[1];
        ScriptedGateway gw = hermes(host);
        AttachedSession s = attachedDuringTheDesksTurn(gw, host[0]);
        CompletableFuture<String> given = s.submit("never mind");
        Await.until("held", WAIT, () -> !s.model().outgoing().isEmpty()
                && s.model().outgoing().get(0).state() == OutgoingPrompt.State.HELD);
        given.cancel(false);
        Await.until("withdrawn", WAIT, () -> s.model().outgoing().isEmpty());
        host[0].complete("s1", "done", "complete");
        Await.until("the turn's end", WAIT, () -> s.model().rowCount() == 1);
        settle(s, host[0]);
        assertEquals(1, gw.requests("prompt.submit").size(), "not sent again after the turn");
        assertEquals(List.of(), host[0].prompts());
    }

    @Test
    void aReapedSessionIsFollowedUnderTheRuntimeIdResumeGivesIt() throws Exception {
        FakeSessionHost[] host = new FakeSessionHost[1];
        ScriptedGateway gw = hermes(host);
        FakeSessionHost.HostedSession hosted = host[0].add("s1", KEY);
        hosted.rows.add(TranscriptRow.user("stored earlier", "desktop"));
        hosted.title = "Kept";
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession s = await(connector.attach(gw.endpoint(), "s1", KEY));
        int port = gw.port();

        // this device sleeps past the reap: the gateway goes away, reaps the session, and comes back
        gw.close();
        host[0].reap("s1");
        gw.start(port);
        Await.until("the session followed under its new id", WAIT, () -> !s.sessionId().equals("s1")
                && s.sessionId().equals(host[0].liveIdOf(KEY)));
        assertNotEquals("s1", s.model().sessionId());
        assertEquals("stored earlier", s.model().rows().get(0).text());

        assertEquals("streaming", await(s.submit("still here?")));
        assertEquals(List.of("still here?"), host[0].prompts());
        assertEquals(s.sessionId(), gw.requests("prompt.submit").get(0).params().get("session_id").getAsString());
    }

    @Test
    void aReapedSessionNoPromptStoredIsNotLiveUnderEitherId() throws Exception {
        FakeSessionHost[] host = new FakeSessionHost[1];
        ScriptedGateway gw = hermes(host);
        host[0].add("s1", KEY);
        host[0].reap("s1");
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        GatewayException gone = failure(connector.attach(gw.endpoint(), "s1", KEY));
        assertEquals(GatewayException.Kind.RPC_ERROR, gone.kind());
        assertEquals(JsonRpcCodes.STORED_SESSION_NOT_FOUND, gone.code());
        assertEquals(1, gw.requests("session.activate").size());
        assertEquals(1, gw.requests("session.resume").size());
    }
}
