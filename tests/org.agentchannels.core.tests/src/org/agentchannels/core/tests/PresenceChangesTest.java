package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.agentchannels.core.presence.PresenceChanges;
import org.agentchannels.core.presence.PresenceRecord;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The changes between two presence lists, sent and applied: whatever happens between two asks (records added,
 * changed, refreshed, removed, the same session from two gateways), the list a client holds after applying the
 * changes is the list it would have been sent whole.
 */
class PresenceChangesTest {

    private static PresenceRecord record(int session, int gateway, String status, double updatedAt) {
        return new PresenceRecord(1, "s" + session, "k" + session, status, "Session " + session, "model", "", "", "", "",
                "ws://10.0.0." + gateway + ":8664/api/ws", "host" + gateway, 0, "", updatedAt,
                updatedAt + PresenceRecord.DEFAULT_TTL_SECONDS, gateway);
    }

    /** The list a gateway serves: by name, newest first. */
    private static List<PresenceRecord> served(Map<String, PresenceRecord> byName) {
        List<PresenceRecord> out = new ArrayList<>(byName.values());
        out.sort((a, b) -> Double.compare(b.updatedAt(), a.updatedAt()));
        return out;
    }

    @Test
    void aClientThatAppliesEveryChangeHoldsTheListItWouldHaveBeenSentWhole() {
        Random random = new Random(7);
        Map<String, PresenceRecord> gateway = new java.util.LinkedHashMap<>();
        double now = 1_800_000_000;
        List<PresenceRecord> first = served(gateway);
        Map<String, PresenceRecord> sentBefore = PresenceChanges.byName(first);
        Map<String, PresenceRecord> client = PresenceChanges.byName(first);
        for (int round = 0; round < 300; round++) {
            now += 1;
            for (int change = random.nextInt(20); change > 0; change--) {
                int session = random.nextInt(60);
                int gatewayId = random.nextInt(3);
                PresenceRecord r = record(session, gatewayId, random.nextBoolean() ? "idle" : "working", now - random.nextInt(5));
                switch (random.nextInt(4)) {
                    case 0 -> gateway.remove(PresenceChanges.nameOf(r));
                    default -> gateway.put(PresenceChanges.nameOf(r), r);
                }
            }
            List<PresenceRecord> whole = served(gateway);
            PresenceChanges.Delta delta = PresenceChanges.between(sentBefore, whole);
            // on the wire and back
            JsonObject sent = JsonParser.parseString(PresenceChanges.changesToJson(delta, "v" + (round + 1), "v" + round)
                    .toString()).getAsJsonObject();
            assertEquals(Optional.of("v" + round), PresenceChanges.since(sent));
            assertEquals(Optional.of("v" + (round + 1)), PresenceChanges.version(sent));
            List<PresenceRecord> held = PresenceChanges.apply(client, PresenceChanges.changesFrom(sent));
            assertEquals(new HashSet<>(whole), new HashSet<>(held), "round " + round);
            assertEquals(whole.size(), held.size());
            for (int i = 1; i < held.size(); i++) {
                assertTrue(held.get(i - 1).updatedAt() >= held.get(i).updatedAt(), "newest first");
            }
            sentBefore = PresenceChanges.byName(whole);
        }
    }

    @Test
    void onlyWhatChangedIsSentAndAnUnchangedListIsNoChange() {
        List<PresenceRecord> before = List.of(record(1, 1, "idle", 100), record(2, 1, "idle", 99), record(3, 2, "idle", 98));
        List<PresenceRecord> after = List.of(record(1, 1, "working", 101), record(2, 1, "idle", 99), record(4, 2, "idle", 97));
        PresenceChanges.Delta delta = PresenceChanges.between(PresenceChanges.byName(before), after);
        assertEquals(List.of(after.get(0), after.get(2)), delta.changed());
        assertEquals(List.of(PresenceChanges.nameOf(before.get(2))), delta.removed());
        assertTrue(PresenceChanges.between(PresenceChanges.byName(after), new ArrayList<>(after)).isEmpty());
        // the same session from two gateways is two records
        assertEquals(2, PresenceChanges.byName(List.of(record(5, 1, "idle", 1), record(5, 2, "idle", 1))).size());
    }

    @Test
    void aWholeListNamesItsVersionAndNothingSinceAndAHermesListNeither() {
        JsonObject whole = PresenceChanges.wholeToJson(List.of(record(1, 1, "idle", 1)), "v9");
        assertEquals(Optional.of("v9"), PresenceChanges.version(whole));
        assertEquals(Optional.empty(), PresenceChanges.since(whole));
        JsonObject hermes = PresenceRecord.listToJson(List.of(record(1, 1, "idle", 1)));
        assertEquals(Optional.empty(), PresenceChanges.version(hermes));
        JsonObject hostile = JsonParser.parseString("{\"sessions\":[1,\"x\",{}],\"removed\":[2,null,\"a b c\"],"
                + "\"version\":3,\"since\":[]}").getAsJsonObject();
        assertEquals(Optional.empty(), PresenceChanges.version(hostile));
        assertEquals(Optional.empty(), PresenceChanges.since(hostile));
        assertEquals(List.of("a b c"), PresenceChanges.changesFrom(hostile).removed(), "what is not a name is skipped");
    }
}
