package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DeviceNames;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** A device taking part in a session, with how many of its clients are attached (Phase 3 roster). */
public record Participant(String device, int count) {

    /** Reads {@code {participants:[{device, count}]}}; entries without a device name are dropped. */
    public static List<Participant> listFrom(JsonObject container) {
        List<Participant> out = new ArrayList<>();
        for (JsonObject p : Json.objects(container, "participants")) {
            String device = DeviceNames.sanitize(Json.text(p, "device"));
            if (!device.isEmpty()) {
                out.add(new Participant(device, (int) Math.max(1, Json.number(p, "count", 1))));
            }
        }
        return List.copyOf(out);
    }

    /** {@code {participants:[{device, count}]}}: the {@code session.participants} event and result. */
    public static JsonObject toJson(List<Participant> participants) {
        JsonArray list = new JsonArray();
        for (Participant p : participants) {
            JsonObject o = new JsonObject();
            o.addProperty("device", p.device());
            o.addProperty("count", p.count());
            list.add(o);
        }
        JsonObject r = new JsonObject();
        r.add("participants", list);
        return r;
    }
}
