package org.agentchannels.core.protocol;

import java.util.List;

import com.google.gson.JsonObject;

/** What {@code session.history} returns: {@code {count, messages}}. */
public record SessionHistory(List<TranscriptRow> messages) {

    public SessionHistory {
        messages = List.copyOf(messages);
    }

    public static SessionHistory fromJson(JsonObject result) {
        return new SessionHistory(TranscriptRow.listFrom(result));
    }

    public JsonObject toJson() {
        JsonObject r = new JsonObject();
        r.addProperty("count", messages.size());
        r.add("messages", TranscriptRow.toJson(messages));
        return r;
    }
}
