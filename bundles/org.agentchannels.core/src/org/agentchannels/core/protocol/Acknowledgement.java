package org.agentchannels.core.protocol;

import com.google.gson.JsonObject;

/**
 * The small results that only say a call took effect: {@code gateway.ping} ({@code {ok:true}}),
 * {@code session.interrupt} ({@code {status:"interrupted"}}), {@code session.close} ({@code {closed:true}}) and
 * the {@code *.respond} answers ({@code {status:"ok", resolved:true}}).
 */
public record Acknowledgement(String status, boolean ok, boolean closed, boolean resolved) {

    public static Acknowledgement pong() {
        return new Acknowledgement("", true, false, false);
    }

    public static Acknowledgement interrupted() {
        return new Acknowledgement("interrupted", false, false, false);
    }

    public static Acknowledgement closedSession() {
        return new Acknowledgement("", false, true, false);
    }

    public static Acknowledgement answered() {
        return new Acknowledgement("ok", false, false, true);
    }

    public static Acknowledgement fromJson(JsonObject result) {
        return new Acknowledgement(Json.text(result, "status"), Json.flag(result, "ok"), Json.flag(result, "closed"),
                Json.flag(result, "resolved"));
    }

    public JsonObject toJson() {
        JsonObject r = new JsonObject();
        Json.putText(r, "status", status);
        if (ok) {
            r.addProperty("ok", true);
        }
        if (closed) {
            r.addProperty("closed", true);
        }
        if (resolved) {
            r.addProperty("resolved", true);
        }
        return r;
    }
}
