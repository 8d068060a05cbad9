package org.agentchannels.core.protocol;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A session's agent needs signing in before it can go on (our gateway's {@code sign_in}, in {@code session.info},
 * attach results and presence records): on which device, and what to do there as the agent says it.
 *
 * @param device the gateway's device, where the sign-in happens; empty when unknown
 * @param hint what the agent says to do (its sign-in methods, or its error), one line; empty when it says
 *        nothing, and a viewer then shows its own general advice
 */
public record SignIn(String device, String hint) {

    /** The longest hint kept, in code points. */
    public static final int MAX_HINT_LENGTH = 300;

    public SignIn {
        device = DeviceNames.sanitize(device);
        hint = DisplayText.oneLine(hint, MAX_HINT_LENGTH);
    }

    /** The {@code sign_in} object of {@code parent}, or {@code null} when it has none. */
    public static SignIn from(JsonObject parent) {
        JsonElement e = parent == null ? null : parent.get("sign_in");
        if (e == null || !e.isJsonObject()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        return new SignIn(Json.text(o, "device"), Json.text(o, "hint"));
    }

    /** Puts {@code signIn} as {@code sign_in} into {@code parent}; nothing when it is {@code null}. */
    public static void put(JsonObject parent, SignIn signIn) {
        if (signIn != null) {
            JsonObject o = new JsonObject();
            o.addProperty("device", signIn.device());
            o.addProperty("hint", signIn.hint());
            parent.add("sign_in", o);
        }
    }
}
