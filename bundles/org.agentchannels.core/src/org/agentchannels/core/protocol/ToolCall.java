package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * What an agent says of one tool call beyond its title (ACP {@code tool_call} / {@code tool_call_update}): the
 * detail of a tool row, which the gateway updates in place under the call's {@code id} while it runs. Its size is
 * bounded ({@link #bounded()}): an agent writing whole files into a diff fills no frame, store or viewer.
 *
 * @param id the agent's tool call id, unique within a session
 * @param kind what the tool does as the agent classifies it ({@code read}, {@code edit}, {@code execute}, ...),
 *        empty when it does not say
 * @param content the call's text content (its output, or what it will do), possibly empty
 * @param diffs the files it changes or proposes to change
 * @param locations the files (and lines) it works on
 * @param truncated part of the content or the diffs was dropped to stay within the bounds
 */
public record ToolCall(String id, String kind, String content, List<Diff> diffs, List<Location> locations,
        boolean truncated) {

    /** A tool row's status while the call waits, runs, and when it has ended (ACP's words). */
    public static final String PENDING = "pending";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** The most chars of {@link #content} kept. */
    public static final int MAX_CONTENT = 64 * 1024;
    /** The most chars kept of each side of a diff. */
    public static final int MAX_DIFF_TEXT = 256 * 1024;
    public static final int MAX_DIFFS = 16;
    public static final int MAX_LOCATIONS = 32;
    private static final int MAX_PATH = 4096;
    private static final int MAX_KIND = 40;

    /**
     * One file's change.
     *
     * @param oldText the file's text before, empty for a new file
     */
    public record Diff(String path, String oldText, String newText) {
        public Diff {
            path = path == null ? "" : path;
            oldText = oldText == null ? "" : oldText;
            newText = newText == null ? "" : newText;
        }
    }

    /** @param line the 1-based line, 0 when the agent names none */
    public record Location(String path, int line) {
        public Location {
            path = path == null ? "" : path;
            line = Math.max(0, line);
        }
    }

    public ToolCall {
        id = id == null ? "" : id;
        kind = kind == null ? "" : kind;
        content = content == null ? "" : content;
        diffs = diffs == null ? List.of() : List.copyOf(diffs);
        locations = locations == null ? List.of() : List.copyOf(locations);
    }

    /** Whether a tool row's status is an end: {@link #COMPLETED} or {@link #FAILED}. */
    public static boolean isFinished(String status) {
        return COMPLETED.equals(status) || FAILED.equals(status);
    }

    /** This call within the bounds: text cut (never inside a surrogate pair), lists cut, marked when anything was. */
    public ToolCall bounded() {
        boolean cut = truncated || diffs.size() > MAX_DIFFS || content.length() > MAX_CONTENT;
        List<Diff> keptDiffs = new ArrayList<>();
        for (Diff d : diffs.subList(0, Math.min(diffs.size(), MAX_DIFFS))) {
            cut |= d.oldText().length() > MAX_DIFF_TEXT || d.newText().length() > MAX_DIFF_TEXT;
            keptDiffs.add(new Diff(DisplayText.oneLine(d.path(), MAX_PATH), prefix(d.oldText(), MAX_DIFF_TEXT),
                    prefix(d.newText(), MAX_DIFF_TEXT)));
        }
        List<Location> keptLocations = locations.subList(0, Math.min(locations.size(), MAX_LOCATIONS)).stream()
                .map(l -> new Location(DisplayText.oneLine(l.path(), MAX_PATH), l.line())).toList();
        return new ToolCall(id, DisplayText.oneLine(kind, MAX_KIND), prefix(content, MAX_CONTENT), keptDiffs,
                keptLocations, cut);
    }

    /** About how many chars this call holds, for a viewer's budget. */
    public long chars() {
        long n = id.length() + kind.length() + content.length();
        for (Diff d : diffs) {
            n += d.path().length() + d.oldText().length() + d.newText().length();
        }
        for (Location l : locations) {
            n += l.path().length() + 8;
        }
        return n;
    }

    /** Writes this call's fields into a tool row's or a tool event's object. */
    public void writeTo(JsonObject o) {
        o.addProperty("tool_id", id);
        Json.putText(o, "kind", kind);
        Json.putText(o, "content", content);
        if (!diffs.isEmpty()) {
            JsonArray a = new JsonArray();
            for (Diff d : diffs) {
                JsonObject j = new JsonObject();
                j.addProperty("path", d.path());
                j.addProperty("old", d.oldText());
                j.addProperty("new", d.newText());
                a.add(j);
            }
            o.add("diffs", a);
        }
        if (!locations.isEmpty()) {
            JsonArray a = new JsonArray();
            for (Location l : locations) {
                JsonObject j = new JsonObject();
                j.addProperty("path", l.path());
                if (l.line() > 0) {
                    j.addProperty("line", l.line());
                }
                a.add(j);
            }
            o.add("locations", a);
        }
        if (truncated) {
            o.addProperty("truncated", true);
        }
    }

    /**
     * Reads a call from a tool row's or tool event's object, bounded.
     *
     * @return {@code null} when it carries no {@code tool_id} with a status or detail: a Hermes tool row (its
     *         ids are the gateway's own and its rows are never updated)
     */
    public static ToolCall readFrom(JsonObject o) {
        String id = Json.text(o, "tool_id");
        if (id.isEmpty() || !(o.has("status") || o.has("kind") || o.has("content") || o.has("diffs")
                || o.has("locations"))) {
            return null;
        }
        List<Diff> diffs = new ArrayList<>();
        for (JsonObject d : Json.objects(o, "diffs")) {
            diffs.add(new Diff(Json.text(d, "path"), Json.text(d, "old"), Json.text(d, "new")));
        }
        List<Location> locations = new ArrayList<>();
        for (JsonObject l : Json.objects(o, "locations")) {
            locations.add(new Location(Json.text(l, "path"), (int) Math.min(Integer.MAX_VALUE, Json.number(l, "line", 0))));
        }
        return new ToolCall(id, Json.text(o, "kind"), Json.text(o, "content"), diffs, locations, Json.flag(o, "truncated"))
                .bounded();
    }

    private static String prefix(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
    }
}
