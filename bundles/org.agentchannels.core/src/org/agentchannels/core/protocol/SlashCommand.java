package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A command the session's agent offers (ACP {@code available_commands_update}): typed as {@code /name} at the
 * start of a prompt, which the agent reads itself.
 *
 * @param hint what to type after the name, empty when it takes nothing
 */
public record SlashCommand(String name, String description, String hint) {

    public static final int MAX_COMMANDS = 200;

    public SlashCommand {
        name = name == null ? "" : name;
        description = description == null ? "" : description;
        hint = hint == null ? "" : hint;
    }

    /**
     * Reads a {@code commands} array: ours ({@code hint}) or ACP's ({@code input.hint}); names that could not be
     * typed as one word are skipped.
     */
    public static List<SlashCommand> listFrom(JsonObject o, String key) {
        List<SlashCommand> out = new ArrayList<>();
        for (JsonObject c : Json.objects(o, key)) {
            if (out.size() == MAX_COMMANDS) {
                break;
            }
            String name = DisplayText.oneLine(Json.text(c, "name"), 64);
            if (name.startsWith("/")) {
                name = name.substring(1);
            }
            if (name.isEmpty() || name.contains(" ")) {
                continue;
            }
            String hint = Json.firstText(c, "hint");
            if (hint.isEmpty()) {
                hint = Json.text(Json.object(c, "input"), "hint");
            }
            out.add(new SlashCommand(name, DisplayText.oneLine(Json.text(c, "description"), 300),
                    DisplayText.oneLine(hint, 120)));
        }
        return out;
    }

    public static JsonArray toJson(List<SlashCommand> commands) {
        JsonArray a = new JsonArray();
        for (SlashCommand c : commands) {
            JsonObject j = new JsonObject();
            j.addProperty("name", c.name());
            Json.putText(j, "description", c.description());
            Json.putText(j, "hint", c.hint());
            a.add(j);
        }
        return a;
    }
}
