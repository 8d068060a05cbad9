package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.OutgoingPrompt;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.core.session.SessionModel.Change;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The session model: hydration, the turn assembled from deltas, status derivation, no duplicates. */
class SessionModelTest {

    private final FrameCodec codec = new FrameCodec();

    private Frame.Event event(String json) {
        return (Frame.Event) codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":" + json + "}");
    }

    private SessionSnapshot snapshot(String json) {
        return SessionSnapshot.fromResult(JsonParser.parseString(json).getAsJsonObject(), codec);
    }

    @Test
    void hydratesFromAnActivateResultWithATurnInFlight() {
        SessionModel model = new SessionModel("s1");
        model.hydrate(snapshot("{\"session_id\":\"s1\",\"session_key\":\"20260610_120000_abcdef\",\"running\":true,"
                + "\"status\":\"working\",\"info\":{\"model\":\"m1\"},\"messages\":[{\"role\":\"user\",\"text\":\"hi\","
                + "\"sender_device\":\"laptop\"},{\"role\":\"assistant\",\"text\":\"hello\",\"reasoning\":\"think\"},"
                + "{\"role\":\"tool\",\"name\":\"terminal\",\"context\":\"ls\"},{\"role\":\"user\",\"text\":\"more\"}],"
                + "\"inflight\":{\"assistant\":\"partial\",\"streaming\":true,\"user\":\"more\"}}"));
        assertEquals("20260610_120000_abcdef", model.sessionKey());
        assertEquals("m1", model.model());
        List<TranscriptRow> rows = model.rows();
        assertEquals(4, rows.size()); // the in-flight prompt is already the last user row: not added twice
        assertEquals("laptop", rows.get(0).senderDevice());
        assertEquals("think", rows.get(1).reasoning());
        assertEquals("terminal", rows.get(2).toolName());
        assertEquals("partial", model.streamingText());
        assertEquals(SessionActivity.WORKING, model.activity());
    }

    @Test
    void assemblesATurnFromDeltasAndTakesTheCompleteTextAsAuthoritative() {
        SessionModel model = new SessionModel("s1");
        List<Set<Change>> seen = new ArrayList<>();
        model.addListener((m, changes) -> seen.add(EnumSet.copyOf(changes)));
        model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\"}"));
        assertEquals(SessionActivity.WORKING, model.activity());
        model.apply(event("{\"type\":\"reasoning.delta\",\"session_id\":\"s1\",\"payload\":{\"text\":\"hmm\"}}"));
        model.apply(event("{\"type\":\"message.delta\",\"session_id\":\"s1\",\"payload\":{\"text\":\"Hel\"}}"));
        model.apply(event("{\"type\":\"message.delta\",\"session_id\":\"s1\",\"payload\":{\"text\":\"lo\"}}"));
        assertEquals("Hello", model.streamingText());
        assertEquals("hmm", model.streamingReasoning());
        // a coalescing gateway dropped a delta: the complete text wins
        model.apply(event("{\"type\":\"message.complete\",\"session_id\":\"s1\",\"payload\":{\"text\":\"Hello!\","
                + "\"status\":\"complete\",\"usage\":{\"output\":2}}}"));
        assertEquals(List.of(TranscriptRow.assistant("Hello!", "hmm", "complete")), model.rows());
        assertFalse(model.isStreaming());
        assertEquals(SessionActivity.IDLE, model.activity());
        assertTrue(seen.stream().anyMatch(c -> c.contains(Change.STREAM)));
        assertTrue(seen.get(seen.size() - 1).contains(Change.ROWS));
    }

    @Test
    void needsInputWhileARequestIsPendingAndWorkingAgainWhenAnswered() {
        SessionModel model = new SessionModel("s1");
        model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\"}"));
        model.apply(event("{\"type\":\"approval.request\",\"session_id\":\"s1\",\"payload\":{\"command\":\"rm x\"}}"));
        assertEquals(SessionActivity.NEEDS_INPUT, model.activity());
        model.resolveInputRequest(model.pendingInputs().get(0));
        assertEquals(SessionActivity.WORKING, model.activity());
        model.apply(event("{\"type\":\"clarify.request\",\"session_id\":\"s1\",\"payload\":{\"question\":\"?\",\"request_id\":\"r1\"}}"));
        model.apply(event("{\"type\":\"request.cancel\",\"session_id\":\"s1\",\"payload\":{\"request_id\":\"r1\"}}"));
        assertEquals(SessionActivity.WORKING, model.activity());
        model.apply(event("{\"type\":\"message.complete\",\"session_id\":\"s1\",\"payload\":{\"text\":\"\",\"status\":\"interrupted\"}}"));
        assertEquals(SessionActivity.IDLE, model.activity());
        assertEquals("interrupted", model.rows().get(0).status());
    }

    @Test
    void sessionInfoRunningDrivesTheStatusWithoutAStart() {
        SessionModel model = new SessionModel("s1");
        model.apply(event("{\"type\":\"session.info\",\"session_id\":\"s1\",\"payload\":{\"model\":\"m2\",\"running\":true}}"));
        assertEquals(SessionActivity.WORKING, model.activity());
        model.apply(event("{\"type\":\"session.info\",\"session_id\":\"s1\",\"payload\":{\"running\":false}}"));
        assertEquals(SessionActivity.IDLE, model.activity());
        assertEquals("m2", model.model());
    }

    @Test
    void anAgentStartingOrNeedingSignInShowsAsSuchUntilTheGatewaySaysItIsReady() {
        SessionModel model = new SessionModel("s1");
        model.hydrate(snapshot("{\"session_id\":\"s1\",\"status\":\"starting\",\"messages\":[]}"));
        assertEquals(SessionActivity.STARTING, model.activity());
        // a prompt waiting for its agent: still starting, yet a turn runs
        model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\"}"));
        model.apply(event("{\"type\":\"session.info\",\"session_id\":\"s1\",\"payload\":{\"running\":true,"
                + "\"status\":\"starting\"}}"));
        assertEquals(SessionActivity.STARTING, model.activity());
        assertTrue(model.isTurnRunning());
        List<Set<Change>> seen = new ArrayList<>();
        model.addListener((m, changes) -> seen.add(EnumSet.copyOf(changes)));
        model.apply(event("{\"type\":\"session.info\",\"session_id\":\"s1\",\"payload\":{\"running\":true,"
                + "\"status\":\"needs_sign_in\",\"sign_in\":{\"device\":\"desk\",\"hint\":\"Run `x login`\"}}}"));
        assertEquals(SessionActivity.NEEDS_SIGN_IN, model.activity());
        assertEquals(new SignIn("desk", "Run `x login`"), model.signIn());
        assertTrue(seen.get(0).contains(Change.STATUS), "a view repaints its status");
        model.apply(event("{\"type\":\"message.complete\",\"session_id\":\"s1\",\"payload\":{\"text\":\"\","
                + "\"status\":\"error\",\"error\":\"the agent needs sign-in\"}}"));
        assertEquals(SessionActivity.NEEDS_SIGN_IN, model.activity(), "until a start succeeds");
        model.apply(event("{\"type\":\"session.info\",\"session_id\":\"s1\",\"payload\":{\"running\":false,"
                + "\"status\":\"idle\"}}"));
        assertEquals(SessionActivity.IDLE, model.activity());
        assertEquals(null, model.signIn());
        // a Hermes gateway's session.info says no status: its agent is built
        model.hydrate(snapshot("{\"session_id\":\"s1\",\"status\":\"starting\",\"messages\":[]}"));
        model.apply(event("{\"type\":\"session.info\",\"session_id\":\"s1\",\"payload\":{\"model\":\"m\"}}"));
        assertEquals(SessionActivity.IDLE, model.activity());
    }

    @Test
    void aGatewaysNoteBecomesASystemRow() {
        SessionModel model = new SessionModel("s1");
        model.apply(event("{\"type\":\"session.note\",\"session_id\":\"s1\",\"payload\":{\"text\":\"forgot\","
                + "\"kind\":\"agent_forgot\"}}"));
        assertEquals(List.of(TranscriptRow.system("forgot", GatewayEvent.SystemNote.AGENT_FORGOT)), model.rows());
    }

    @Test
    void numberedEventsAreAppliedOnceWhateverIsReplayed() {
        SessionModel model = new SessionModel("s1");
        assertTrue(model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\",\"seq\":1}")));
        assertTrue(model.apply(event("{\"type\":\"message.delta\",\"session_id\":\"s1\",\"seq\":2,\"payload\":{\"text\":\"a\"}}")));
        // a replay after a reconnect repeats what was seen, then goes on
        model.hydrate(snapshot("{\"session_id\":\"s1\",\"last_seq\":4,\"replay\":["
                + "{\"type\":\"message.delta\",\"session_id\":\"s1\",\"seq\":2,\"payload\":{\"text\":\"a\"}},"
                + "{\"type\":\"message.delta\",\"session_id\":\"s1\",\"seq\":3,\"payload\":{\"text\":\"b\"}},"
                + "{\"type\":\"message.complete\",\"session_id\":\"s1\",\"seq\":4,\"payload\":{\"text\":\"ab\"}}]}"));
        assertFalse(model.apply(event("{\"type\":\"message.delta\",\"session_id\":\"s1\",\"seq\":3,\"payload\":{\"text\":\"b\"}}")));
        assertEquals(List.of(TranscriptRow.assistant("ab", "", "complete")), model.rows());
        assertEquals(4, model.lastSeq());
    }

    @Test
    void aPromptTypedHereWaitsInTheOutboxUntilItsTurnStarts() {
        SessionModel model = new SessionModel("s1");
        model.addOutgoing("sub-1", "first", "laptop");
        model.addOutgoing("sub-2", "second", "laptop");
        model.markOutgoing("sub-1", OutgoingPrompt.State.ACCEPTED, "");
        model.markOutgoing("sub-2", OutgoingPrompt.State.ACCEPTED, "");
        assertEquals(0, model.rowCount());
        // our gateway names the prompt that starts the turn
        model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\",\"payload\":{\"input\":\"first\","
                + "\"sender_device\":\"laptop\",\"submission_id\":\"sub-1\"}}"));
        assertEquals(List.of(TranscriptRow.user("first", "laptop")), model.rows());
        assertEquals(1, model.outgoing().size());
        model.apply(event("{\"type\":\"message.complete\",\"session_id\":\"s1\",\"payload\":{\"text\":\"one\"}}"));
        // a June-line gateway does not: the oldest accepted prompt started
        model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\"}"));
        assertEquals(TranscriptRow.user("second", "laptop"), model.rows().get(2));
        assertTrue(model.outgoing().isEmpty());
    }

    @Test
    void aPromptFromAnotherDeviceAppearsWithItsSender() {
        SessionModel model = new SessionModel("s1");
        model.apply(event("{\"type\":\"message.start\",\"session_id\":\"s1\",\"payload\":{\"input\":\"from afar\","
                + "\"sender_device\":\"desk\\n top\"}}"));
        assertEquals(TranscriptRow.user("from afar", "desk top"), model.rows().get(0));
    }

    @Test
    void aFailedPromptStaysVisibleAndAHydrationKeepsUnsentPrompts() {
        SessionModel model = new SessionModel("s1");
        model.addOutgoing("sub-1", "lost?", "laptop");
        model.addOutgoing("sub-2", "accepted", "laptop");
        model.markOutgoing("sub-2", OutgoingPrompt.State.ACCEPTED, "");
        model.hydrate(snapshot("{\"session_id\":\"s1\",\"messages\":[{\"role\":\"user\",\"text\":\"accepted\"}]}"));
        assertEquals(1, model.outgoing().size());
        assertTrue(model.hasUndelivered());
        model.markOutgoing("sub-1", OutgoingPrompt.State.FAILED, "the gateway refused it");
        assertEquals(OutgoingPrompt.State.FAILED, model.outgoing().get(0).state());
        assertEquals("the gateway refused it", model.outgoing().get(0).failure());
        assertFalse(model.hasUndelivered(), "a failed prompt is not one to deliver");
        model.addOutgoing("sub-3", "held", "laptop");
        model.markOutgoing("sub-3", OutgoingPrompt.State.HELD, "");
        assertTrue(model.hasUndelivered(), "a held one is");
    }

    @Test
    void participantsAndTitleFollowTheirEvents() {
        SessionModel model = new SessionModel("s1");
        model.apply(event("{\"type\":\"session.participants\",\"session_id\":\"s1\",\"payload\":{\"participants\":"
                + "[{\"device\":\"laptop\",\"count\":2},{\"device\":7},{\"device\":\"desk\"}]}}"));
        assertEquals(2, model.participants().size());
        assertEquals(2, model.participants().get(0).count());
        model.apply(event("{\"type\":\"session.title\",\"session_id\":\"s1\",\"payload\":{\"title\":\"Fix the build\"}}"));
        assertEquals("Fix the build", model.title());
    }

    @Test
    void hydrationReplacesTheTranscriptSoNothingIsDoubled() {
        SessionModel model = new SessionModel("s1");
        JsonObject result = JsonParser.parseString("{\"session_id\":\"s1\",\"messages\":[{\"role\":\"user\",\"text\":\"a\"},"
                + "{\"role\":\"assistant\",\"text\":\"b\"}]}").getAsJsonObject();
        model.hydrate(SessionSnapshot.fromResult(result, codec));
        model.hydrate(SessionSnapshot.fromResult(result, codec));
        assertEquals(2, model.rowCount());
        assertEquals(List.of(TranscriptRow.assistant("b", "", "")), model.rows(1, 5));
    }
}
