package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * An agent a gateway offers for new sessions ({@code gateway.ready}'s {@code agents}, the default first):
 * {@code id} is what {@code session.create}'s {@code agent} names, {@code label} what a person is shown.
 */
public record OfferedAgent(String id, String label) {

    /** The most agents read from one frame: a gateway offers a handful, a hostile one cannot fill memory. */
    public static final int MAX_AGENTS = 64;
    /** Ids are short names ({@code opencode}, {@code gemini}, a name the gateway's owner chose). */
    public static final int MAX_ID_LENGTH = 64;

    public OfferedAgent {
        id = id == null ? "" : id;
        label = label == null || label.isEmpty() ? id : label;
    }

    /** Reads {@code key}'s array of {@code {id, label}}: cleaned, without empty or repeated ids, at most {@value #MAX_AGENTS}. */
    public static List<OfferedAgent> listFrom(JsonObject container, String key) {
        List<OfferedAgent> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonObject o : Json.objects(container, key)) {
            String id = DisplayText.oneLine(Json.text(o, "id"), MAX_ID_LENGTH);
            if (!id.isEmpty() && seen.add(id)) {
                out.add(new OfferedAgent(id, DisplayText.title(Json.text(o, "label"))));
            }
            if (out.size() == MAX_AGENTS) {
                break;
            }
        }
        return List.copyOf(out);
    }

    public static JsonArray toJson(List<OfferedAgent> agents) {
        JsonArray list = new JsonArray();
        for (OfferedAgent a : agents) {
            JsonObject o = new JsonObject();
            o.addProperty("id", a.id());
            o.addProperty("label", a.label());
            list.add(o);
        }
        return list;
    }
}
