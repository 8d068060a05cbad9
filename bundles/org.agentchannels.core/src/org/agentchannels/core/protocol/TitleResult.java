package org.agentchannels.core.protocol;

import org.agentchannels.core.DisplayText;

import com.google.gson.JsonObject;

/** What {@code session.title} returns, read or set: the title and the stored id it belongs to. */
public record TitleResult(String title, String sessionKey) {

    public static TitleResult fromJson(JsonObject result) {
        return new TitleResult(DisplayText.title(Json.text(result, "title")), Json.text(result, "session_key"));
    }

    public JsonObject toJson() {
        JsonObject r = new JsonObject();
        r.addProperty("title", title);
        return Json.putText(r, "session_key", sessionKey);
    }
}
