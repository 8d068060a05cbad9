package org.agentchannels.core.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * A {@code session.presence_list} that sends what changed: a team's gateway serves ten thousand records, and a
 * client that asks every few seconds would otherwise get (and read) all of them to learn that one changed. A
 * client names the {@code version} of the list it holds ({@code since}); the gateway, when it still has that
 * list, answers with the records added or changed since ({@code sessions}), the names of those gone
 * ({@code removed}) and the new version, else with the whole list as before. A gateway that knows none of this
 * (Hermes) answers with the whole list, and a client reads that as it always did. Pure: no I/O, no threads.
 */
public final class PresenceChanges {

    /** The records added or changed ({@code changed}), and the names ({@link #nameOf}) of those gone. */
    public record Delta(List<PresenceRecord> changed, List<String> removed) {
        public boolean isEmpty() {
            return changed.isEmpty() && removed.isEmpty();
        }
    }

    private PresenceChanges() {
    }

    /**
     * A record's name among the records of a list: one gateway's ({@code instance_id} at its {@code endpoint})
     * record about one session, as a record's file is named; two stores holding the same record hold one name.
     */
    public static String nameOf(PresenceRecord r) {
        return r.instanceId() + " " + r.endpoint().trim() + " " + r.sessionId();
    }

    /** The records of {@code list} by name, in its order. */
    public static Map<String, PresenceRecord> byName(List<PresenceRecord> list) {
        Map<String, PresenceRecord> out = new LinkedHashMap<>(Math.max(16, list.size() * 4 / 3 + 1));
        for (PresenceRecord r : list) {
            out.put(nameOf(r), r);
        }
        return out;
    }

    /** What turns the list {@code before} (by name) into {@code now}. */
    public static Delta between(Map<String, PresenceRecord> before, List<PresenceRecord> now) {
        List<PresenceRecord> changed = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>(Math.max(16, now.size() * 4 / 3 + 1));
        for (PresenceRecord r : now) {
            String name = nameOf(r);
            seen.put(name, Boolean.TRUE);
            PresenceRecord was = before.get(name);
            if (was != r && !r.equals(was)) { // most are the very records of the previous list
                changed.add(r);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String name : before.keySet()) {
            if (!seen.containsKey(name)) {
                removed.add(name);
            }
        }
        return new Delta(changed, removed);
    }

    /** The result that tells what changed since {@code since}: {@code {sessions, removed, version, since}}. */
    public static JsonObject changesToJson(Delta delta, String version, String since) {
        JsonObject result = PresenceRecord.listToJson(delta.changed());
        JsonArray removed = new JsonArray();
        delta.removed().forEach(removed::add);
        result.add("removed", removed);
        result.addProperty("version", version);
        result.addProperty("since", since);
        return result;
    }

    /** The whole list, with the version a client names to be told only what changes from it. */
    public static JsonObject wholeToJson(List<PresenceRecord> records, String version) {
        JsonObject result = PresenceRecord.listToJson(records);
        result.addProperty("version", version);
        return result;
    }

    /** The version a result names, if any (a Hermes gateway names none). */
    public static Optional<String> version(JsonObject result) {
        return result.get("version") instanceof JsonPrimitive p && p.isString() ? Optional.of(p.getAsString())
                : Optional.empty();
    }

    /** The version a result of changes is relative to; empty for a whole list. */
    public static Optional<String> since(JsonObject result) {
        return result.get("since") instanceof JsonPrimitive p && p.isString() ? Optional.of(p.getAsString())
                : Optional.empty();
    }

    /** The changes a result carries; entries that are not records or names are skipped. */
    public static Delta changesFrom(JsonObject result) {
        List<String> removed = new ArrayList<>();
        if (result.get("removed") instanceof JsonArray names) {
            for (JsonElement e : names) {
                if (e instanceof JsonPrimitive p && p.isString()) {
                    removed.add(p.getAsString());
                }
            }
        }
        return new Delta(PresenceRecord.listFrom(result), removed);
    }

    /**
     * {@code held} (by name) with {@code delta} applied, newest first as a gateway lists them.
     *
     * @return the new list; {@code held} is changed to it
     */
    public static List<PresenceRecord> apply(Map<String, PresenceRecord> held, Delta delta) {
        for (String name : delta.removed()) {
            held.remove(name);
        }
        for (PresenceRecord r : delta.changed()) {
            held.put(nameOf(r), r);
        }
        List<PresenceRecord> out = new ArrayList<>(held.values());
        out.sort((a, b) -> Double.compare(b.updatedAt(), a.updatedAt()));
        return List.copyOf(out);
    }
}
