package org.agentchannels.core.protocol;

import com.google.gson.JsonObject;

/**
 * What {@code prompt.submit} returns: {@code streaming} (the turn started), {@code queued} at {@code position}
 * behind a running turn (our gateway and the newer Hermes line), or {@code accepted} as a {@code duplicate} of a
 * submission id seen before (our gateway).
 *
 * @param position 1 for the first prompt waiting, 0 when not queued
 */
public record PromptResult(String status, int position, boolean duplicate) {

    public static final String STREAMING = "streaming";
    public static final String QUEUED = "queued";
    public static final String ACCEPTED = "accepted";

    public static PromptResult streaming() {
        return new PromptResult(STREAMING, 0, false);
    }

    public static PromptResult queued(int position) {
        return new PromptResult(QUEUED, position, false);
    }

    public static PromptResult duplicateOfEarlier() {
        return new PromptResult(ACCEPTED, 0, true);
    }

    public static PromptResult fromJson(JsonObject result) {
        return new PromptResult(Json.text(result, "status"), (int) Json.number(result, "position", 0),
                Json.flag(result, "duplicate"));
    }

    public JsonObject toJson() {
        JsonObject r = new JsonObject();
        r.addProperty("status", status);
        if (position > 0) {
            r.addProperty("position", position);
        }
        if (duplicate) {
            r.addProperty("duplicate", true);
        }
        return r;
    }
}
