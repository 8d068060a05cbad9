package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.core.session.SessionModel.Change;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/** What a viewer keeps of one turn is bounded: past the budget text is dropped and the row says it was cut. */
class TurnBudgetTest {

    private long seq;

    private void apply(SessionModel model, GatewayEvent event) {
        model.apply(GatewayEvents.frame("s1", event, ++seq));
    }

    @Test
    void deltasPastTheBudgetAreDroppedAndTheRowIsMarkedCut() {
        SessionModel model = new SessionModel("s1", 100);
        List<Set<Change>> seen = new ArrayList<>();
        apply(model, new GatewayEvent.MessageStart("go", "laptop", ""));
        model.addListener((m, changes) -> seen.add(Set.copyOf(changes)));
        apply(model, new GatewayEvent.ReasoningDelta("r".repeat(30)));
        apply(model, new GatewayEvent.MessageDelta("a".repeat(60)));
        assertFalse(model.isStreamTruncated());
        apply(model, new GatewayEvent.MessageDelta("b".repeat(60))); // 10 of these fit
        assertTrue(model.isStreamTruncated());
        int fired = seen.size();
        for (int i = 0; i < 1000; i++) {
            apply(model, new GatewayEvent.MessageDelta("c".repeat(60)));
            apply(model, new GatewayEvent.ToolStart("t" + i, "terminal", "ls"));
        }
        assertEquals(fired, seen.size(), "nothing more is said of what is dropped");
        assertEquals("a".repeat(60) + "b".repeat(10), model.streamingText());
        assertEquals(1, model.rowCount(), "tool rows past the budget are dropped too");

        apply(model, new GatewayEvent.MessageComplete("", "complete", "", "", null));
        TranscriptRow row = model.rows().get(1);
        assertTrue(row.truncated());
        assertEquals("a".repeat(60) + "b".repeat(10), row.text());
        assertEquals("r".repeat(30), row.reasoning());
        assertFalse(model.isStreamTruncated(), "the next turn starts with a whole budget");
        assertEquals(Boolean.TRUE, row.toJson().get("truncated").getAsBoolean());
        assertEquals(row, TranscriptRow.fromJson(row.toJson()));
    }

    @Test
    void anEndOrASnapshotLargerThanTheBudgetIsCutAndAWholeTurnIsNot() {
        SessionModel model = new SessionModel("s1", 100);
        apply(model, new GatewayEvent.MessageStart("first", "laptop", ""));
        apply(model, new GatewayEvent.MessageDelta("fits"));
        apply(model, new GatewayEvent.MessageComplete("fits", "complete", "", "", null));
        assertEquals(TranscriptRow.assistant("fits", "", "complete"), model.rows().get(1));
        assertFalse(model.rows().get(1).truncated());
        assertFalse(model.rows().get(1).toJson().has("truncated"));

        apply(model, new GatewayEvent.MessageStart("second", "laptop", ""));
        apply(model, new GatewayEvent.MessageComplete("x" + "\ud83d\ude00".repeat(80), "complete", "", "", null));
        TranscriptRow cut = model.rows().get(3);
        assertTrue(cut.truncated());
        assertEquals("x" + "\ud83d\ude00".repeat(49), cut.text(), "cut between characters, never inside a surrogate pair");

        SessionModel hydrated = new SessionModel("s1", 100);
        hydrated.hydrate(new SessionSnapshot("s1", "k1", "", "", 0, List.of(TranscriptRow.user("go", "")), 1, true,
                "working", "x".repeat(500), "go", 7, null, List.of(), List.of()));
        assertEquals(100, hydrated.streamingText().length());
        assertTrue(hydrated.isStreamTruncated());
        assertEquals(4 * 1024 * 1024, SessionModel.MAX_TURN_CHARS);
        assertTrue(new SessionModel("s2").rows().isEmpty());
        JsonObject whole = TranscriptRow.assistant("a", "", "complete").toJson();
        assertFalse(TranscriptRow.fromJson(whole).truncated());
    }
}
